import type { Clock } from '../../bot/ports.js';

/**
 * A clock a test moves by hand. Every store, service and stand-in in one test takes the same instance, so
 * nothing under test compares the test's instants with the wall clock (which moves on after the test is
 * written and turns due rows into future ones).
 */
export type TestClock = Clock & { advance(ms: number): void; set(at: Date | string): void };

/** A clock standing at `at` until advanced. */
export function testClock(at: Date | string = '2026-11-27T09:00:00.000Z'): TestClock {
  let t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (next) => {
      t = typeof next === 'string' ? Date.parse(next) : next.getTime();
    },
  };
}
