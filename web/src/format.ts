import type { Kind, Role } from './api';

/** Every date a person reads is Linfen's: Asia/Shanghai, written YYYY年M月D日. */
const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function fields(iso: string | number) {
  const values: Record<string, string> = {};
  for (const part of parts.formatToParts(new Date(iso))) values[part.type] = part.value;
  return values;
}

export function formatDate(iso: string | number): string {
  const f = fields(iso);
  return `${f.year}年${f.month}月${f.day}日`;
}

export function formatDateTime(iso: string | number): string {
  const f = fields(iso);
  return `${f.year}年${f.month}月${f.day}日 ${f.hour}:${f.minute}`;
}

/**
 * The last day of a window whose end is exclusive (publicity ends at 24:00 of its last day, stored
 * as 00:00 of the next): the day a person would name.
 */
export function formatLastDay(exclusiveEndIso: string): string {
  return formatDate(Date.parse(exclusiveEndIso) - 1);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

export const KIND_NAMES: Record<Kind, string> = { brand: '劳务品牌', base: '劳务协作基地' };
export const FORM_NAMES: Record<Kind, string> = {
  brand: '附件1 市级劳务品牌申报认定表',
  base: '附件2 市级劳务协作基地申报认定表',
};

export const ROLE_NAMES: Record<Role, string> = {
  applicant: '申报单位',
  county: '县（市、区）人社部门',
  city: '市人社局',
  expert: '评审专家',
  province: '省人社厅',
};

export const STATUS_NAMES: Record<string, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  SUPPLEMENT_REQUESTED: '待补正',
  INELIGIBLE: '不符合申报条件',
  COUNTY_REVIEW: '县级初审',
  ONSITE_EVALUATION: '实地考评',
  EXPERT_REVIEW: '集中评审',
  AWAITING_SELECTION: '待择优',
  NOT_SELECTED: '未入选',
  PUBLICITY: '公示中',
  OBJECTION_REVIEW: '异议核查',
  CERTIFIED: '已认定',
  REJECTED: '未通过',
  WITHDRAWN: '已撤回',
};

export const statusName = (status: string) => STATUS_NAMES[status] ?? status;

export const TASK_NAMES: Record<string, string> = {
  'county-review': '初审核实、推荐意见',
  'onsite-evaluation': '实地考评',
  'expert-review': '集中评审（专家考评）',
  'objection-review': '异议核查',
  'province-recommendation': '推荐上报省厅',
  supplement: '补正',
  selection: '择优确定',
};

export const taskName = (type: string) => TASK_NAMES[type] ?? type;

/** What each decision means on each task type (API.md: one vocabulary, read per task). */
export const DECISION_NAMES: Record<string, Record<string, string>> = {
  'county-review': { approve: '同意推荐', return: '退回补正', reject: '不予推荐' },
  'onsite-evaluation': { approve: '考评通过', reject: '考评不通过' },
  'expert-review': { approve: '同意入围', reject: '不同意入围' },
  'objection-review': { approve: '异议不成立', reject: '异议成立' },
  'province-recommendation': { approve: '推荐上报省厅', reject: '不推荐上报' },
};

export const EVIDENCE_STATUS_NAMES: Record<string, string> = {
  PENDING: '核验中',
  ACCEPTED: '已接收',
  REJECTED: '未通过核验',
};

export const CONTENT_TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

export const FILE_EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg,.jpeg',
  'image/png': '.png',
  'text/csv': '.csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
};

export const PAIRING_NAMES: Record<string, string> = {
  'key-assistance': '与重点帮扶县结对',
  'poverty-alleviated': '与脱贫县结对',
  none: '无结对',
};

export const TERRAIN_NAMES: Record<string, string> = { plain: '平川县', mountain: '山区县' };

export const ACTOR_ROLE_NAMES: Record<string, string> = { ...ROLE_NAMES, system: '系统', public: '公众' };

/** Timeline actions as the bureau says them; unknown ones are shown as they are. */
export const ACTION_NAMES: Record<string, string> = {
  'case-created': '创建申报',
  created: '创建申报',
  'form-updated': '修改申报表',
  submitted: '提交申报',
  resubmitted: '补正后重新提交',
  'submission-undone': '提交未成功，退回草稿',
  'evidence-received': '收到申报材料',
  selection: '择优确定',
  'status-changed': '状态变更',
  'objection-raised': '收到异议',
};

export function actionName(action: string): string {
  const [verb, type] = action.split(':');
  if (verb === 'task-opened' && type) return `${taskName(type)}：开始办理`;
  if (verb === 'task-completed' && type) return `${taskName(type)}：办结`;
  return ACTION_NAMES[action] ?? action;
}

const NOTE_WORDS: Record<string, string> = {
  approve: '同意',
  reject: '不同意',
  return: '退回补正',
  resubmitted: '已重新提交',
  selected: '入选',
  'not-selected': '未入选',
  'province-recommended': '已推荐上报省厅',
};

/**
 * A timeline note: decisions and outcomes in Chinese (a decision as its task type names it), anything
 * else (an opinion, a certificate number) as written.
 */
export function noteText(note: string, action?: string): string {
  const [word, ...rest] = note.split(' ');
  const taskType = action?.startsWith('task-completed:') ? action.slice('task-completed:'.length) : undefined;
  const known = word
    ? ((taskType ? DECISION_NAMES[taskType]?.[word] : undefined) ?? NOTE_WORDS[word])
    : undefined;
  if (!known) return note;
  // "approve (92)": the decision and the score total of a scored task.
  return [known, ...rest.map((part) => part.replace(/^\((\d+(?:\.\d+)?)\)$/, '（$1分）'))].join('');
}
