import { beforeAll, describe, expect, it } from 'vitest';

// The policy is signed locally by the SDK (no request is sent); this is the adapter's own contract,
// which s3rver does not enforce, so it is asserted by decoding the policy (reliability matrix #17).
beforeAll(() => {
  process.env.EVIDENCE_BUCKET = 'laowu-evidence-test';
  process.env.AWS_REGION = 'cn-north-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});

describe('presignUpload', () => {
  it('signs a POST policy for exactly one key, the slot size range and the declared type, valid at most 5 minutes', async () => {
    const { presignUpload } = await import('#shared/objects/evidence-bucket');
    const key = 'rounds/2021/cases/c1/training-roster/e1';
    const before = Date.now();
    const { fields } = await presignUpload({ key, contentType: 'text/csv', maxBytes: 104_857_600 });

    const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(Date.parse(policy.expiration) - before).toBeLessThanOrEqual(5 * 60 * 1000 + 1000);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', key],
        ['content-length-range', 1, 104_857_600],
        ['eq', '$Content-Type', 'text/csv'],
        { bucket: 'laowu-evidence-test' },
      ]),
    );
    expect(fields.key).toBe(key);
    expect(fields['Content-Type']).toBe('text/csv');
  });
});
