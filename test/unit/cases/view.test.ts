import { describe, expect, it } from 'vitest';
import type { CaseHead, EvidenceItem } from '#shared/cases/model';
import { caseView } from '#shared/cases/view';

const head: CaseHead = {
  caseId: 'c1',
  roundId: '2021',
  roundVersion: 1,
  kind: 'brand',
  route: 'county',
  countyCode: '141024',
  org: '91350100M000100Y43',
  status: 'COUNTY_REVIEW',
  version: 3,
  form: { name: '洪洞护工' },
  attempt: 1,
  createdAt: '2021-12-01T01:00:00Z',
  updatedAt: '2021-12-02T01:00:00Z',
};
const pending: EvidenceItem = {
  evidenceId: 'e1',
  slot: 'training-roster',
  fileName: '花名册.csv',
  key: 'rounds/2021/cases/c1/training-roster/e1',
  status: 'PENDING',
  declaredSize: 10,
  contentType: 'text/csv',
  accepts: ['text/csv'],
  maxBytes: 100,
  reservedAt: '2021-12-01T01:00:00Z',
  progress: { rowsRead: 5000, percent: 40, at: '2021-12-01T01:00:05Z' },
};
const record = {
  head,
  evidence: [pending],
  rosters: {
    'output-roster': {
      rows: 3,
      errorReport: { key: 'reports/rosters/2021/c1/output-roster/e0.csv', bytes: 120, issues: 2 },
      crossCase: { persons: 1, cases: [{ caseId: 'c9', persons: 1 }] },
    },
  },
  tasks: [
    {
      taskId: 'c1.t',
      caseId: 'c1',
      type: 'county-review' as const,
      assigneeGroup: 'county#141024',
      state: 'OPEN' as const,
      createdAt: '',
      dueAt: '',
    },
  ],
  timeline: [],
};

describe('caseView', () => {
  it('never shows a storage key: not the upload key, not the error report key, not a task token', () => {
    const text = JSON.stringify(caseView(record, { role: 'city' }));
    expect(text).not.toContain('reports/rosters');
    expect(text).not.toContain('rounds/2021/cases');
    expect(text).not.toContain('taskToken');
  });

  it('shows county and city staff which other cases claim the same people, and the applicant not', () => {
    expect(caseView(record, { role: 'county' }).rosters['output-roster']).toMatchObject({
      crossCase: { persons: 1 },
    });
    expect(caseView(record, { role: 'applicant' }).rosters['output-roster']).not.toHaveProperty('crossCase');
    expect(caseView(record, { role: 'expert' }).rosters['output-roster']).not.toHaveProperty('crossCase');
  });

  it('shows the parse progress of a roster still being verified', () => {
    expect(caseView(record, { role: 'applicant' }).evidence[0]).toMatchObject({
      status: 'PENDING',
      progress: { rowsRead: 5000, percent: 40 },
    });
  });
});
