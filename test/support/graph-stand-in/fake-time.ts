import type { Clock } from '../../../bot/ports.js';

// Virtual time shared by the Graph source and the stand-in: a sleep moves the clock instead of waiting, so
// Retry-After of minutes and budget waits cost no wall time, and the stand-in counts requests per
// virtual minute exactly as Graph would count them per real one.

export interface FakeTime {
  readonly clock: Clock;
  now(): number;
  /** What the Graph source gets as `sleep`: advances the clock by `ms`, then yields. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  advance(ms: number): void;
  /** Every sleep asked for, in order (to see Retry-After honoured). */
  readonly sleeps: number[];
}

/** Starts virtual time at `startIso`. */
export function createFakeTime(startIso = '2026-11-20T08:00:00.000Z'): FakeTime {
  let t = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(t) },
    now: () => t,
    sleeps,
    async sleep(ms, signal) {
      if (signal?.aborted) throw new Error('aborted');
      sleeps.push(ms);
      t += Math.max(0, ms);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    advance(ms) {
      t += ms;
    },
  };
}
