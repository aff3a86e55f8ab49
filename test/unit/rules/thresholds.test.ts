import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '#shared/cases/model';
import { checklistFor, getRound, type Kind, type Round } from '#shared/rounds/index';
import { autoCheck } from '#shared/rules/auto-check';
import { rosterDefects, thresholdShortfalls } from '#shared/rules/thresholds';

function round2021(): Round {
  const round = getRound('2021');
  if (!round) throw new Error('round 2021 missing');
  return round;
}

/** Stored stats of a roster slot as intake writes them (only what the rules read matters). */
function stats(evidenceId: string, numbers: Record<string, number>) {
  return { rows: 1000, validRows: 1000, distinctPersons: 1000, evidenceId, errors: [], ...numbers };
}

let counter = 0;
function evidence(
  slot: string,
  status: EvidenceItem['status'],
  extra: Partial<EvidenceItem> = {},
): EvidenceItem {
  counter++;
  return {
    evidenceId: `${slot}-${counter}`,
    slot,
    fileName: `${slot}.pdf`,
    key: `rounds/2021/cases/c1/${slot}/${counter}`,
    status,
    declaredSize: 10,
    contentType: 'application/pdf',
    accepts: ['application/pdf'],
    maxBytes: 100,
    reservedAt: `2021-11-01T00:00:${String(counter % 60).padStart(2, '0')}.000Z`,
    ...(status !== 'PENDING' ? { receivedAt: '2021-11-01T01:00:00.000Z' } : {}),
    ...extra,
  };
}

/** Every required slot accepted, with stats for the roster slots. */
function completeCase(kind: Kind, rosterNumbers: Record<string, Record<string, number>>) {
  const round = round2021();
  const items = checklistFor(round, kind)
    .filter((slot) => slot.required)
    .map((slot) => evidence(slot.slot, 'ACCEPTED'));
  const rosters: Record<string, Record<string, unknown>> = {};
  for (const [slot, numbers] of Object.entries(rosterNumbers)) {
    const item = items.find((i) => i.slot === slot);
    if (item) rosters[slot] = stats(item.evidenceId, numbers);
  }
  return { head: { kind }, evidence: items, rosters };
}

const BRAND_OK = {
  'training-roster': { trainedInYear: 560, employedOfTrained: 400, employmentRate: 400 / 560 },
  'output-roster': { outputInYear: 350 },
};

describe('threshold shortfalls of round 2021', () => {
  it('finds none when a brand meets every threshold exactly or above', () => {
    // Prepare
    const rosters = {
      'training-roster': stats('t', { trainedInYear: 500, employedOfTrained: 150, employmentRate: 0.3 }),
      'output-roster': stats('o', { outputInYear: 300 }),
    };

    // Act + Assess
    expect(thresholdShortfalls(round2021(), 'brand', rosters)).toEqual([]);
  });

  it('names every brand threshold missed, with the verified and the required number', () => {
    // Prepare
    const rosters = {
      'training-roster': stats('t', {
        trainedInYear: 499,
        employedOfTrained: 100,
        employmentRate: 100 / 499,
      }),
      'output-roster': stats('o', { outputInYear: 299 }),
    };

    // Act
    const found = thresholdShortfalls(round2021(), 'brand', rosters);

    // Assess
    expect(found.map((d) => d.code)).toEqual([
      'BELOW_TRAINED_MIN',
      'BELOW_EMPLOYMENT_RATE_MIN',
      'BELOW_OUTPUT_MIN',
    ]);
    expect(found[0]?.message).toContain('499');
    expect(found[0]?.message).toContain('500');
    expect(found[1]?.message).toContain('20.0%');
    expect(found[1]?.message).toContain('30.0%');
    expect(found[2]?.path).toBe('rosters.output-roster.outputInYear');
  });

  it('judges a base by the people transferred since the window start', () => {
    // Prepare
    const below = { 'output-roster': stats('o', { outputInYear: 1500, transferredSinceStart: 1999 }) };
    const met = { 'output-roster': stats('o', { outputInYear: 1500, transferredSinceStart: 2000 }) };

    // Act + Assess
    expect(thresholdShortfalls(round2021(), 'base', below)).toEqual([
      expect.objectContaining({
        code: 'BELOW_TRANSFERRED_MIN',
        path: 'rosters.output-roster.transferredSinceStart',
      }),
    ]);
    expect(thresholdShortfalls(round2021(), 'base', met)).toEqual([]);
  });

  it('reports only what verified rosters show: a roster with no stats or unreadable stats adds nothing', () => {
    // Act + Assess
    expect(thresholdShortfalls(round2021(), 'brand', {})).toEqual([]);
    expect(
      thresholdShortfalls(round2021(), 'brand', { 'training-roster': { trainedInYear: 'lots', rows: -1 } }),
    ).toEqual([]);
    expect(
      thresholdShortfalls(round2021(), 'brand', { 'output-roster': stats('o', { outputInYear: 10 }) }).map(
        (d) => d.code,
      ),
    ).toEqual(['BELOW_OUTPUT_MIN']);
  });
});

