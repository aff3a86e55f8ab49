import { describe, expect, it } from 'vitest';
import { verifyEvidence } from '#shared/evidence/verify';

const scan = {
  declaredSize: 1000,
  contentType: 'application/pdf',
  accepts: ['application/pdf', 'image/jpeg', 'image/png'],
  maxBytes: 5000,
};

describe('verifyEvidence judges an arrived object against its reservation', () => {
  it('accepts the declared type at the declared size', () => {
    expect(verifyEvidence(scan, { size: 1000, detected: 'pdf' })).toEqual({
      accepted: true,
      contentType: 'application/pdf',
    });
  });

  it('refuses an empty file', () => {
    expect(verifyEvidence(scan, { size: 0, detected: 'unknown' })).toMatchObject({
      accepted: false,
      code: 'EMPTY',
    });
  });

  it('refuses a file over the slot maximum even if the policy was bypassed', () => {
    expect(verifyEvidence(scan, { size: 6000, detected: 'pdf' })).toMatchObject({
      accepted: false,
      code: 'TOO_LARGE',
    });
  });

  it('refuses an object whose size differs from the declaration (a truncated or swapped upload)', () => {
    expect(verifyEvidence(scan, { size: 999, detected: 'pdf' })).toMatchObject({
      accepted: false,
      code: 'SIZE_MISMATCH',
    });
  });

  it('refuses a renamed file whose content is another accepted type', () => {
    expect(verifyEvidence(scan, { size: 1000, detected: 'png' })).toMatchObject({
      accepted: false,
      code: 'TYPE_MISMATCH',
    });
  });

  it('refuses content the slot does not accept', () => {
    expect(verifyEvidence(scan, { size: 1000, detected: 'xlsx' })).toMatchObject({
      accepted: false,
      code: 'TYPE_NOT_ACCEPTED',
    });
  });

  it('gives every refusal a Chinese reason the applicant can act on', () => {
    const verdict = verifyEvidence(scan, { size: 1000, detected: 'unknown' });
    expect(verdict).toMatchObject({ accepted: false, code: 'UNREADABLE' });
    if (!verdict.accepted) expect(verdict.reason).toMatch(/[\u4e00-\u9fff]/);
  });
});
