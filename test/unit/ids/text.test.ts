import { describe, expect, it } from 'vitest';
import { countCharacters, toHalfWidth, toHalfWidthDigits } from '#shared/ids/text';

describe('countCharacters', () => {
  it('counts a character outside the BMP once although it takes two UTF-16 units', () => {
    // Prepare
    const text = '临汾𠀀劳务';

    // Act
    const count = countCharacters(text);

    // Assess
    expect(text.length).toBe(6);
    expect(count).toBe(5);
  });

  it('agrees with iterating the string by code points, lone surrogates included', () => {
    // Prepare
    const samples = ['', 'abc', '𠀀𠀁', '\ud800x', 'x\udc00', '😀👍🏽劳务品牌\n'];

    // Act
    const counts = samples.map(countCharacters);

    // Assess
    expect(counts).toEqual(samples.map((s) => [...s].length));
  });
});

describe('toHalfWidthDigits', () => {
  it('turns full-width digits into ASCII digits and leaves other characters alone', () => {
    // Act
    const out = toHalfWidthDigits('０３５７－１２３ａ');

    // Assess
    expect(out).toBe('0357－123ａ');
  });

  it('returns the very same string when there is nothing to convert', () => {
    // Prepare
    const text = '0357-1234567';

    // Act
    const out = toHalfWidthDigits(text);

    // Assess
    expect(out).toBe(text);
  });
});

describe('toHalfWidth', () => {
  it('converts full-width letters, punctuation and the ideographic space', () => {
    // Act
    const out = toHalfWidth('（０３５７）\u3000ＡＢｘ－１');

    // Assess
    expect(out).toBe('(0357) ABx-1');
  });
});
