import type { z } from 'zod';
import type { ErrorDetail } from '#shared/errors';

/**
 * zod issues → the API's defect details `{ path, code, message }` (一次性告知: every defect at once).
 * Custom checks carry their code in `params.code`; zod's own issues map to a fixed vocabulary. A message
 * that is not Chinese (a zod default that slipped through) is replaced by a generic Chinese one, so
 * nobody in the bureau reads English.
 */

const GENERIC_MESSAGES: Record<string, string> = {
  REQUIRED: '此项必填',
  UNKNOWN_FIELD: '不允许的字段',
  WRONG_TYPE: '类型不正确',
  INVALID_VALUE: '取值不在允许范围内',
  INVALID_FORMAT: '格式不正确',
  TOO_LONG: '内容过长',
  TOO_SHORT: '内容过短',
  TOO_LARGE: '数值过大',
  TOO_SMALL: '数值过小',
  INVALID: '填写内容不正确',
};

const HAS_CJK = /[\u3400-\u9fff]/;

function codeOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom': {
      const code: unknown = issue.params?.code;
      return typeof code === 'string' ? code : 'INVALID';
    }
    case 'invalid_type':
      return 'WRONG_TYPE';
    case 'invalid_value':
    case 'invalid_union':
      return 'INVALID_VALUE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_LONG' : 'TOO_LARGE';
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_SHORT' : 'TOO_SMALL';
    default:
      return 'INVALID';
  }
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const parts = prefix ? [prefix] : [];
  for (const key of path) parts.push(String(key));
  return parts.join('.');
}

/** `prefix` names where the validated value sits in the request body, `form` by default. */
export function toDefects(error: z.ZodError, prefix = 'form'): ErrorDetail[] {
  const defects: ErrorDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        defects.push({
          path: joinPath(prefix, [...issue.path, key]),
          code: 'UNKNOWN_FIELD',
          message: `不允许的字段“${key}”，请删除`,
        });
      }
      continue;
    }
    const code = codeOf(issue);
    const message = HAS_CJK.test(issue.message)
      ? issue.message
      : (GENERIC_MESSAGES[code] ?? GENERIC_MESSAGES.INVALID);
    defects.push({ path: joinPath(prefix, issue.path), code, message: message ?? '填写内容不正确' });
  }
  return defects;
}
