import { createHash } from 'node:crypto';

/**
 * The audit trail of a case is append-only and hash-chained (DESIGN §1.5, after Certificate
 * Transparency, RFC 9162): entry n carries `hash = sha256(prevHash ␊ canonical(entry))`, and the case
 * head keeps the last sequence number and hash. Changing, removing, swapping or cutting off entries
 * breaks the chain at a point the verifier names.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  caseId: string;
  seq: number;
  at: string;
  status: string;
  from?: string;
  actor: string;
  role?: string;
  action?: string;
  note?: string;
}

export interface ChainedEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

/** Stable JSON: keys sorted, undefined left out, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields that are hashed: exactly the entry, never the chain fields themselves. */
function hashedFields(entry: AuditEntry): AuditEntry {
  const { caseId, seq, at, status, from, actor, role, action, note } = entry;
  return { caseId, seq, at, status, from, actor, role, action, note };
}

export function chainHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(hashedFields(entry)))
    .digest('hex');
}

export function chain(prevHash: string, entry: AuditEntry): ChainedEntry {
  return { ...entry, prevHash, hash: chainHash(prevHash, entry) };
}

export type ChainVerdict =
  | { ok: true; length: number }
  | { ok: false; seq: number; reason: 'SEQUENCE_GAP' | 'PREVIOUS_HASH' | 'HASH' | 'TRUNCATED' };

/**
 * Verifies a case's entries (in any order) against the head's anchor (last seq and hash). Names the
 * first entry where the chain breaks.
 */
export function verifyChain(
  entries: readonly ChainedEntry[],
  anchor: { seq: number; hash: string },
): ChainVerdict {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i] as ChainedEntry;
    if (entry.seq !== i + 1) return { ok: false, seq: i + 1, reason: 'SEQUENCE_GAP' };
    if (entry.prevHash !== prevHash) return { ok: false, seq: entry.seq, reason: 'PREVIOUS_HASH' };
    if (chainHash(prevHash, entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: 'HASH' };
    prevHash = entry.hash;
  }
  if (sorted.length !== anchor.seq || prevHash !== (anchor.seq === 0 ? GENESIS_HASH : anchor.hash)) {
    return { ok: false, seq: sorted.length + 1, reason: 'TRUNCATED' };
  }
  return { ok: true, length: sorted.length };
}
