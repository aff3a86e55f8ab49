/**
 * The time every rule reads: deadlines, due dates, the publicity window. On AWS it is the system
 * clock. A runtime may inject another source (the local cloud's simulated clock) — handlers and
 * rules never know which one they read.
 */
let source: () => number = Date.now;

export function now(): Date {
  return new Date(source());
}

export function nowIso(): string {
  return now().toISOString();
}

/** Replaces the time source for this process; returns a function restoring the previous one. */
export function setClockSource(next: () => number): () => void {
  const previous = source;
  source = next;
  return () => {
    source = previous;
  };
}
