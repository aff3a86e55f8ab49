import { z } from 'zod';
import { NotFoundError } from '#shared/errors';
import { apiHandler } from '#shared/http/api-handler';
import { json } from '#shared/http/responses';
import { getRound, publicRoundView } from '#shared/rounds/index';

const roundParams = z.object({ roundId: z.string().regex(/^\d{4}$/, '年度编号为四位年份') });

export const handler = apiHandler('rounds-api', {
  'GET /v1/rounds/{roundId}': async (request) => {
    const { roundId } = request.params(roundParams);
    const round = getRound(roundId);
    if (!round) throw new NotFoundError('ROUND_NOT_FOUND', `没有 ${roundId} 年度的申报`);
    return json(200, publicRoundView(round), { 'cache-control': 'public, max-age=300' });
  },
});
