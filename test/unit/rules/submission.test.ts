import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '#shared/cases/model';
import { getRound } from '#shared/rounds/index';
import { submissionDefects } from '#shared/rules/submission';

const round = getRound('2021', 1);
if (!round) throw new Error('round 2021 missing');
const inWindow = new Date('2021-12-01T09:00:00+08:00');
const afterDeadline = new Date('2021-12-31T00:00:00+08:00');

const accepted = (slot: string): EvidenceItem => ({
  evidenceId: slot,
  slot,
  fileName: `${slot}.pdf`,
  key: `k/${slot}`,
  status: 'ACCEPTED',
  declaredSize: 1,
  contentType: 'application/pdf',
  accepts: ['application/pdf'],
  maxBytes: 10,
  reservedAt: '2021-12-01T09:00:00+08:00',
});
const allSlots = round.checklist.brand.filter((slot) => slot.required).map((slot) => accepted(slot.slot));
const completeForm = {
  name: '洪洞护工',
  ownerUnit: '洪洞县职业培训学校',
  ownerCreditCode: '91350100M000100Y43',
  address: '山西省临汾市洪洞县',
  leader: '张三',
  officePhone: '0357-6221234',
  mobile: '13812345678',
  trained: { '2020': 420, '2021': 560 },
  output: { '2020': 300, '2021': 350 },
  introduction: '洪洞护工品牌。',
};
const head = {
  kind: 'brand' as const,
  status: 'DRAFT' as const,
  route: 'county' as const,
  org: '91350100M000100Y43',
  form: completeForm,
};

describe('submissionDefects lists everything that stops a submission at once', () => {
  it('finds nothing in a complete case inside the window', () => {
    expect(submissionDefects(round, head, allSlots, inWindow)).toEqual([]);
  });

  it('lists three problems as three defects', () => {
    const defects = submissionDefects(
      round,
      { ...head, form: { ...completeForm, mobile: undefined, leader: undefined } },
      allSlots.slice(1),
      inWindow,
    );
    expect(defects.map((d) => d.path).sort()).toEqual([
      'evidence.application-form',
      'form.leader',
      'form.mobile',
    ]);
  });

  it('refuses a first submission at or after the deadline (24:00 Asia/Shanghai on 30 December)', () => {
    expect(submissionDefects(round, head, allSlots, afterDeadline).map((d) => d.code)).toEqual([
      'DEADLINE_PASSED',
    ]);
    expect(submissionDefects(round, head, allSlots, new Date('2021-12-30T23:59:59+08:00'))).toEqual([]);
  });

  it('lets a supplement answer after the call deadline (its own request has its own due date)', () => {
    expect(
      submissionDefects(round, { ...head, status: 'SUPPLEMENT_REQUESTED' }, allSlots, afterDeadline),
    ).toEqual([]);
  });

  it('sends a unit registered in a county of the round through that county instead of the direct route', () => {
    const countyUnit = '91141024MA0K3G5Q0A';
    const defects = submissionDefects(
      round,
      { ...head, route: 'direct', org: countyUnit, form: { ...completeForm, ownerCreditCode: countyUnit } },
      allSlots,
      inWindow,
    );
    expect(defects.map((d) => d.code)).toContain('ROUTE_MUST_BE_COUNTY');
    expect(defects.find((d) => d.code === 'ROUTE_MUST_BE_COUNTY')?.message).toContain('洪洞县');
  });

  it('lets a unit registered outside the counties (a city-level unit) apply directly', () => {
    expect(submissionDefects(round, { ...head, route: 'direct' }, allSlots, inWindow)).toEqual([]);
  });
});
