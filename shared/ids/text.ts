/**
 * Text helpers shared by the identifier validators and the forms. Pure, allocation-free when the input
 * needs no change (the common case), because the resident-ID check runs once per roster row.
 */

const FULL_WIDTH_ZERO = 0xff10;
const FULL_WIDTH_NINE = 0xff19;
const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/**
 * Counts Unicode code points, the unit in which the notice's "≤ 2000 字" limit is read: a character
 * outside the BMP (e.g. 𠀀, written as a surrogate pair in UTF-16) counts once. Same result as
 * `[...s].length` (a lone surrogate counts once too) without building an array.
 */
export function countCharacters(s: string): number {
  let count = 0;
  const length = s.length;
  for (let i = 0; i < length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Full-width digits `０`–`９` → `0`–`9`. Returns the same string when there is nothing to change. */
export function toHalfWidthDigits(s: string): string {
  let i = 0;
  const length = s.length;
  while (i < length) {
    const unit = s.charCodeAt(i);
    if (unit >= FULL_WIDTH_ZERO && unit <= FULL_WIDTH_NINE) break;
    i++;
  }
  if (i === length) return s;
  let out = s.slice(0, i);
  for (; i < length; i++) {
    const unit = s.charCodeAt(i);
    out +=
      unit >= FULL_WIDTH_ZERO && unit <= FULL_WIDTH_NINE
        ? String.fromCharCode(unit - FULL_WIDTH_OFFSET)
        : s[i];
  }
  return out;
}

/**
 * Full-width ASCII (`！`–`～`, which includes digits, Latin letters, `（）`, `－`, `＋`) → ASCII, and the
 * ideographic space → a space: what a Chinese input method produces in a phone or code field. Returns
 * the same string when there is nothing to change.
 */
export function toHalfWidth(s: string): string {
  let i = 0;
  const length = s.length;
  while (i < length) {
    const unit = s.charCodeAt(i);
    if ((unit >= FULL_WIDTH_FIRST && unit <= FULL_WIDTH_LAST) || unit === IDEOGRAPHIC_SPACE) break;
    i++;
  }
  if (i === length) return s;
  let out = s.slice(0, i);
  for (; i < length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= FULL_WIDTH_FIRST && unit <= FULL_WIDTH_LAST)
      out += String.fromCharCode(unit - FULL_WIDTH_OFFSET);
    else if (unit === IDEOGRAPHIC_SPACE) out += ' ';
    else out += s[i];
  }
  return out;
}
