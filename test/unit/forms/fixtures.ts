import { getRound, type Round } from '#shared/rounds/index';

export function round(roundId = '2021'): Round {
  const found = getRound(roundId);
  if (!found) throw new Error(`round ${roundId} missing`);
  return found;
}

/** A complete, valid 附件1 for round 2021. */
export function brandForm(): Record<string, unknown> {
  return {
    name: '洪洞家政',
    ownerUnit: '洪洞县家政服务有限公司',
    ownerCreditCode: '91350100M000100Y43',
    address: '山西省临汾市洪洞县大槐树镇1号',
    leader: '张三',
    officePhone: '0357-1234567',
    mobile: '13812345678',
    trained: { '2020': 420, '2021': 560 },
    output: { '2020': 300, '2021': 350 },
    introduction: '洪洞家政品牌成立于2015年。',
  };
}

/** A complete, valid 附件2 for round 2021. */
export function baseForm(): Record<string, unknown> {
  return {
    name: '永和劳务协作基地',
    ownerUnit: '永和县人力资源服务中心',
    ownerCreditCode: '12141000012345678P',
    address: '山西省临汾市永和县芝河镇',
    leader: '李四',
    officePhone: '(0357)7654321',
    mobile: '+86 139 1234 5678',
    output: { '2019': 700, '2020': 800, '2021': 900 },
    introduction: '基地2018年由县政府命名。',
    pairing: { county: '永和县', province: '山西省', status: 'poverty-alleviated' },
  };
}

/** A round like 2021 that tolerates credit codes with a wrong check character. */
export function tolerantRound(): Round {
  return { ...round('2021'), creditCodeTolerant: true };
}
