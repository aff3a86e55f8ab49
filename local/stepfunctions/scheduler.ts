/** The simulated clock the local cloud shares (`/local/clock`). */
export interface SimulatedClock {
  now(): number;
  subscribe(listener: () => void): () => void;
}

/** The longest delay Node's timers take without overflowing to ~1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Deadline {
  at: number;
  fire: () => void;
}

/**
 * Fires callbacks when the SIMULATED clock reaches their time: checked whenever the clock is moved,
 * and on one real-time timer for the nearest deadline (clamped, re-armed after each check), since the
 * simulated clock also runs forward in real time.
 */
export class DeadlineScheduler {
  private readonly deadlines = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly clock: SimulatedClock) {
    this.unsubscribe = clock.subscribe(() => this.check());
  }

  /** Calls `fire` once the clock reaches `at` (at once if it already has). Returns a cancel function. */
  at(at: number, fire: () => void): () => void {
    const deadline: Deadline = { at, fire };
    this.deadlines.add(deadline);
    if (at <= this.clock.now()) queueMicrotask(() => this.check());
    else this.arm();
    return () => {
      this.deadlines.delete(deadline);
    };
  }

  check(): void {
    if (this.closed) return;
    const now = this.clock.now();
    for (const deadline of [...this.deadlines]) {
      if (deadline.at > now) continue;
      this.deadlines.delete(deadline);
      deadline.fire();
    }
    this.arm();
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    this.deadlines.clear();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.deadlines.size === 0) return;
    const next = Math.min(...[...this.deadlines].map((d) => d.at));
    const delay = Math.min(Math.max(next - this.clock.now(), 1), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.check(), delay);
    this.timer.unref();
  }
}
