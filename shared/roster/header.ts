import { RosterFileError } from '#shared/roster/errors';

export type RosterKind = 'training' | 'output';

/** Logical columns of a roster; the header text the user wrote is mapped onto these. */
export type RosterField =
  | 'name'
  | 'id'
  | 'phone'
  | 'trainingStart'
  | 'completionDate'
  | 'employer'
  | 'employmentDate'
  | 'outputDate'
  | 'destination';

interface FieldSpec {
  field: RosterField;
  /** The canonical header first, then its synonyms (API.md "Roster files"). */
  names: readonly string[];
  required: boolean;
}

const NAME: FieldSpec = { field: 'name', names: ['姓名'], required: true };
const ID: FieldSpec = {
  field: 'id',
  names: ['身份证号码', '身份证号', '公民身份号码', '证件号码'],
  required: true,
};
const PHONE: FieldSpec = { field: 'phone', names: ['联系电话', '手机', '手机号码', '电话'], required: false };
const EMPLOYER: FieldSpec = {
  field: 'employer',
  names: ['就业单位', '工作单位', '用人单位'],
  required: true,
};

export const ROSTER_FIELDS: Readonly<Record<RosterKind, readonly FieldSpec[]>> = {
  training: [
    NAME,
    ID,
    PHONE,
    // Optional although API.md lists it without "(optional)": the reference roster of
    // performance-budgets.md (序号,姓名,身份证号码,手机号码,培训日期,工作单位,入职日期) has no start date.
    { field: 'trainingStart', names: ['培训开始日期', '开班日期'], required: false },
    { field: 'completionDate', names: ['结业日期', '培训结束日期', '培训日期'], required: true },
    EMPLOYER,
    { field: 'employmentDate', names: ['就业日期', '入职日期'], required: true },
  ],
  output: [
    NAME,
    ID,
    PHONE,
    { field: 'outputDate', names: ['输出日期', '就业日期', '入职日期', '转移日期'], required: true },
    EMPLOYER,
    { field: 'destination', names: ['输出地', '就业地', '就业地点'], required: false },
  ],
};

/** Where each logical field sits (0-based column) and what the user called it. */
export interface ColumnMap {
  kind: RosterKind;
  index: Partial<Record<RosterField, number>>;
  label: Partial<Record<RosterField, string>>;
}

/**
 * `*身份证号码（18位）：` → `身份证号码`: spaces, required-markers, a trailing note in brackets and a
 * trailing colon are not part of the name.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000\ufeff]+/g, '')
    .replace(/^[*★※]+|[*★※]+$/g, '')
    .replace(/[:：]$/, '')
    .replace(/[(（［[][^()（）［］[\]]*[)）］\]]$/, '');
}

/**
 * Maps a header row onto the kind's fields. An exact canonical name wins over a synonym; otherwise
 * the first matching column wins. Unknown columns are ignored. A missing required field is a
 * file-level error naming every missing column.
 */
export function recognizeHeader(kind: RosterKind, cells: readonly string[]): ColumnMap {
  const specs = ROSTER_FIELDS[kind];
  const index: ColumnMap['index'] = {};
  const label: ColumnMap['label'] = {};
  const rank: Partial<Record<RosterField, number>> = {};
  cells.forEach((raw, column) => {
    const name = normaliseHeader(raw);
    if (name === '') return;
    for (const spec of specs) {
      const r = spec.names.indexOf(name);
      if (r < 0) continue;
      const previous = rank[spec.field];
      const better = previous === undefined || (r === 0 && previous !== 0);
      if (better) {
        index[spec.field] = column;
        label[spec.field] = raw.trim().slice(0, 50);
        rank[spec.field] = r;
      }
    }
  });
  const missing = specs.filter((s) => s.required && index[s.field] === undefined);
  if (missing.length > 0) {
    const names = missing.map((s) => s.names[0] as string);
    throw new RosterFileError(
      'ROSTER_HEADER_MISSING_COLUMNS',
      `花名册缺少必需的列：${names.join('、')}（第一个非空行须为表头，可用列名见填报说明）`,
      missing.map((s) => ({
        path: s.field,
        code: 'ROSTER_HEADER_MISSING_COLUMN',
        message: `缺少列“${s.names[0]}”（也可写作：${s.names.slice(1).join('、') || '无'}）`,
      })),
    );
  }
  return { kind, index, label };
}
