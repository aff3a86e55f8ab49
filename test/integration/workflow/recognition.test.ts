import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { apiClient, startTestCloud } from '../../support/local-cloud';
import { completeBrandCase, tokens } from '../cloud/fixtures';
import {
  type Api,
  brandScores,
  completeDirectBase,
  executionArnOf,
  finished,
  historyOf,
  reviewTokens,
  scoresFor,
  statusBecomes,
  taskFor,
} from './support';

const PANEL = ['expert-01', 'expert-02', 'expert-03'];

describe('the workflow carries a county brand and a direct base from submission to recognition', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: Api;
  let applicant: string;
  let staff: Awaited<ReturnType<typeof reviewTokens>>;

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    // Replay the 2021 call: a Wednesday inside its application window.
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    applicant = (await tokens(cloud)).applicant;
    staff = await reviewTokens(cloud, PANEL);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('submission → county → on-site → panel → selection → publicity with objections → certificate → province', async () => {
    // Two brands of one county: the better one will be selected, the other not.
    const winner = await completeBrandCase(cloud, applicant);
    const runnerUp = await completeBrandCase(cloud, applicant);
    // A city-level (市直) base applies directly: no county review.
    const base = await completeDirectBase(cloud, applicant);
    for (const caseId of [winner, runnerUp, base]) {
      const submitted = await api('POST', `/v1/cases/${caseId}/submit`, { token: applicant });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    }

    // County review: the case's county recommends; another county cannot see or act on the task.
    for (const caseId of [winner, runnerUp]) {
      const review = await taskFor(api, staff.county, caseId, 'county-review');
      expect(review.overdue).toBe(false);
      const foreign = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
        token: staff.otherCounty,
        body: { decision: 'approve', opinion: '越权推荐' },
      });
      expect(foreign.status).toBe(404);
      const done = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
        token: staff.county,
        body: { decision: 'approve', opinion: '材料真实，同意推荐' },
      });
      expect(done.status).toBe(200);
      const again = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
        token: staff.county,
        body: { decision: 'approve', opinion: '再次推荐' },
      });
      expect(again.status).toBe(409);
    }

    // On-site evaluation: scores are required, keyed by the rubric, each within its maximum.
    for (const [caseId, share] of [
      [winner, 0.9],
      [runnerUp, 0.6],
    ] as const) {
      const onsite = await taskFor(api, staff.city, caseId, 'onsite-evaluation');
      const complete = (body: unknown) =>
        api('POST', `/v1/tasks/${onsite.taskId}/complete`, { token: staff.city, body });
      const unscored = await complete({ decision: 'approve', opinion: '现场核实' });
      expect(unscored.status).toBe(422);
      expect(unscored.body.error.details[0].code).toBe('SCORES_REQUIRED');
      const unknown = await complete({
        decision: 'approve',
        opinion: '现场核实',
        scores: { ...brandScores(share), 'made-up': 3 },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details.map((d: { code: string }) => d.code)).toContain('UNKNOWN_CRITERION');
      const tooHigh = await complete({
        decision: 'approve',
        opinion: '现场核实',
        scores: { ...brandScores(share), 'rights-and-integrity': 16 },
      });
      expect(tooHigh.status).toBe(422);
      const scored = await complete({
        decision: 'approve',
        opinion: '现场核实，情况属实',
        scores: brandScores(share),
      });
      expect(scored.status, JSON.stringify(scored.body)).toBe(200);
      expect(scored.body.total).toBe(Object.values(brandScores(share)).reduce((a, b) => a + b, 0));
    }
    // The base is scored against the base rubric: a brand's criteria do not fit it.
    const baseOnsite = await taskFor(api, staff.city, base, 'onsite-evaluation');
    const wrongRubric = await api('POST', `/v1/tasks/${baseOnsite.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'approve', opinion: '现场核实', scores: brandScores(0.8) },
    });
    expect(wrongRubric.status).toBe(422);
    expect(
      (
        await api('POST', `/v1/tasks/${baseOnsite.taskId}/complete`, {
          token: staff.city,
          body: { decision: 'approve', opinion: '基地运转正常', scores: scoresFor('base', 0.8) },
        })
      ).status,
    ).toBe(200);

    // Central review: one task per panel expert; experts see the case without personal data.
    for (const [caseId, kind, shares] of [
      [winner, 'brand', [0.9, 0.85, 0.95]],
      [runnerUp, 'brand', [0.6, 0.7, 0.65]],
      [base, 'base', [0.8, 0.8, 0.75]],
    ] as const) {
      for (const [index, expertId] of PANEL.entries()) {
        const token = staff.experts[expertId] as string;
        const task = await taskFor(api, token, caseId, 'expert-review');
        const detail = await api('GET', `/v1/tasks/${task.taskId}`, { token });
        expect(detail.status).toBe(200);
        expect(detail.body.rubric.map((c: { criterionId: string }) => c.criterionId)).toEqual(
          Object.keys(scoresFor(kind, 1)),
        );
        expect(detail.body.case.kind).toBe(kind);
        expect(detail.body.case.form.mobile).toBeUndefined();
        expect(JSON.stringify(detail.body)).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/);
        const scored = await api('POST', `/v1/tasks/${task.taskId}/complete`, {
          token,
          body: { decision: 'approve', opinion: '同意', scores: scoresFor(kind, shares[index] ?? 0) },
        });
        expect(scored.status, JSON.stringify(scored.body)).toBe(200);
      }
      await statusBecomes(api, staff.city, caseId, 'AWAITING_SELECTION');
    }

    // The proposed ranking puts the better-scored case first; departing from it needs an opinion.
    const ranking = await api('GET', '/v1/rounds/2021/ranking', { token: staff.city });
    expect(ranking.status).toBe(200);
    expect(
      ranking.body.items.map((item: { caseId: string; kind: string; rank: number }) => [
        item.caseId,
        item.kind,
        item.rank,
      ]),
    ).toEqual([
      [winner, 'brand', 1],
      [runnerUp, 'brand', 2],
      [base, 'base', 1],
    ]);
    const sum = (sheet: Record<string, number>) => Object.values(sheet).reduce((a, b) => a + b, 0);
    const panelMean = [0.9, 0.85, 0.95].reduce((total, share) => total + sum(brandScores(share)), 0) / 3;
    expect(ranking.body.items[0]).toMatchObject({
      experts: 3,
      total: Math.round(panelMean * 100) / 100,
      spreadFlagged: false,
      onsiteTotal: sum(brandScores(0.9)),
    });
    const overridden = await api('POST', '/v1/rounds/2021/selection', {
      token: staff.city,
      body: { caseIds: [runnerUp] },
    });
    expect(overridden.status).toBe(422);
    expect(overridden.body.error.code).toBe('OPINION_REQUIRED');

    const selection = await api('POST', '/v1/rounds/2021/selection', {
      token: staff.city,
      body: { caseIds: [winner, base] },
    });
    expect(selection.status, JSON.stringify(selection.body)).toBe(200);
    // Published Wed 1 Dec 2021: 7 working days from Thu 2 Dec end at 24:00 on Fri 10 Dec.
    expect(selection.body).toMatchObject({
      publicityStartsAt: expect.stringMatching(/^2021-12-01T09:/),
      publicityEndsAt: '2021-12-11T00:00:00+08:00',
      followsRanking: true,
    });

    const notSelected = await finished(cloud, executionArnOf(cloud, runnerUp));
    expect(notSelected.status).toBe('SUCCEEDED');
    await statusBecomes(api, staff.city, runnerUp, 'NOT_SELECTED');
    await statusBecomes(api, staff.city, winner, 'PUBLICITY');
    await statusBecomes(api, staff.city, base, 'PUBLICITY');

    // Publicity is public: the window and the candidates' public identity.
    const publicity = await api('GET', '/v1/rounds/2021/publicity');
    expect(publicity.status).toBe(200);
    expect(publicity.body).toMatchObject({
      publicityEndsAt: '2021-12-11T00:00:00+08:00',
      open: true,
      items: [
        {
          caseId: winner,
          kind: 'brand',
          name: '洪洞护工',
          ownerUnit: '洪洞县职业培训学校',
          countyName: '洪洞县',
        },
        { caseId: base, kind: 'base', countyName: '市直' },
      ],
    });

    // Objections: real name and phone, inside the window only.
    const objection = {
      caseId: winner,
      name: '李四',
      phone: '13912345678',
      reason: '该品牌培训人数存在虚报。',
    };
    const missingPhone = await api('POST', '/v1/rounds/2021/objections', {
      body: { ...objection, phone: undefined },
    });
    expect(missingPhone.status).toBe(400);
    const notListed = await api('POST', '/v1/rounds/2021/objections', {
      body: { ...objection, caseId: runnerUp },
    });
    expect(notListed.status).toBe(404);
    const raised = await api('POST', '/v1/rounds/2021/objections', { body: objection });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(JSON.stringify(raised.body)).not.toContain('13912345678');
    // Bursts from one caller are cut off: ten a round and hour (refused ones count too).
    const burst = [];
    for (let i = 0; i < 9; i++) {
      burst.push(
        (await api('POST', '/v1/rounds/2021/objections', { body: { ...objection, caseId: runnerUp } }))
          .status,
      );
    }
    expect(burst).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);

    const dashboard = await api('GET', '/v1/rounds/2021/dashboard', { token: staff.city });
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.byStatus).toMatchObject({ PUBLICITY: 2, NOT_SELECTED: 1 });
    const counties = dashboard.body.counties as { code: string; terrain: string; recommended: number }[];
    expect(counties.find((county) => county.code === '141024')).toMatchObject({
      terrain: 'plain',
      recommended: 2,
      floor: 1,
      meetsFloor: true,
    });
    expect(counties.find((county) => county.code === '141002')).toMatchObject({
      recommended: 0,
      meetsFloor: false,
    });
    expect(counties.find((county) => county.code === '141025')).toMatchObject({
      terrain: 'mountain',
      floor: 0,
      target: 1,
      meetsFloor: true,
    });
    expect((await api('GET', '/v1/rounds/2021/dashboard', { token: staff.county })).status).toBe(403);

    // The simulated clock passes the end of publicity: objections are refused, the Wait is released.
    await api('POST', '/local/clock', { body: { now: '2021-12-11T00:00:01+08:00' } });
    const late = await api('POST', '/v1/rounds/2021/objections', { body: objection });
    expect(late.status).toBe(403);

    // The open objection goes to the city's review; the review sees it with the phone masked.
    const review = await taskFor(api, staff.city, winner, 'objection-review');
    const reviewDetail = await api('GET', `/v1/tasks/${review.taskId}`, { token: staff.city });
    expect(reviewDetail.body.objections).toMatchObject([
      { reason: objection.reason, phoneMasked: '139****5678', state: 'OPEN' },
    ]);
    expect(JSON.stringify(reviewDetail.body)).not.toContain('13912345678');
    const dismissed = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'approve', opinion: '经核查，异议不成立' },
    });
    expect(dismissed.status).toBe(200);

    // Recognition: a certificate number of the round and kind, publicly verifiable.
    const certificateOf = async (caseId: string) => {
      const view = await statusBecomes(api, staff.city, caseId, 'CERTIFIED');
      return (view.timeline as { status: string; note?: string }[]).find(
        (entry) => entry.status === 'CERTIFIED' && entry.note?.startsWith('LF-'),
      )?.note;
    };
    const certificateNo = await certificateOf(winner);
    expect(certificateNo).toBe('LF-2021-PP-001');
    // The base had no objection: certified straight after publicity, numbered in its own kind.
    expect(await certificateOf(base)).toBe('LF-2021-JD-001');
    const trail = (await api('GET', `/v1/cases/${winner}`, { token: staff.city })).body.timeline;
    expect(trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'selection', note: 'selected', role: 'city' }),
        expect.objectContaining({ action: 'objection-raised', role: 'public' }),
        expect.objectContaining({ action: 'task-completed:objection-review', note: 'approve' }),
      ]),
    );
    expect(JSON.stringify(trail)).not.toMatch(/李四|13912345678/);
    const verified = await api('GET', `/v1/certificates/${certificateNo}`);
    expect(verified.body).toMatchObject({ certificateNo, kind: 'brand', name: '洪洞护工', valid: true });
    expect((await api('GET', '/v1/certificates/LF-2021-PP-999')).status).toBe(404);

    // The city recommends the brand to the province and not the base; both stay certified.
    for (const [caseId, decision, note] of [
      [winner, 'approve', 'province-recommended'],
      [base, 'reject', 'province-not-recommended'],
    ] as const) {
      const province = await taskFor(api, staff.city, caseId, 'province-recommendation');
      const decided = await api('POST', `/v1/tasks/${province.taskId}/complete`, {
        token: staff.city,
        body: { decision, opinion: decision === 'approve' ? '推荐申报省级' : '暂不推荐' },
      });
      expect(decided.status).toBe(200);
      expect((await finished(cloud, executionArnOf(cloud, caseId))).status).toBe('SUCCEEDED');
      const final = await statusBecomes(api, staff.city, caseId, 'CERTIFIED');
      // The workflow's record and the city's decision, both in the audit trail.
      expect(final.timeline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ status: 'CERTIFIED', note }),
          expect.objectContaining({
            action: 'task-completed:province-recommendation',
            note: decision,
            role: 'city',
          }),
        ]),
      );
    }
    const executionArn = executionArnOf(cloud, winner);

    // State payloads carry ids only: small, and free of ID numbers and mobiles.
    const history = await historyOf(cloud, executionArn);
    const payloads = history.flatMap((event) =>
      [event.stateEnteredEventDetails?.input, event.stateExitedEventDetails?.output].filter(
        (payload): payload is string => payload !== undefined,
      ),
    );
    expect(payloads.length).toBeGreaterThan(10);
    for (const payload of payloads) {
      expect(payload.length).toBeLessThan(4096);
      expect(payload).not.toMatch(/\d{17}[\dXx]|1[3-9]\d{9}/);
    }
    const transitions = history.filter((event) => event.type?.endsWith('StateEntered')).length;
    const invocations = history.filter((event) => event.type === 'TaskScheduled').length;
    console.info(
      `a certified county brand (panel of ${PANEL.length}, one objection): ${transitions} state transitions, ${invocations} Lambda invocations`,
    );
    // The cost budget (≤ $0.001 per application at $0.025 per 1,000 transitions) allows 40.
    expect(transitions).toBeLessThanOrEqual(40);
  });
});
