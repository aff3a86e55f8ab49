import { type Block, type Cell, type Paragraph, renderDocx } from './docx';

/**
 * The notice's application forms — 附件1 市级劳务品牌申报认定表 (brand) and 附件2 市级劳务协作基地申报认定表
 * (base) — laid out like the notice's tables for printing in two copies, stamping and signing. The
 * three opinion boxes carry the recorded opinions, signers and dates once they exist, blank lines
 * for pen and stamp until then.
 */
export interface Opinion {
  text: string;
  signer: string;
  /** ISO instant; shown as YYYY年M月D日 in Asia/Shanghai. */
  at: string;
}

export interface ApplicationFormInput {
  kind: 'brand' | 'base';
  /** The round's form years for this kind (brand: trained and output per year; base: output per year). */
  years: readonly number[];
  form: {
    name?: string;
    ownerUnit?: string;
    address?: string;
    leader?: string;
    officePhone?: string;
    mobile?: string;
    trained?: Record<string, number>;
    output?: Record<string, number>;
    introduction?: string;
  };
  /** 推荐单位: the county HR department, or a note that a city-level unit applied directly. */
  recommendingUnit: string;
  opinions: { county?: Opinion; experts?: Opinion; city?: Opinion };
}

const COLUMNS = [1300, 1350, 1350, 1350, 1350, 1350, 1350];
const CONTENT_COLUMNS = COLUMNS.length - 1;

const text = (value: string | number | undefined, bold = false): Paragraph => ({
  runs: [{ text: value === undefined ? '' : String(value), bold }],
});
const lines = (value: string | undefined): Paragraph[] =>
  (value ?? '').split(/\r?\n/).map((line) => text(line));
const label = (value: string, extra: Partial<Cell> = {}): Cell => ({
  paragraphs: [text(value, true)],
  align: 'center',
  ...extra,
});
const value = (content: string | number | undefined, span = 1): Cell => ({
  paragraphs: [text(content)],
  span,
  align: 'center',
});
const section = (title: string, first: boolean): Cell =>
  first
    ? { paragraphs: [text(title, true)], merge: 'restart', align: 'center' }
    : { paragraphs: [], merge: 'continue' };

/** `total` grid columns shared by `n` cells as evenly as possible, the remainder to the last ones. */
export function spread(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i >= n - (total % n) ? 1 : 0));
}

/** 年 月 日 of an instant in Asia/Shanghai (UTC+8, no daylight saving). */
export function chineseDate(iso: string): string {
  const shanghai = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${shanghai.getUTCFullYear()}年${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日`;
}

function opinionBox(title: string, signerLabel: string, opinion: Opinion | undefined): Cell {
  const signature = opinion
    ? `${signerLabel}：${opinion.signer}        ${chineseDate(opinion.at)}`
    : `${signerLabel}：              年    月    日`;
  return {
    paragraphs: [text(title, true), ...lines(opinion?.text), { runs: [{ text: signature }], align: 'right' }],
    span: CONTENT_COLUMNS,
    minHeight: 1800,
  };
}

function identityRows(input: ApplicationFormInput): Cell[][] {
  const { form } = input;
  return [
    [section('基本情况', true), label(input.kind === 'brand' ? '品牌名称' : '基地名称'), value(form.name, 5)],
    [section('基本情况', false), label('所属单位'), value(form.ownerUnit, 5)],
    [section('基本情况', false), label('单位地址'), value(form.address, 5)],
    [
      section('基本情况', false),
      label('负责人'),
      value(form.leader),
      label('办公电话'),
      value(form.officePhone),
      label('手机'),
      value(form.mobile),
    ],
  ];
}

function countRows(input: ApplicationFormInput): Cell[][] {
  const { form, years } = input;
  if (input.kind === 'base') {
    const spans = spread(CONTENT_COLUMNS, years.length);
    return [
      [section('劳务输出人数', true), ...years.map((year, i) => label(`${year}年`, { span: spans[i] }))],
      [
        section('劳务输出人数', false),
        ...years.map((year, i) => value(form.output?.[String(year)], spans[i])),
      ],
    ];
  }
  const half = CONTENT_COLUMNS / 2;
  const spans = spread(half, years.length);
  const yearCells = () => years.map((year, i) => label(`${year}年`, { span: spans[i] }));
  const counts = (by: Record<string, number> | undefined) =>
    years.map((year, i) => value(by?.[String(year)], spans[i]));
  return [
    [
      section('近年来工作开展情况', true),
      label('品牌培训人数', { span: half }),
      label('品牌劳务输出人数', { span: half }),
    ],
    [section('近年来工作开展情况', false), ...yearCells(), ...yearCells()],
    [section('近年来工作开展情况', false), ...counts(input.form.trained), ...counts(input.form.output)],
  ];
}

export function applicationFormBlocks(input: ApplicationFormInput): Block[] {
  const title = input.kind === 'brand' ? '临汾市级劳务品牌申报认定表' : '临汾市市级劳务协作基地申报认定表';
  const attachment = input.kind === 'brand' ? '附件1' : '附件2';
  const introductionTitle = input.kind === 'brand' ? '品牌情况介绍' : '协作基地概况';
  const { opinions } = input;
  return [
    { paragraph: { runs: [{ text: attachment, bold: true }] } },
    { paragraph: { runs: [{ text: title, bold: true, size: 36 }], align: 'center' } },
    {
      paragraph: {
        runs: [
          { text: `推荐单位（盖章）：${input.recommendingUnit}` },
          { text: '                    年    月    日' },
        ],
      },
    },
    {
      table: {
        columnWidths: COLUMNS,
        rows: [
          ...identityRows(input),
          ...countRows(input),
          [
            label(introductionTitle),
            { paragraphs: lines(input.form.introduction), span: CONTENT_COLUMNS, minHeight: 4000 },
          ],
          [
            section('推荐审核意见', true),
            opinionBox('县级人社部门推荐意见', '主要负责人（签章）', opinions.county),
          ],
          [section('推荐审核意见', false), opinionBox('专家考评组意见', '专家签章', opinions.experts)],
          [section('推荐审核意见', false), opinionBox('市人社局意见', '签章', opinions.city)],
        ],
      },
    },
  ];
}

/** 附件1/附件2 of one case as DOCX bytes. */
export function renderApplicationForm(input: ApplicationFormInput): Uint8Array {
  return renderDocx(applicationFormBlocks(input));
}
