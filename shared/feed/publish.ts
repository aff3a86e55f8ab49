import { logger } from '../logger';

/**
 * Runs a publishing side effect of a workflow step (the export snapshot, the certificate document)
 * without letting it fail the step: the recognition and its feed entry are already committed, the
 * feed API serves them, and a failed execution would leave a certified case without its province
 * recommendation task. A failure is logged as an error for the operators; the next change of the
 * round rewrites the snapshot, and a missing document is rendered again on download.
 */
export async function publishQuietly(what: string, ids: Record<string, string>, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    logger.error('publishing failed', {
      what,
      ...ids,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
  }
}
