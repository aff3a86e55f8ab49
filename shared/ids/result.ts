/**
 * The result every identifier validator returns: the normalised value, or a stable machine `code`
 * with a message a person in the bureau can read. Validators never throw on bad input.
 */
export interface IdWarning {
  code: string;
  message: string;
}

export type IdResult<Code extends string, Value = string> =
  | { ok: true; value: Value; warnings?: IdWarning[] }
  | { ok: false; code: Code; message: string };

export function idFailure<Code extends string>(
  code: Code,
  message: string,
): { ok: false; code: Code; message: string } {
  return { ok: false, code, message };
}
