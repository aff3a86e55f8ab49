import { type IdResult, idFailure } from '#shared/ids/result';
import { toHalfWidth } from '#shared/ids/text';

/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character alphabet
 * (no I, O, S, V, Z); characters 3–8 are the registering authority's GB/T 2260 division code; the last
 * is a check character computed from the first 17.
 */
export type CreditCodeErrorCode =
  | 'CREDIT_CODE_EMPTY'
  | 'CREDIT_CODE_LENGTH'
  | 'CREDIT_CODE_CHARSET'
  | 'CREDIT_CODE_DIVISION'
  | 'CREDIT_CODE_CHECK_CHAR';

/** Reported (not failed) in tolerant mode, a round setting for legacy codes issued with a wrong check char. */
export const CREDIT_CODE_CHECK_CHAR_IGNORED = 'CREDIT_CODE_CHECK_CHAR_IGNORED';

export type CreditCodeResult = IdResult<CreditCodeErrorCode>;

export interface CreditCodeOptions {
  /** Accept a well-formed code whose check character is wrong, with a warning. */
  tolerant?: boolean;
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const LENGTH = 18;

/** Character code → value in the alphabet, or -1. */
const VALUE_OF = new Int8Array(128).fill(-1);
for (let v = 0; v < ALPHABET.length; v++) VALUE_OF[ALPHABET.charCodeAt(v)] = v;

function valueAt(code: string, i: number): number {
  const unit = code.charCodeAt(i);
  return unit < 128 ? (VALUE_OF[unit] ?? -1) : -1;
}

/** The check character for the first 17 characters of a code (assumed to be in the alphabet). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += valueAt(first17, i) * (WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET.charAt(check);
}

export function normalizeCreditCode(input: string): string {
  return toHalfWidth(input).trim().toUpperCase();
}

export function validateCreditCode(input: string, options: CreditCodeOptions = {}): CreditCodeResult {
  const code = normalizeCreditCode(input);
  if (code.length === 0) return idFailure('CREDIT_CODE_EMPTY', '统一社会信用代码不能为空');
  if (code.length !== LENGTH) {
    return idFailure('CREDIT_CODE_LENGTH', `统一社会信用代码应为18位，当前为${code.length}位`);
  }
  for (let i = 0; i < LENGTH; i++) {
    if (valueAt(code, i) < 0) {
      return idFailure(
        'CREDIT_CODE_CHARSET',
        `统一社会信用代码第${i + 1}位“${code.charAt(i)}”不是有效字符（不使用I、O、S、V、Z）`,
      );
    }
  }
  for (let i = 2; i < 8; i++) {
    const unit = code.charCodeAt(i);
    if (unit < 48 || unit > 57) {
      return idFailure('CREDIT_CODE_DIVISION', '统一社会信用代码第3至8位应为行政区划码（数字）');
    }
  }
  const expected = creditCodeCheckChar(code);
  if (code.charAt(17) === expected) return { ok: true, value: code };
  if (options.tolerant) {
    return {
      ok: true,
      value: code,
      warnings: [
        {
          code: CREDIT_CODE_CHECK_CHAR_IGNORED,
          message: `统一社会信用代码校验位不符（应为“${expected}”），按本年度设置暂予接受，请核实`,
        },
      ],
    };
  }
  return idFailure('CREDIT_CODE_CHECK_CHAR', '统一社会信用代码校验位不正确，请核对后重新填写');
}
