import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SfnApiError } from './errors';

/**
 * Task tokens are opaque to callers; ours carry the execution they belong to so a completion finds
 * its record with one key lookup, plus a random id that makes each task entry's token unique.
 */
export interface ParsedToken {
  executionArn: string;
  id: string;
}

let minted = 0;

/** Ids sort in minting order (time, then a counter), so a resume can reuse tokens oldest first. */
export function mintToken(executionArn: string): { token: string; id: string } {
  minted = (minted + 1) % 36 ** 3;
  const id = `${Date.now().toString(36).padStart(9, '0')}${minted.toString(36).padStart(3, '0')}-${randomUUID()}`;
  const token = Buffer.from(JSON.stringify({ v: 1, e: executionArn, i: id })).toString('base64url');
  return { token, id };
}

const TokenBody = z.object({ v: z.literal(1), e: z.string().min(1), i: z.string().min(1) });

/** Parses a token; anything we did not mint is `InvalidToken`, as on AWS. */
export function parseToken(token: string): ParsedToken {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const body = TokenBody.safeParse(decoded);
  if (!body.success) throw new SfnApiError('InvalidToken', 'Invalid Token');
  return { executionArn: body.data.e, id: body.data.i };
}
