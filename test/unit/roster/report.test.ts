import { describe, expect, it } from 'vitest';
import { csvCell, errorReportCsv, maskPersonalNumbers, type RosterIssue } from '#shared/roster/index';
import { csv, makeId, verifyText, withWrongCheck } from './helpers';

async function reportText(issues: RosterIssue[]): Promise<{ bytes: Uint8Array; text: string }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of errorReportCsv(issues)) chunks.push(chunk);
  const bytes = Uint8Array.from(chunks.flatMap((c) => [...c]));
  return { bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

describe('roster error report', () => {
  it('starts with a UTF-8 BOM and the columns 行号,列,代码,原因', async () => {
    const { bytes, text } = await reportText([]);

    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toBe('\ufeff"行号","列","代码","原因"\r\n');
  });

  it('writes one quoted line per issue with inner quotes doubled', async () => {
    const { text } = await reportText([
      { row: 7, column: '身份证"号码"', code: 'ID_LENGTH', message: 'a,b' },
    ]);

    expect(text.split('\r\n')[1]).toBe('"7","身份证""号码""","ID_LENGTH","a,b"');
  });

  it('never carries a full ID of the verified roster', async () => {
    // Prepare
    const id = withWrongCheck(makeId('141024', '19900101', '123'));
    const issues: RosterIssue[] = [];
    await verifyText(csv('姓名,身份证号码,结业日期,就业单位,就业日期', `张三,${id},2021-03-05,,`), {
      onIssue: (i) => issues.push(i),
    });

    // Act
    const { text } = await reportText(issues);

    // Assess
    expect(text).not.toContain(id);
    expect(text).toContain(`141024********${id.slice(-4)}`);
  });

  it('masks ID and mobile shapes whatever put them in a message', () => {
    expect(maskPersonalNumbers('号码 14102419900101123X 与 13812345678')).toBe(
      '号码 141024********123X 与 138****5678',
    );
    expect(maskPersonalNumbers('旧号 141024900101123')).toBe('旧号 141024*****1123');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])(
    'neutralises a formula trigger at the start of %j',
    (value) => {
      expect(csvCell(value)).toBe(`"'${value}"`);
    },
  );

  it('leaves ordinary text untouched', () => {
    expect(csvCell('第 3 行')).toBe('"第 3 行"');
  });

  it('neutralises a formula in a header the user wrote', async () => {
    const issues: RosterIssue[] = [];
    await verifyText(
      csv('姓名,身份证号码,结业日期,就业单位,就业日期,=HYPERLINK("x")', '张三,bad,2021-03-05,,,'),
      {
        onIssue: (i) => issues.push(i),
      },
    );
    const withFormulaColumn: RosterIssue = { ...(issues[0] as RosterIssue), column: '=HYPERLINK("x")' };

    const { text } = await reportText([withFormulaColumn]);

    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('streams large reports in several chunks', async () => {
    const issues = Array.from(
      { length: 2000 },
      (_, i): RosterIssue => ({ row: i + 2, column: '姓名', code: 'NAME_MISSING', message: '姓名为空' }),
    );

    const chunks: Uint8Array[] = [];
    for await (const chunk of errorReportCsv(issues)) chunks.push(chunk);

    expect(chunks.length).toBeGreaterThan(1);
    expect(
      new TextDecoder().decode(chunks.at(-1)).endsWith('"2001","姓名","NAME_MISSING","姓名为空"\r\n'),
    ).toBe(true);
  });
});
