import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { feedCsv, feedXlsx, negotiateFeedFormat } from '#shared/feed/formats';
import { feedPage } from '#shared/feed/page';
import { FEED_COLUMNS, type FeedEntry, feedItemSchema } from '#shared/feed/schema';
import { entry } from './fixtures';

describe('content negotiation of the feed', () => {
  it.each([
    [undefined, 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['text/csv;q=0.5, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9', 'xlsx'],
    ['text/csv, application/json', 'csv'],
    ['application/pdf', 'json'],
    ['text/csv;q=0', 'json'],
  ] as const)('Accept %j → %s', (accept, format) => {
    expect(negotiateFeedFormat(accept)).toBe(format);
  });
});

describe('a feed page', () => {
  it('carries only the contracted fields, whatever the stored entry holds', () => {
    const stored = { ...entry(1), mobile: '13812345678', leader: '张三' } as FeedEntry;
    const page = feedPage('2021', 0, [stored], false);
    expect(Object.keys(page.items[0] ?? {})).toEqual(FEED_COLUMNS);
    expect(JSON.stringify(page)).not.toMatch(/13812345678|张三|case-1|recordedAt/);
    expect(feedItemSchema.safeParse(page.items[0]).success).toBe(true);
  });

  it('points its cursor after its last item, or where it started when empty', () => {
    const full = feedPage('2021', 4, [entry(5), entry(6)], true);
    const empty = feedPage('2021', 6, [], false);
    expect(full.nextCursor).toBe(empty.nextCursor);
    expect(full.hasMore).toBe(true);
  });
});

describe('the feed as CSV', () => {
  it('starts with a BOM, names the contracted columns and ends rows with CRLF', () => {
    const csv = feedCsv([entry(1), entry(2, { countyCode: null, recommendedToProvince: true })]);
    const lines = csv.split('\r\n');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[0]).toBe(`\uFEFF${FEED_COLUMNS.map((c) => `"${c}"`).join(',')}`);
    expect(lines[2]).toContain('"LF-2021-PP-002","brand","洪洞护工"');
    expect(lines[2]).toMatch(/"","2021-12-11T00:00:02.000Z","true"$/);
    expect(lines.at(-1)).toBe('');
  });

  it('neutralises a name a spreadsheet would run as a formula', () => {
    const csv = feedCsv([entry(1, { name: '=HYPERLINK("http://evil.example","点我")', ownerUnit: '+1+1' })]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(csv).toContain(`"'+1+1"`);
    expect(csv).not.toMatch(/(^|,)"=/m);
  });
});

describe('the feed as XLSX', () => {
  it('writes every cell as an inline string, formulas included', () => {
    const files = unzipSync(feedXlsx([entry(1, { name: '=HYPERLINK("x")' })]));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).not.toContain('<f>');
    expect(sheet).toContain('<t xml:space="preserve">=HYPERLINK(&quot;x&quot;)</t>');
    expect(sheet.match(/<c /g)?.length).toBe(FEED_COLUMNS.length * 2);
    expect(sheet.match(/t="inlineStr"/g)?.length).toBe(FEED_COLUMNS.length * 2);
  });
});
