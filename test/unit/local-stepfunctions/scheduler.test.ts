import { describe, expect, it } from 'vitest';
import { DeadlineScheduler } from '#local/stepfunctions/scheduler';

function manualClock(start = 0) {
  let now = start;
  const listeners = new Set<() => void>();
  return {
    now: () => now,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    advance(ms: number) {
      now += ms;
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

describe('DeadlineScheduler', () => {
  it('fires a deadline when the simulated clock is moved past it, not before', () => {
    // Prepare
    const clock = manualClock();
    const scheduler = new DeadlineScheduler(clock);
    const fired: number[] = [];
    scheduler.at(45 * 86_400_000, () => fired.push(clock.now()));

    // Act
    clock.advance(45 * 86_400_000 - 1);
    const early = [...fired];
    clock.advance(1);
    scheduler.close();

    // Assess
    expect(early).toEqual([]);
    expect(fired).toEqual([45 * 86_400_000]);
  });

  it('does not fire a cancelled deadline', () => {
    // Prepare
    const clock = manualClock();
    const scheduler = new DeadlineScheduler(clock);
    let fired = false;
    const cancel = scheduler.at(1000, () => {
      fired = true;
    });

    // Act
    cancel();
    clock.advance(2000);
    scheduler.close();

    // Assess
    expect(fired).toBe(false);
  });

  it('unsubscribes from the clock and forgets its deadlines on close', () => {
    // Prepare
    const clock = manualClock();
    const scheduler = new DeadlineScheduler(clock);
    scheduler.at(1000, () => {});

    // Act
    scheduler.close();

    // Assess
    expect(clock.listeners.size).toBe(0);
  });
});
