import fs from 'node:fs';
import path from 'node:path';

/**
 * The simulated clock of the local cloud (API.md `/local/clock`): real time plus an offset that
 * only ever moves forward. It drives every deadline a handler checks and every Wait state, and is
 * kept in the data folder so a restart resumes at the same simulated time.
 */
export class SimulatedClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs))
        this.offsetMs = saved.offsetMs;
    }
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Moves the clock to an instant (e.g. into the 2021 call to replay it). */
  set(instantMs: number): void {
    this.offsetMs += instantMs - this.now();
    this.changed();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance by a non-negative duration');
    this.offsetMs += ms;
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    }
    for (const listener of this.listeners) listener();
  }
}

/** ISO 8601 durations as `/local/clock` accepts them: `P8D`, `PT36H`, `P1DT2H30M`, `P2W`. */
export function parseIsoDuration(text: string): number | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (value: string | undefined) => (value ? Number(value) : 0);
  return ((((n(weeks) * 7 + n(days)) * 24 + n(hours)) * 60 + n(minutes)) * 60 + n(seconds)) * 1000;
}
