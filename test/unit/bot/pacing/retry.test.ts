import { describe, expect, it } from 'vitest';
import {
  type Failure,
  type GiveUp,
  mayRepeat,
  type RetryOptions,
  retry,
  retryWaitMs,
} from '../../../../bot/pacing/retry.js';

// The shared retry policy on an injected sleep (a virtual clock): what is repeated, how long it waits,
// and what is never repeated.

class Outcome extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

const fail = (kind: Failure['kind'], retryAfterMs?: number): Outcome =>
  new Outcome(retryAfterMs === undefined ? { kind } : { kind, retryAfterMs });

/** Runs `retry` over a scripted series of failures (then success); returns calls, waits and the outcome. */
async function script(
  failures: readonly Outcome[],
  options: Partial<RetryOptions> = {},
): Promise<{ calls: number; slept: number[]; result: unknown; error: unknown; gaveUp: GiveUp | null }> {
  const queue = [...failures];
  const slept: number[] = [];
  let calls = 0;
  let gaveUp: GiveUp | null = null;
  const run = retry(
    {
      idempotent: false,
      maxAttempts: 4,
      classify: (e) => (e instanceof Outcome ? e.failure : { kind: 'final' }),
      sleep: async (ms) => void slept.push(ms),
      random: () => 0.5,
      giveUp: (e, info) => {
        gaveUp = info;
        return e;
      },
      ...options,
    },
    async (attempt) => {
      expect(attempt).toBe(calls);
      calls += 1;
      const next = queue.shift();
      if (next !== undefined) throw next;
      return 'done';
    },
  );
  const [result, error] = await run.then(
    (r) => [r, null] as const,
    (e: unknown) => [null, e] as const,
  );
  return { calls, slept, result, error, gaveUp };
}

describe('retry: what may be repeated', () => {
  it('repeats a throttled request after Retry-After plus jitter, then returns its result', async () => {
    const r = await script([fail('throttled', 2_000), fail('throttled', 3_000)]);
    expect(r.result).toBe('done');
    expect(r.calls).toBe(3);
    // Jitter: full jitter over base 250 ms · 2^attempt, with random 0.5.
    expect(r.slept).toEqual([2_000 + 125, 3_000 + 250]);
  });

  it('repeats a request that surely was not applied, even when it is not idempotent', async () => {
    const r = await script([fail('notSent'), fail('notSent', 1_000)]);
    expect(r.result).toBe('done');
    expect(r.calls).toBe(3);
    expect(r.slept).toEqual([125, 1_000 + 250]);
  });

  it('never repeats a non-idempotent request after an unclear failure', async () => {
    const first = fail('unclear');
    const r = await script([first]);
    expect(r.calls).toBe(1);
    expect(r.slept).toEqual([]);
    expect(r.error).toBe(first);
    expect(r.gaveUp).toMatchObject({ reason: 'maybeApplied', attempts: 1 });
  });

  it('repeats an unclear failure when the request is idempotent or the platform de-duplicates it', async () => {
    const idempotent = await script([fail('unclear'), fail('unclear')], { idempotent: true });
    expect(idempotent).toMatchObject({ result: 'done', calls: 3 });
    const keyed = await script([fail('unclear')], { deduplicated: true });
    expect(keyed).toMatchObject({ result: 'done', calls: 2 });
  });

  it('never repeats a final failure, idempotent or not', async () => {
    for (const idempotent of [false, true]) {
      const r = await script([fail('final')], { idempotent });
      expect(r.calls).toBe(1);
      expect(r.gaveUp).toMatchObject({ reason: 'final', attempts: 1 });
    }
  });

  it('treats an error its classifier does not know as final', async () => {
    let calls = 0;
    const error = await retry(
      {
        idempotent: true,
        maxAttempts: 5,
        classify: () => ({ kind: 'final' }),
        sleep: async () => {},
      },
      async () => {
        calls += 1;
        throw new TypeError('a bug');
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('mayRepeat states the rule on its own', () => {
    const post = { idempotent: false };
    expect(mayRepeat({ kind: 'throttled' }, post)).toBe(true);
    expect(mayRepeat({ kind: 'notSent' }, post)).toBe(true);
    expect(mayRepeat({ kind: 'unclear' }, post)).toBe(false);
    expect(mayRepeat({ kind: 'unclear' }, { idempotent: false, deduplicated: true })).toBe(true);
    expect(mayRepeat({ kind: 'unclear' }, { idempotent: true })).toBe(true);
    expect(mayRepeat({ kind: 'final' }, { idempotent: true })).toBe(false);
  });
});

describe('retry: limits', () => {
  it('stops after maxAttempts with the last error, saying so', async () => {
    const failures = [fail('notSent'), fail('notSent'), fail('notSent'), fail('notSent')];
    const r = await script(failures);
    expect(r.calls).toBe(4);
    expect(r.slept).toHaveLength(3);
    expect(r.error).toBe(failures[3]);
    expect(r.gaveUp).toMatchObject({ reason: 'exhausted', attempts: 4 });
  });

  it('does not hold a request for a Retry-After beyond maxRetryAfterMs', async () => {
    const r = await script([fail('throttled', 3_600_000)], { maxRetryAfterMs: 60_000 });
    expect(r.calls).toBe(1);
    expect(r.slept).toEqual([]);
    expect(r.gaveUp).toMatchObject({ reason: 'waitTooLong', failure: { retryAfterMs: 3_600_000 } });
  });

  it('maxAttempts 1 means one attempt and no waiting', async () => {
    const r = await script([fail('throttled', 10)], { maxAttempts: 1 });
    expect(r).toMatchObject({ calls: 1, slept: [], gaveUp: { reason: 'exhausted' } });
  });

  it('refuses a maxAttempts below one', async () => {
    const r = await script([], { maxAttempts: 0 });
    expect(r.calls).toBe(0);
    expect(r.error).toBeInstanceOf(RangeError);
    expect((r.error as Error).message).toMatch(/maxAttempts/);
  });

  it('lets the caller replace the thrown error', async () => {
    const error = await retry(
      {
        idempotent: false,
        maxAttempts: 2,
        classify: () => ({ kind: 'unclear' }),
        sleep: async () => {},
        giveUp: (_e, info) => new Error(`gave up: ${info.reason} after ${info.attempts}`),
      },
      async () => {
        throw new Error('502');
      },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('gave up: maybeApplied after 1');
  });
});

describe('retry: waiting', () => {
  it('grows the backoff exponentially up to its cap, with full jitter', () => {
    const at = (attempt: number, random: number) =>
      retryWaitMs({ kind: 'notSent' }, attempt, { baseMs: 100, capMs: 1_000, random: () => random });
    expect([0, 1, 2, 3, 4, 10].map((a) => at(a, 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(at(3, 0)).toBe(0);
    expect(retryWaitMs({ kind: 'throttled', retryAfterMs: 5_000 }, 0, { random: () => 0 })).toBe(5_000);
  });

  it('lets onRetry see each wait and take it over (a pacer that waits itself)', async () => {
    const seen: Array<{ attempt: number; waitMs: number; kind: string }> = [];
    const r = await script([fail('throttled', 1_000), fail('notSent')], {
      onRetry: ({ attempt, waitMs, failure }) => {
        seen.push({ attempt, waitMs, kind: failure.kind });
        return 0;
      },
    });
    expect(r.result).toBe('done');
    expect(seen).toEqual([
      { attempt: 0, waitMs: 1_125, kind: 'throttled' },
      { attempt: 1, waitMs: 250, kind: 'notSent' },
    ]);
    expect(r.slept).toEqual([]);
  });
});
