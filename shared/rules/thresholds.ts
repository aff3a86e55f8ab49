import type { EvidenceItem } from '../cases/model';
import type { ErrorDetail } from '../errors';
import { ROSTER_SLOTS, type RosterSlot } from '../roster-processing/options';
import { readStoredStats, type StoredRosterStats } from '../roster-processing/stats';
import { checklistFor, type Kind, type Round } from '../rounds/index';

/**
 * The quantitative criteria of the notice (REQUIREMENTS §2), measured from the verified rosters:
 * brand — people trained in the round year, their employment rate, people output in the round
 * year; base — people transferred from the window's start through the end of the round year.
 * Pure: plain round data and stored stats in, defects out.
 */

type Rosters = Readonly<Record<string, unknown>>;

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * Every threshold the verified rosters fall short of, as far as they are verified. A roster not
 * verified yet (missing, refused, still being parsed) adds nothing here: that is a defect of its own
 * (see {@link rosterDefects}). Use it for the auto check and for the "threshold shortfalls found so
 * far" of a submission.
 */
export function thresholdShortfalls(round: Round, kind: Kind, rosters: Rosters): ErrorDetail[] {
  const stats = (slot: RosterSlot) => readStoredStats(rosters[slot]);
  const out: ErrorDetail[] = [];
  if (kind === 'brand') {
    const { trainedMin, employmentRateMin, outputMin } = round.thresholds.brand;
    const training = stats('training-roster');
    if (training?.trainedInYear !== undefined && training.trainedInYear < trainedMin) {
      out.push({
        path: 'rosters.training-roster.trainedInYear',
        code: 'BELOW_TRAINED_MIN',
        message: `${round.year}年培训人数经花名册核实为 ${training.trainedInYear} 人，低于申报条件要求的 ${trainedMin} 人`,
      });
    }
    if (training?.employmentRate !== undefined && training.employmentRate < employmentRateMin) {
      out.push({
        path: 'rosters.training-roster.employmentRate',
        code: 'BELOW_EMPLOYMENT_RATE_MIN',
        message: `培训后就业率经花名册核实为 ${percent(training.employmentRate)}（${training.employedOfTrained ?? 0}/${training.trainedInYear ?? 0}），低于申报条件要求的 ${percent(employmentRateMin)}`,
      });
    }
    const output = stats('output-roster');
    if (output?.outputInYear !== undefined && output.outputInYear < outputMin) {
      out.push({
        path: 'rosters.output-roster.outputInYear',
        code: 'BELOW_OUTPUT_MIN',
        message: `${round.year}年劳务输出（带动就业）人数经花名册核实为 ${output.outputInYear} 人，低于申报条件要求的 ${outputMin} 人`,
      });
    }
    return out;
  }
  const { transferredMin, transferredSince } = round.thresholds.base;
  const output = stats('output-roster');
  if (output?.transferredSinceStart !== undefined && output.transferredSinceStart < transferredMin) {
    out.push({
      path: 'rosters.output-roster.transferredSinceStart',
      code: 'BELOW_TRANSFERRED_MIN',
      message: `${transferredSince} 至 ${round.year} 年底转移输出人数经花名册核实为 ${output.transferredSinceStart} 人，低于申报条件要求的 ${transferredMin} 人`,
    });
  }
  return out;
}

/**
 * Roster slots of the checklist whose numbers are not usable yet although a file was accepted: a
 * newer upload is still being verified, or the accepted upload has no stats of its own. (Missing,
 * refused and first uploads still being verified are evidence defects already.)
 */
export function rosterDefects(
  round: Round,
  kind: Kind,
  evidence: readonly EvidenceItem[],
  rosters: Rosters,
): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const slot of checklistFor(round, kind)) {
    if (!(ROSTER_SLOTS as readonly string[]).includes(slot.slot)) continue;
    const current = evidence.filter((item) => item.slot === slot.slot && !item.supersededBy);
    const parsing = current.some((item) => item.status === 'PENDING' && item.receivedAt !== undefined);
    const accepted = current
      .filter((item) => item.status === 'ACCEPTED')
      .sort((a, b) => b.reservedAt.localeCompare(a.reservedAt))[0];
    const stats: StoredRosterStats | undefined = readStoredStats(rosters[slot.slot]);
    // Without an accepted file, evidenceDefects already reports the slot as pending or missing.
    if (parsing && accepted) {
      out.push({
        path: `rosters.${slot.slot}`,
        code: 'ROSTER_PENDING',
        message: `“${slot.title}”正在核验中，请待核验完成后再提交`,
      });
    } else if (accepted && stats?.evidenceId !== accepted.evidenceId) {
      out.push({
        path: `rosters.${slot.slot}`,
        code: 'ROSTER_NOT_VERIFIED',
        message: `“${slot.title}”尚未完成核验，请重新上传`,
      });
    }
  }
  return out;
}