describe('auto check', () => {
  it('passes a complete brand case whose rosters meet the thresholds', () => {
    // Act + Assess
    expect(autoCheck(round2021(), completeCase('brand', BRAND_OK))).toEqual({ verdict: 'ok', defects: [] });
  });

  it('makes a complete case below a threshold ineligible, with every reason', () => {
    // Prepare
    const record = completeCase('brand', {
      'training-roster': { trainedInYear: 100, employedOfTrained: 10, employmentRate: 0.1 },
      'output-roster': { outputInYear: 350 },
    });

    // Act
    const result = autoCheck(round2021(), record);

    // Assess
    expect(result.verdict).toBe('ineligible');
    expect(result.defects.map((d) => d.code)).toEqual(['BELOW_TRAINED_MIN', 'BELOW_EMPLOYMENT_RATE_MIN']);
  });

  it('asks for a supplement listing every defect at once: a missing roster, a refused one, and the shortfalls found so far', () => {
    // Prepare
    const record = completeCase('brand', {
      'training-roster': { trainedInYear: 100, employedOfTrained: 100, employmentRate: 1 },
    });
    record.evidence = record.evidence.filter((item) => item.slot !== 'output-roster');
    record.evidence.push(
      evidence('output-roster', 'REJECTED', {
        reasonCode: 'ROSTER_HEADER_MISSING_COLUMNS',
        reason: '花名册缺少必需的列：输出日期',
      }),
    );
    record.evidence = record.evidence.filter((item) => item.slot !== 'media-reports');

    // Act
    const result = autoCheck(round2021(), record);

    // Assess
    expect(result.verdict).toBe('defects');
    expect(result.defects.map((d) => `${d.path} ${d.code}`)).toEqual([
      'evidence.output-roster EVIDENCE_MISSING',
      'evidence.output-roster EVIDENCE_ROSTER_HEADER_MISSING_COLUMNS',
      'evidence.media-reports EVIDENCE_MISSING',
      'rosters.training-roster.trainedInYear BELOW_TRAINED_MIN',
    ]);
  });

  it('treats a roster still being parsed as pending: a first upload, and a replacement of an accepted one', () => {
    // Prepare
    const first = completeCase('brand', BRAND_OK);
    first.evidence = first.evidence.filter((item) => item.slot !== 'output-roster');
    first.evidence.push(evidence('output-roster', 'PENDING', { receivedAt: '2021-11-02T00:00:00.000Z' }));
    const replacing = completeCase('brand', BRAND_OK);
    replacing.evidence.push(
      evidence('training-roster', 'PENDING', { receivedAt: '2021-11-02T00:00:00.000Z' }),
    );

    // Act
    const a = autoCheck(round2021(), first);
    const b = autoCheck(round2021(), replacing);

    // Assess
    expect(a).toEqual({
      verdict: 'defects',
      defects: [expect.objectContaining({ code: 'EVIDENCE_PENDING' })],
    });
    expect(b).toEqual({
      verdict: 'defects',
      defects: [expect.objectContaining({ code: 'ROSTER_PENDING', path: 'rosters.training-roster' })],
    });
  });

  it('does not wait for a reserved upload that never arrived next to an accepted roster', () => {
    // Prepare
    const record = completeCase('brand', BRAND_OK);
    record.evidence.push(evidence('training-roster', 'PENDING'));

    // Act + Assess
    expect(autoCheck(round2021(), record).verdict).toBe('ok');
  });

  it('asks for a re-upload of an accepted roster that has no stats of its own', () => {
    // Prepare
    const record = completeCase('brand', BRAND_OK);
    const training = record.rosters['training-roster'];
    if (training) training.evidenceId = 'an-older-upload';

    // Act
    const defects = rosterDefects(round2021(), 'brand', record.evidence, record.rosters);

    // Assess
    expect(defects).toEqual([
      expect.objectContaining({ code: 'ROSTER_NOT_VERIFIED', path: 'rosters.training-roster' }),
    ]);
  });
});
