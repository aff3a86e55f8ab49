import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../bin/laowu-cli';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

function file(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-cli-'));
  const at = path.join(dir, name);
  fs.writeFileSync(at, content);
  return at;
}

async function run(...argv: string[]) {
  const out = capture();
  const err = capture();
  const code = await main(argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

const ROSTER =
  '姓名,身份证号码,输出日期,就业单位\n张甲,11010519491231002X,2021-03-01,临汾护理院\n李乙,110105194912310021,2020-05-01,洪洞家政\n';

describe('laowu roster check', () => {
  it('prints the stats as JSON, with the round and slot it applied', async () => {
    // Prepare
    const csv = file('output.csv', ROSTER);

    // Act
    const result = await run(
      'roster',
      'check',
      csv,
      '--round',
      '2021',
      '--kind',
      'base',
      '--today',
      '2021-12-01',
    );

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      roundId: '2021',
      caseKind: 'base',
      slot: 'output-roster',
      kind: 'output',
      rows: 2,
      validRows: 1,
      invalidRows: 1,
      outputInYear: 1,
      transferredSinceStart: 1,
    });
    expect(result.out).not.toContain('110105194912310021');
  });

  it('writes the full error report on request', async () => {
    // Prepare
    const csv = file('output.csv', ROSTER);
    const report = path.join(path.dirname(csv), 'report.csv');

    // Act
    const result = await run(
      'roster',
      'check',
      csv,
      '--round',
      '2021',
      '--slot',
      'output-roster',
      '--report',
      report,
    );

    // Assess
    expect(result.code).toBe(0);
    const text = fs.readFileSync(report, 'utf8');
    expect(text.startsWith('\ufeff"行号"')).toBe(true);
    expect(text).toContain('110105********0021');
  });

  it('exits 1 with the reason when the file cannot be verified', async () => {
    // Act
    const result = await run('roster', 'check', file('bad.csv', 'a,b\n1,2\n'), '--round', '2021');

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('ROSTER_HEADER_MISSING_COLUMNS');
    expect(result.out).toBe('');
  });

  it('exits 2 on a usage error: unknown round, missing file, a slot the kind does not have', async () => {
    // Act + Assess
    expect((await run('roster', 'check', file('r.csv', ROSTER), '--round', '1999')).code).toBe(2);
    expect((await run('roster', 'check', '/nonexistent/r.csv')).code).toBe(2);
    expect(
      (
        await run(
          'roster',
          'check',
          file('r.csv', ROSTER),
          '--round',
          '2021',
          '--kind',
          'base',
          '--slot',
          'training-roster',
        )
      ).code,
    ).toBe(2);
    expect((await run('roster')).code).toBe(2);
  });
});
