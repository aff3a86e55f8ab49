import { LINFEN_COUNTIES } from '#shared/rounds/linfen-counties';
import { CONTENT_TYPES, type RoundInput } from '#shared/rounds/schema';

/**
 * Round 2021, from 临人社函〔2021〕329号. Numbers the notice states are cited by section; numbers it
 * leaves to the bureau (file size limits, rubric points, reward, working days per task) are marked as
 * configuration and may be changed here before the round opens (bump `version` if it has opened).
 */

const MiB = 1024 * 1024;
const SCAN = [CONTENT_TYPES.pdf, CONTENT_TYPES.jpeg, CONTENT_TYPES.png];
const ROSTER = [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx];
const OTHER = [...SCAN, CONTENT_TYPES.docx];
/** Configuration: a stamped multi-page scan fits in 20 MiB; news clippings get more; rosters are big. */
const SCAN_BYTES = 20 * MiB;
const MEDIA_BYTES = 50 * MiB;
const ROSTER_BYTES = 100 * MiB;

export const round2021: RoundInput = {
  roundId: '2021',
  version: 1,
  year: 2021,
  title: '2021年度市级劳务品牌、劳务协作基地申报认定',
  kinds: ['brand', 'base'],
  // §二(一)2 and §二(二)4
  thresholds: {
    brand: { trainedMin: 500, employmentRateMin: 0.3, outputMin: 300 },
    base: { transferredMin: 2000, transferredSince: '2020-01-01' },
  },
  // §四: materials reach the bureau by 30 December, i.e. 2021-12-30 24:00 in Linfen.
  deadline: '2021-12-31T00:00:00+08:00',
  // §三(二)4: no less than 7 working days.
  publicityWorkingDays: 7,
  counties: [...LINFEN_COUNTIES],
  // Reference lists for the tie-break priority (§四). Left for the bureau to fill from the published
  // lists; an empty list only means the dashboard cannot name them.
  keyAssistanceCounties: [],
  povertyAlleviatedCounties: [],
  // §三(一), the slots of API.md "Evidence slots".
  checklist: {
    brand: [
      {
        slot: 'application-form',
        title: '市级劳务品牌申报认定表（附件1，盖章扫描件）',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'qualification',
        title: '品牌所属单位资质证明',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'training-proof',
        title: '培训开班、结业证明',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'training-roster',
        title: '培训花名册',
        required: true,
        accepts: ROSTER,
        maxBytes: ROSTER_BYTES,
      },
      {
        slot: 'output-roster',
        title: '输出（带动就业）人员花名册',
        required: true,
        accepts: ROSTER,
        maxBytes: ROSTER_BYTES,
      },
      {
        slot: 'media-reports',
        title: '新闻媒体报道（图片、文字）',
        required: true,
        accepts: SCAN,
        maxBytes: MEDIA_BYTES,
      },
      { slot: 'other', title: '其他材料', required: false, accepts: OTHER, maxBytes: SCAN_BYTES },
    ],
    base: [
      {
        slot: 'application-form',
        title: '市级劳务协作基地申报认定表（附件2，盖章扫描件）',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'qualification',
        title: '举办单位资质证明',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'cooperation-agreement',
        title: '劳务协作协议',
        required: true,
        accepts: SCAN,
        maxBytes: SCAN_BYTES,
      },
      {
        slot: 'output-roster',
        title: '输出人员花名册',
        required: true,
        accepts: ROSTER,
        maxBytes: ROSTER_BYTES,
      },
      { slot: 'other', title: '其他材料', required: false, accepts: OTHER, maxBytes: SCAN_BYTES },
    ],
  },
  // 附件1: training and output counts for 2020 and 2021; 附件2: output counts for 2019–2021.
  formYears: { brand: [2020, 2021], base: [2019, 2020, 2021] },
  // §二 criteria, one line each; the points are configuration (the notice gives none).
  rubric: {
    brand: [
      { criterionId: 'brand-management', title: '品牌与规范管理（自有品牌、权属清晰、管理规范）', max: 25 },
      { criterionId: 'scale-and-results', title: '规模与成效（培训、就业率、输出人数，稳定合作）', max: 35 },
      {
        criterionId: 'distinctiveness-and-influence',
        title: '特色与影响（知名度、发展规划、政府支持）',
        max: 25,
      },
      { criterionId: 'rights-and-integrity', title: '诚信经营与权益保障（无欠薪、签合同、缴社保）', max: 15 },
    ],
    base: [
      {
        criterionId: 'recognition-status',
        title: '基地认定情况（市县部门或市级以上组织命名、确认）',
        max: 15,
      },
      {
        criterionId: 'cooperation-stability',
        title: '协作稳定性（与输入地公共就业服务机构、用人单位长期合作）',
        max: 25,
      },
      { criterionId: 'services-three-in-one', title: '培训、就业、维权“三位一体”服务', max: 25 },
      { criterionId: 'transfer-scale-and-poverty-effect', title: '转移就业规模与带贫成效', max: 35 },
    ],
  },
  panel: ['expert-01', 'expert-02', 'expert-03'],
  // Configuration: a placeholder until the bureau states the amount "按规定".
  rewardYuan: { brand: 50_000, base: 50_000 },
  creditCodeTolerant: false,
  certificatePrefix: 'LF',
  // The official schedule as published; a round adds its own days or a missing year here.
  calendar: {},
  directRouteForCityUnitsOnly: true,
  // Configuration: working days per task before it shows as overdue.
  reviewDays: {
    'county-review': 10,
    'onsite-evaluation': 15,
    'expert-review': 10,
    'objection-review': 5,
    'province-recommendation': 10,
    supplement: 10,
    selection: 20,
  },
  scoreSpreadFlag: 20,
};
