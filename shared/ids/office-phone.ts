import { type IdResult, idFailure } from '#shared/ids/result';
import { toHalfWidth } from '#shared/ids/text';

/**
 * 办公电话: a landline with its area code, e.g. `0357-1234567`, `0357 1234567`, `(0357)1234567`,
 * `03571234567`, optionally with an extension (`-123`, `转123`). Normalised to `0357-1234567` or
 * `0357-1234567-123`.
 *
 * Area codes are `0` + 2 or 3 digits; the 3-digit ones are exactly `010` and `02x` (Beijing and the
 * eight large cities), every other one has 4 digits. That rule splits an unseparated `03571234567`.
 */
export type OfficePhoneErrorCode =
  | 'OFFICE_PHONE_EMPTY'
  | 'OFFICE_PHONE_FORMAT'
  | 'OFFICE_PHONE_IS_MOBILE'
  | 'OFFICE_PHONE_AREA_CODE'
  | 'OFFICE_PHONE_LOCAL_NUMBER';

export interface OfficePhone {
  areaCode: string;
  local: string;
  extension?: string;
}

export type OfficePhoneResult =
  | { ok: true; value: string; parts: OfficePhone }
  | Extract<IdResult<OfficePhoneErrorCode>, { ok: false }>;

// area (optional parentheses) · optional separator · local · optional extension
const SHAPE = /^(?:\((\d{3,4})\)|(\d{3,4})(?=[- ])|(\d{10,12}))[- ]?(\d*)(?:(?:-|转|ext\.?|x)(\d{1,6}))?$/i;

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 48 || unit > 57) return false;
  }
  return s.length > 0;
}

function areaCodeLength(digits: string): number {
  return digits.startsWith('01') || digits.startsWith('02') ? 3 : 4;
}

export function validateOfficePhone(input: string): OfficePhoneResult {
  const s = toHalfWidth(input).trim().replace(/\s+/g, ' ').replace(/ ?- ?/g, '-');
  if (s.length === 0) return idFailure('OFFICE_PHONE_EMPTY', '办公电话不能为空');
  const bare = s.replace(/[- ]/g, '');
  if (isAllDigits(bare) && bare.length === 11 && bare.charCodeAt(0) === 49) {
    return idFailure('OFFICE_PHONE_IS_MOBILE', '办公电话应填写带区号的固定电话，手机号码请填写在“手机”一栏');
  }
  if (isAllDigits(bare) && bare.length >= 7 && bare.length <= 8 && bare.charCodeAt(0) !== 48) {
    return idFailure('OFFICE_PHONE_AREA_CODE', '办公电话缺少区号，应为“区号-号码”，如0357-1234567');
  }
  const match = SHAPE.exec(s);
  if (!match) {
    return idFailure('OFFICE_PHONE_FORMAT', '办公电话格式不正确，应为“区号-号码”，如0357-1234567');
  }
  let areaCode = match[1] ?? match[2];
  let local = match[4] ?? '';
  if (areaCode === undefined) {
    // Unseparated: the area code's length follows from its first digits.
    const run = match[3] ?? '';
    const split = areaCodeLength(run);
    areaCode = run.slice(0, split);
    local = run.slice(split) + local;
  }
  const extension = match[5];
  if (
    areaCode.charCodeAt(0) !== 48 ||
    areaCode.charCodeAt(1) === 48 ||
    areaCode.length !== areaCodeLength(areaCode)
  ) {
    return idFailure('OFFICE_PHONE_AREA_CODE', `区号“${areaCode}”不正确，区号以0开头，如临汾为0357`);
  }
  const first = local.charCodeAt(0);
  if (local.length < 7 || local.length > 8 || first === 48) {
    return idFailure('OFFICE_PHONE_LOCAL_NUMBER', '电话号码（不含区号）应为7至8位数字，且不以0开头');
  }
  const value = extension ? `${areaCode}-${local}-${extension}` : `${areaCode}-${local}`;
  return { ok: true, value, parts: extension ? { areaCode, local, extension } : { areaCode, local } };
}
