import { describe, expect, it } from 'vitest';
import type { CaseHead, EvidenceItem } from '#shared/cases/model';
import { getRound } from '#shared/rounds/index';
import type { CaseRecord } from '#shared/store/cases-repository';
import { reviewerCaseView } from '#shared/workflow/review-view';

const head: CaseHead = {
  caseId: 'c-1',
  roundId: '2021',
  roundVersion: 1,
  kind: 'brand',
  route: 'county',
  countyCode: '141024',
  org: '91350100M000100Y43',
  status: 'EXPERT_REVIEW',
  version: 7,
  form: { name: '洪洞护工', ownerUnit: '洪洞县职业培训学校', leader: '张三', mobile: '13812345678' },
  attempt: 1,
  createdAt: '2021-12-01T01:00:00.000Z',
  updatedAt: '2021-12-01T01:00:00.000Z',
};

const evidence = (
  evidenceId: string,
  status: EvidenceItem['status'],
  supersededBy?: string,
): EvidenceItem => ({
  evidenceId,
  slot: 'training-roster',
  fileName: `${evidenceId}.csv`,
  key: `rounds/2021/cases/c-1/training-roster/${evidenceId}`,
  status,
  declaredSize: 10,
  contentType: 'text/csv',
  accepts: ['text/csv'],
  maxBytes: 100,
  reservedAt: '2021-12-01T01:00:00.000Z',
  ...(supersededBy ? { supersededBy } : {}),
});

const record: CaseRecord = {
  head,
  evidence: [evidence('old', 'ACCEPTED', 'new'), evidence('new', 'ACCEPTED'), evidence('bad', 'REJECTED')],
  rosters: {
    'training-roster': {
      rows: 560,
      validRows: 559,
      employmentRate: 0.98,
      errors: [{ row: 3, column: '身份证号码', code: 'ID_CHECK', message: '141024********123X 校验位错误' }],
      reportKey: 'reports/rosters/c-1/training-roster.csv',
    },
  },
  tasks: [],
  timeline: [],
};

describe('what a reviewer (an expert above all) sees of a case', () => {
  const view = reviewerCaseView(record, getRound('2021'));

  it('shows the form without the personal mobile, and the county by name', () => {
    expect(view.form).toEqual({ name: '洪洞护工', ownerUnit: '洪洞县职业培训学校', leader: '张三' });
    expect(view.countyName).toBe('洪洞县');
  });

  it('lists only the current accepted evidence, without storage keys', () => {
    expect(view.evidence).toEqual([{ evidenceId: 'new', slot: 'training-roster', fileName: 'new.csv' }]);
    expect(JSON.stringify(view)).not.toContain('rounds/2021');
  });

  it('keeps the roster figures and drops the rows, error lines and report keys', () => {
    expect(view.rosters).toEqual({ 'training-roster': { rows: 560, validRows: 559, employmentRate: 0.98 } });
  });

  it('names a direct application 市直', () => {
    const direct = reviewerCaseView(
      { ...record, head: { ...head, route: 'direct', countyCode: undefined } },
      getRound('2021'),
    );
    expect(direct.countyName).toBe('市直');
  });
});
