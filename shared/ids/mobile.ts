import { type IdResult, idFailure } from '#shared/ids/result';
import { toHalfWidth } from '#shared/ids/text';

/** Chinese mobile number: `1[3-9]` and nine more digits; normalised to the bare 11 digits. */
export type MobileErrorCode = 'MOBILE_EMPTY' | 'MOBILE_CHARSET' | 'MOBILE_LENGTH' | 'MOBILE_PREFIX';

export type MobileResult = IdResult<MobileErrorCode>;

/** Drops separators a person types (spaces, `-`, `.`, parentheses) and a leading country code. */
export function normalizeMobile(input: string): string {
  let s = toHalfWidth(input).trim();
  let digits = '';
  let plus = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === ' ' || c === '-' || c === '.' || c === '(' || c === ')' || c === '\u2014' || c === '\u2013')
      continue;
    if (c === '+' && digits.length === 0 && !plus) {
      plus = true;
      continue;
    }
    digits += c;
  }
  s = digits;
  if (s.length === 13 && s.startsWith('86')) return s.slice(2);
  if (s.length === 15 && s.startsWith('0086')) return s.slice(4);
  return plus ? `+${s}` : s;
}

export function validateMobile(input: string): MobileResult {
  const mobile = normalizeMobile(input);
  if (mobile.length === 0) return idFailure('MOBILE_EMPTY', '手机号码不能为空');
  for (let i = 0; i < mobile.length; i++) {
    const unit = mobile.charCodeAt(i);
    if (unit < 48 || unit > 57) return idFailure('MOBILE_CHARSET', '手机号码只能包含数字');
  }
  if (mobile.length !== 11) {
    return idFailure('MOBILE_LENGTH', `手机号码应为11位数字，当前为${mobile.length}位`);
  }
  const second = mobile.charCodeAt(1);
  if (mobile.charCodeAt(0) !== 49 || second < 51 || second > 57) {
    return idFailure('MOBILE_PREFIX', '手机号码应以13至19开头');
  }
  return { ok: true, value: mobile };
}
