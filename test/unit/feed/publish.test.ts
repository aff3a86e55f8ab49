import { describe, expect, it, vi } from 'vitest';
import { publishQuietly } from '#shared/feed/publish';
import { logger } from '#shared/logger';

describe('publishing side effects of a workflow step', () => {
  it('run to completion when they succeed', async () => {
    const run = vi.fn(async () => 'written');
    await publishQuietly('feed-snapshot', { roundId: '2021' }, run);
    expect(run).toHaveBeenCalledOnce();
  });

  it('never fail the step: a failure is logged as an error with the ids, and the step goes on', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    await expect(
      publishQuietly('certificate-document', { caseId: 'c-1' }, async () => {
        throw new Error('SlowDown');
      }),
    ).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith('publishing failed', {
      what: 'certificate-document',
      caseId: 'c-1',
      error: { name: 'Error', message: 'SlowDown' },
    });
    logged.mockRestore();
  });
});
