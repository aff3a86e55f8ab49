import { describe, expect, it } from 'vitest';
import { evidenceObjectKey, parseEvidenceObjectKey } from '#shared/evidence/keys';

describe('evidence object keys', () => {
  const parts = {
    roundId: '2021',
    caseId: '0b9c6f1e-2c4e-4d5b-9a55-1f2e3d4c5b6a',
    slot: 'training-roster',
    objectId: 'e1',
  };

  it('round-trips a server-generated key', () => {
    const key = evidenceObjectKey(parts);
    expect(key).toBe(`rounds/2021/cases/${parts.caseId}/training-roster/e1`);
    expect(parseEvidenceObjectKey(key)).toEqual(parts);
  });

  it('refuses to build a key from a segment that could escape its prefix', () => {
    expect(() => evidenceObjectKey({ ...parts, slot: '../quarantine' })).toThrow();
  });

  it('reads any object name under a case prefix, so unasked-for uploads can be quarantined', () => {
    expect(
      parseEvidenceObjectKey(`rounds/2021/cases/${parts.caseId}/other/花名册 2021+final.pdf`),
    ).toMatchObject({
      objectId: '花名册 2021+final.pdf',
    });
  });

  it('answers undefined for keys outside every case prefix', () => {
    expect(parseEvidenceObjectKey('quarantine/rounds/2021/cases/x/other/a')).toBeUndefined();
    expect(parseEvidenceObjectKey('rounds/2021/cases/x/other/')).toBeUndefined();
    expect(parseEvidenceObjectKey('rounds/2021/cases/x/other/a/b')).toBeUndefined();
  });
});
