import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#infra/app';

interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string }[];
    suppressedViolations: { ruleName: string; reason?: string }[];
  }[];
}

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-nag-'));
  let report: NagReport;

  beforeAll(() => {
    const { app } = createApp({
      outdir,
      context: {
        issuer: 'https://idp.example.gov.cn/realms/laowu',
        audience: 'laowu',
        'aws:cdk:bundling-stacks': [],
      },
      builtinCloudFormationValidation: false,
    });
    app.synth();
    report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('runs both packs over the app', () => {
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual([
      'AwsSolutions',
      'Serverless',
    ]);
  });

  it('leaves no unacknowledged finding', () => {
    const open = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((v) => `${plugin.pluginName}: ${v.ruleName}`),
    );
    expect(open).toEqual([]);
  });

  it('gives every acknowledged finding a written reason', () => {
    const suppressed = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const finding of suppressed)
      expect(finding.reason?.length ?? 0, finding.ruleName).toBeGreaterThan(20);
  });
});
