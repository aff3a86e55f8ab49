import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Never log an event, a body, a form or a roster row: they carry personal data.
 * Log ids (caseId, taskId, evidenceId), codes and counts.
 */
export const logger = new Logger({ serviceName: 'laowu' });
