import { z } from 'zod';
import type { DeclaredNumbers, RosterAggregationOptions, RosterKind } from '#shared/roster/index';
import type { Kind, Round } from '#shared/rounds/index';

/**
 * What the roster pipeline derives from a round and a case, kept pure so the Lambda and the CLI
 * verify a roster with exactly the same options (API.md "Roster files").
 */

export const ROSTER_SLOTS = ['training-roster', 'output-roster'] as const;
export type RosterSlot = (typeof ROSTER_SLOTS)[number];

export function isRosterSlot(slot: string): slot is RosterSlot {
  return (ROSTER_SLOTS as readonly string[]).includes(slot);
}

/** The roster kind a slot holds: the training roster's key date is 结业日期, the output roster's 输出日期. */
export function rosterKindOfSlot(slot: RosterSlot): RosterKind {
  return slot === 'training-roster' ? 'training' : 'output';
}

/** A slot that the round's checklist of this kind does not have (e.g. a base's training roster). */
export class RosterSlotError extends Error {
  override name = 'RosterSlotError';
}

/**
 * The aggregation options of a roster slot of a case: the round year, and for a base's output
 * roster the start of the transfer window (a brand's output roster counts the round year only).
 */
export function rosterOptionsFor(
  round: Round,
  caseKind: Kind,
  slot: RosterSlot,
  today: Date,
): RosterAggregationOptions {
  if (!round.checklist[caseKind].some((item) => item.slot === slot)) {
    throw new RosterSlotError(`round ${round.roundId} has no ${slot} for a ${caseKind}`);
  }
  const options: RosterAggregationOptions = {
    kind: rosterKindOfSlot(slot),
    roundYear: round.year,
    today,
  };
  if (caseKind === 'base') options.transferredSince = round.thresholds.base.transferredSince;
  return options;
}

// The form as stored may be a draft: read the counts defensively, never trust its shape.
const countsSchema = z.record(z.string(), z.unknown()).optional().catch(undefined);
const formCountsSchema = z.looseObject({ trained: countsSchema, output: countsSchema }).catch({});

function count(counts: Record<string, unknown> | undefined, year: number): number | undefined {
  const value = counts?.[String(year)];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * The numbers the form declares that a roster slot can confirm: brand — trained[year] against the
 * training roster, output[year] against the output roster; base — the sum of the output years from
 * the transfer window's start year through the round year against the output roster. A year left
 * blank leaves its metric out (nothing to compare).
 */
export function declaredNumbersFor(
  round: Round,
  caseKind: Kind,
  slot: RosterSlot,
  form: unknown,
): DeclaredNumbers {
  const { trained, output } = formCountsSchema.parse(form ?? {});
  if (caseKind === 'brand') {
    const value = slot === 'training-roster' ? count(trained, round.year) : count(output, round.year);
    if (value === undefined) return {};
    return slot === 'training-roster' ? { trainedInYear: value } : { outputInYear: value };
  }
  if (slot !== 'output-roster') return {};
  const since = Number(round.thresholds.base.transferredSince.slice(0, 4));
  let sum = 0;
  for (let year = since; year <= round.year; year++) {
    const value = count(output, year);
    if (value === undefined) return {};
    sum += value;
  }
  return { transferredSinceStart: sum };
}
