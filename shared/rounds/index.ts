import { z } from 'zod';
import { round2021 } from '#shared/rounds/2021';
import { round2026 } from '#shared/rounds/2026';
import {
  type ChecklistSlot,
  type County,
  type Kind,
  type Round,
  type RubricCriterion,
  roundSchema,
  type Thresholds,
} from '#shared/rounds/schema';

/**
 * The registry of rounds. Each round file is validated when this module loads: a broken round stops
 * every function that imports it at cold start, instead of misjudging applications later.
 */

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates round data and returns it deep-frozen; throws with every problem listed if it is invalid. */
export function loadRound(data: unknown): Round {
  const parsed = roundSchema.safeParse(data);
  if (!parsed.success) {
    const roundId =
      typeof data === 'object' && data !== null && 'roundId' in data ? String(data.roundId) : '?';
    throw new Error(`Round ${roundId} configuration is invalid:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return deepFreeze(parsed.data);
}

/**
 * Rounds by id and version. Editing a round means adding its next version to the registry (the old
 * version stays): a case keeps the version it was created under (`CaseHead.roundVersion`) and is
 * always judged by it, while new cases take the latest.
 */
export interface RoundRegistry {
  get(roundId: string, version?: number): Round | undefined;
  latest(): Round[];
}

export function createRoundRegistry(data: readonly unknown[]): RoundRegistry {
  const byId = new Map<string, Map<number, Round>>();
  for (const entry of data) {
    const round = loadRound(entry);
    const versions = byId.get(round.roundId) ?? new Map<number, Round>();
    if (versions.has(round.version))
      throw new Error(`Round ${round.roundId} version ${round.version} is registered twice`);
    versions.set(round.version, round);
    byId.set(round.roundId, versions);
  }
  const newest = (versions: Map<number, Round>) => versions.get(Math.max(...versions.keys()));
  return {
    get(roundId, version) {
      const versions = byId.get(roundId);
      if (!versions) return undefined;
      return version === undefined ? newest(versions) : versions.get(version);
    },
    latest: () => [...byId.values()].map(newest).filter((round): round is Round => round !== undefined),
  };
}

const ROUNDS = createRoundRegistry([round2021, round2026]);

/** The latest version of a round, or the exact version a case was created under. */
export function getRound(roundId: string, version?: number): Round | undefined {
  return ROUNDS.get(roundId, version);
}

/** All rounds, oldest first. */
export function listRounds(): Round[] {
  return ROUNDS.latest().sort((a, b) => a.year - b.year || a.roundId.localeCompare(b.roundId));
}

export function checklistFor(round: Round, kind: Kind): readonly ChecklistSlot[] {
  return round.checklist[kind];
}

export function findCounty(round: Round, code: string): County | undefined {
  return round.counties.find((c) => c.code === code);
}

/** The deadline is the first instant at which submitting is too late (2021: 2021-12-31T00:00+08:00). */
export function isPastDeadline(round: Round, now: Date): boolean {
  return now.getTime() >= Date.parse(round.deadline);
}

export interface PublicChecklistSlot {
  slot: string;
  title: string;
  required: boolean;
  accepts: string[];
  maxBytes: number;
}

/** The body of `GET /v1/rounds/{roundId}` (API.md), plus `title` and `formYears` for building forms. */
export interface PublicRoundView {
  roundId: string;
  title: string;
  kinds: Kind[];
  thresholds: Thresholds;
  deadline: string;
  publicityWorkingDays: number;
  counties: County[];
  formYears: Record<Kind, number[]>;
  checklist: Record<Kind, PublicChecklistSlot[]>;
  rubric: Record<Kind, RubricCriterion[]>;
  panel: string[];
}

/**
 * The public view of a round: what an applicant needs to prepare a case. Leaves out internal settings
 * (reward, review durations, score spread flag, credit-code tolerance, version). Returns fresh objects,
 * safe to serialise or change.
 */
export function publicRoundView(round: Round): PublicRoundView {
  const perKind = <T>(make: (kind: Kind) => T): Record<Kind, T> => ({
    brand: make('brand'),
    base: make('base'),
  });
  return {
    roundId: round.roundId,
    title: round.title,
    kinds: [...round.kinds],
    thresholds: {
      brand: { ...round.thresholds.brand },
      base: { ...round.thresholds.base },
    },
    deadline: round.deadline,
    publicityWorkingDays: round.publicityWorkingDays,
    counties: round.counties.map((c) => ({ code: c.code, name: c.name, terrain: c.terrain })),
    formYears: perKind((kind) => [...round.formYears[kind]]),
    checklist: perKind((kind) =>
      round.checklist[kind].map((s) => ({
        slot: s.slot,
        title: s.title,
        required: s.required,
        accepts: [...s.accepts],
        maxBytes: s.maxBytes,
      })),
    ),
    rubric: perKind((kind) =>
      round.rubric[kind].map((c) => ({ criterionId: c.criterionId, title: c.title, max: c.max })),
    ),
    panel: [...round.panel],
  };
}

export type { ChecklistSlot, County, Kind, Round, RubricCriterion, Thresholds } from '#shared/rounds/schema';
