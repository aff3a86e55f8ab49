/**
 * The reference roster of shared/notes/performance-budgets.md: 7 columns
 * (序号,姓名,身份证号码,手机号码,培训日期,工作单位,入职日期), Chinese names with a non-BMP character,
 * valid GB 11643 IDs with ~0.3 % bad check characters and ~0.6 % duplicates, ~0.2 % quoted fields,
 * dates in every accepted form. Deterministic (seeded), so every run measures the same bytes.
 */
const SURNAMES = [
  ...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海燕鹏飞晓东亮宇浩然子轩欣怡佳琪',
];
/** U+20BB7, outside the BMP: four bytes in UTF-8 and in GB18030, a surrogate pair in JS. */
const RARE = '𠮷';
const AREAS = [
  '141002',
  '141021',
  '141022',
  '141023',
  '141024',
  '141025',
  '141026',
  '141027',
  '141028',
  '141029',
  '141030',
  '141031',
  '141032',
  '141033',
  '141034',
  '141081',
  '141082',
  '142601',
  '140105',
  '130102',
  '410102',
  '610102',
];
const COUNTIES = [
  '尧都区',
  '曲沃县',
  '翼城县',
  '襄汾县',
  '洪洞县',
  '古县',
  '安泽县',
  '浮山县',
  '吉县',
  '乡宁县',
  '侯马市',
  '霍州市',
];
const BRANDS = ['鑫源', '宏达', '晋龙', '汾河', '华泰', '恒通', '尧乡', '金鼎'];
const TRADES = [
  '建筑劳务',
  '家政服务',
  '物业管理',
  '餐饮管理',
  '电子科技',
  '汽车维修',
  '纺织服装',
  '物流运输',
];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export const TRAINING_HEADER = ['序号', '姓名', '身份证号码', '手机号码', '培训日期', '工作单位', '入职日期'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export interface GeneratedRow {
  cells: string[];
}

/** Yields data rows as cell arrays (the header is {@link TRAINING_HEADER}). */
export function* trainingRows(count: number, seed = 20211230): Generator<string[]> {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const recent: string[] = [];
  for (let i = 1; i <= count; i++) {
    let id: string;
    if (recent.length > 100 && rnd() < 0.006) id = pick(recent);
    else {
      const birth = `${1965 + Math.floor(rnd() * 38)}${pad(1 + Math.floor(rnd() * 12), 2)}${pad(1 + Math.floor(rnd() * 28), 2)}`;
      const body = `${pick(AREAS)}${birth}${pad(Math.floor(rnd() * 1000), 3)}`;
      let sum = 0;
      for (let k = 0; k < 17; k++) sum += (body.charCodeAt(k) - 48) * (WEIGHTS[k] as number);
      let check = CHECK.charAt(sum % 11);
      if (rnd() < 0.003) check = check === '1' ? '2' : '1';
      id = body + check;
      if (recent.length < 5000) recent.push(id);
      else recent[Math.floor(rnd() * 5000)] = id;
    }
    const name = pick(SURNAMES) + (rnd() < 0.01 ? RARE : pick(GIVEN)) + (rnd() < 0.6 ? pick(GIVEN) : '');
    const phone = `1${3 + Math.floor(rnd() * 7)}${pad(Math.floor(rnd() * 1e9), 9)}`;
    const year = rnd() < 0.8 ? 2021 : 2020;
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const trained = formatDate(year, month, day, rnd());
    const employed = rnd() < 0.75;
    let employer = '';
    let hired = '';
    if (employed) {
      employer = `临汾市${pick(COUNTIES)}${pick(BRANDS)}${pick(TRADES)}有限公司`;
      if (rnd() < 0.02) employer = `"${employer},临汾分公司"`;
      const hm = Math.min(12, month + 1);
      hired = formatDate(year, hm, day, rnd());
    }
    yield [String(i), name, id, phone, trained, employer, hired];
  }
}

function formatDate(y: number, m: number, d: number, r: number): string {
  if (r < 0.7) return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
  if (r < 0.8) return `${y}/${m}/${d}`;
  if (r < 0.88) return `${y}${pad(m, 2)}${pad(d, 2)}`;
  if (r < 0.95) return `${y}年${m}月${d}日`;
  return String(Math.round(Date.UTC(y, m - 1, d) / 86_400_000) + 25569);
}
