import { describe, expect, it } from 'vitest';
import { canReadCase } from '#shared/cases/access';

const head = { org: '91350100M000100Y43', status: 'EXPERT_REVIEW' as const, countyCode: '141024' };
const expert = (sub: string) => ({ sub, role: 'expert' as const });

describe('canReadCase', () => {
  it('lets an expert read only the cases assigned to them', () => {
    const tasks = [{ type: 'expert-review' as const, assigneeGroup: 'expert#expert-01' }];
    expect(canReadCase(expert('expert-01'), head, tasks)).toBe(true);
    expect(canReadCase(expert('expert-02'), head, tasks)).toBe(false);
    expect(canReadCase(expert('expert-01'), head, [])).toBe(false);
  });

  it('lets county staff read their own county’s submitted cases only', () => {
    expect(canReadCase({ sub: 'c', role: 'county', county: '141024' }, head)).toBe(true);
    expect(canReadCase({ sub: 'c', role: 'county', county: '141002' }, head)).toBe(false);
    expect(canReadCase({ sub: 'c', role: 'county', county: '141024' }, { ...head, status: 'DRAFT' })).toBe(
      false,
    );
  });

  it('lets the owner read its case in every status and another unit never', () => {
    expect(canReadCase({ sub: 'u', role: 'applicant', org: head.org }, { ...head, status: 'DRAFT' })).toBe(
      true,
    );
    expect(canReadCase({ sub: 'u', role: 'applicant', org: '911100001000011802' }, head)).toBe(false);
  });

  it('never lets the province read a case (it has the feed)', () => {
    expect(canReadCase({ sub: 'p', role: 'province' }, head)).toBe(false);
  });
});
