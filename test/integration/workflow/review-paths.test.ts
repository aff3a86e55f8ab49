import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import { completeBrandCase, tokens } from '../cloud/fixtures';
import {
  type Api,
  brandScores,
  executionArnOf,
  finished,
  type InboxItem,
  reviewTokens,
  statusBecomes,
  taskFor,
} from './support';

const PANEL = ['expert-01', 'expert-02', 'expert-03'];

describe('the paths a case can take besides recognition', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: Api;
  let applicant: string;
  let staff: Awaited<ReturnType<typeof reviewTokens>>;

  const submitted = async () => {
    const caseId = await completeBrandCase(cloud, applicant);
    const submit = await api('POST', `/v1/cases/${caseId}/submit`, { token: applicant });
    expect(submit.status, JSON.stringify(submit.body)).toBe(202);
    return caseId;
  };

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    applicant = (await tokens(cloud)).applicant;
    staff = await reviewTokens(cloud, PANEL);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('ends REJECTED when the county does not recommend the case', async () => {
    const caseId = await submitted();
    const review = await taskFor(api, staff.county, caseId, 'county-review');
    const rejected = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
      token: staff.county,
      body: { decision: 'reject', opinion: '培训记录与花名册不符，不予推荐' },
    });
    expect(rejected.status).toBe(200);
    expect((await finished(cloud, executionArnOf(cloud, caseId))).status).toBe('SUCCEEDED');
    const view = await statusBecomes(api, staff.city, caseId, 'REJECTED');
    expect(view.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'task-completed:county-review', note: 'reject', role: 'county' }),
        expect.objectContaining({ status: 'REJECTED', note: 'county-review' }),
      ]),
    );
  });

  it('sends a returned case back to the applicant and, once resubmitted, to the same county review', async () => {
    const caseId = await submitted();
    const first = await taskFor(api, staff.county, caseId, 'county-review');
    const returned = await api('POST', `/v1/tasks/${first.taskId}/complete`, {
      token: staff.county,
      body: { decision: 'return', opinion: '请补充培训结业证明的盖章页' },
    });
    expect(returned.status).toBe(200);
    const waiting = await eventually(async () => {
      const view = await api('GET', `/v1/cases/${caseId}`, { token: applicant });
      return view.body.status === 'SUPPLEMENT_REQUESTED' && view.body.supplementRequest
        ? view.body
        : undefined;
    });
    expect(waiting.supplementRequest.dueAt).toMatch(/^2021-12-/);
    // `return` exists only in county review.
    expect((await api('GET', '/v1/tasks', { token: staff.county })).body.items).toEqual([]);

    const resubmitted = await api('POST', `/v1/cases/${caseId}/submit`, { token: applicant });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(202);
    const second = await taskFor(api, staff.county, caseId, 'county-review');
    expect(second.taskId).not.toBe(first.taskId);
    await statusBecomes(api, staff.city, caseId, 'COUNTY_REVIEW');
    // The first review is done; completing it again is a conflict, not a second decision.
    const stale = await api('POST', `/v1/tasks/${first.taskId}/complete`, {
      token: staff.county,
      body: { decision: 'approve', opinion: '重复提交' },
    });
    expect(stale.status).toBe(409);
  });

  it('refuses decisions a task type does not take and scores where none are asked', async () => {
    const caseId = await submitted();
    const review = await taskFor(api, staff.county, caseId, 'county-review');
    const scored = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
      token: staff.county,
      body: { decision: 'approve', opinion: '同意推荐', scores: brandScores(0.8) },
    });
    expect(scored.status).toBe(422);
    expect(scored.body.error.code).toBe('SCORES_NOT_ALLOWED');
    expect(
      (
        await api('POST', `/v1/tasks/${review.taskId}/complete`, {
          token: staff.county,
          body: { decision: 'approve', opinion: '同意推荐' },
        })
      ).status,
    ).toBe(200);
    const onsite = await taskFor(api, staff.city, caseId, 'onsite-evaluation');
    const returned = await api('POST', `/v1/tasks/${onsite.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'return', opinion: '退回', scores: brandScores(0.8) },
    });
    expect(returned.status).toBe(422);
    expect(returned.body.error.code).toBe('DECISION_NOT_ALLOWED');
    // An expert sees only their own tasks; the city's task is not theirs.
    const expert = staff.experts['expert-01'] as string;
    expect(
      (
        await api('POST', `/v1/tasks/${onsite.taskId}/complete`, {
          token: expert,
          body: { decision: 'approve', opinion: '越权', scores: brandScores(0.8) },
        })
      ).status,
    ).toBe(404);

    // On-site failure ends the case.
    const failed = await api('POST', `/v1/tasks/${onsite.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'reject', opinion: '现场核查与申报不符', scores: brandScores(0.3) },
    });
    expect(failed.status).toBe(200);
    const view = await statusBecomes(api, staff.city, caseId, 'REJECTED');
    expect(view.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'task-completed:onsite-evaluation', note: 'reject (32)' }),
        expect.objectContaining({ status: 'REJECTED', note: 'onsite-evaluation' }),
      ]),
    );
  });

  // Last: it moves the simulated clock two months on for the rest of this file.
  it('skips an expert whose task runs out of time: the case goes to selection on the scores it has', async () => {
    const caseId = await submitted();
    const review = await taskFor(api, staff.county, caseId, 'county-review');
    await api('POST', `/v1/tasks/${review.taskId}/complete`, {
      token: staff.county,
      body: { decision: 'approve', opinion: '同意推荐' },
    });
    const onsite = await taskFor(api, staff.city, caseId, 'onsite-evaluation');
    await api('POST', `/v1/tasks/${onsite.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'approve', opinion: '属实', scores: brandScores(0.8) },
    });
    for (const expertId of ['expert-01', 'expert-02']) {
      const token = staff.experts[expertId] as string;
      const task = await taskFor(api, token, caseId, 'expert-review');
      const done = await api('POST', `/v1/tasks/${task.taskId}/complete`, {
        token,
        body: {
          decision: 'approve',
          opinion: '同意',
          scores: brandScores(expertId === 'expert-01' ? 0.8 : 0.7),
        },
      });
      expect(done.status).toBe(200);
    }
    const absent = staff.experts['expert-03'] as string;
    const forgotten = await taskFor(api, absent, caseId, 'expert-review');
    // Ten working days later it shows as overdue; after the expert-review backstop (TASK_TIMEOUT_DAYS,
    // months) it is gone and the case goes on without that expert.
    await api('POST', '/local/clock', { body: { advance: 'P20D' } });
    expect((await taskFor(api, absent, caseId, 'expert-review')).overdue).toBe(true);
    await api('POST', '/local/clock', { body: { advance: 'P161D' } });

    await statusBecomes(api, staff.city, caseId, 'AWAITING_SELECTION');
    const inbox = await api('GET', '/v1/tasks', { token: absent });
    expect((inbox.body.items as InboxItem[]).map((item) => item.taskId)).not.toContain(forgotten.taskId);
    const late = await api('POST', `/v1/tasks/${forgotten.taskId}/complete`, {
      token: absent,
      body: { decision: 'approve', opinion: '迟到的评分', scores: brandScores(0.9) },
    });
    expect(late.status).toBe(409);
    const ranking = await api('GET', '/v1/rounds/2021/ranking', { token: staff.city });
    expect(ranking.body.items).toEqual([
      // 80 and 72 (each criterion at 80 % and 70 % of its maximum, rounded).
      expect.objectContaining({ caseId, experts: 2, total: 76, mean: 76, spread: 8, rank: 1 }),
    ]);
  });
});
