import { describe, expect, it } from 'vitest';
import {
  createDelivery,
  retryAfterOf,
  statusOf,
  TEAMS_CONVERSATION_WINDOWS,
  withMargin,
} from '../../../../../adapters/teams/delivery/teams-delivery.js';
import { BotError, ChatDeliveryError } from '../../../../../bot/errors.js';
import { fixedClock } from '../../../../support/core-harness.js';

// Pacing and retries with a controlled clock: sleeping advances it, so the schedule is exact.

class HttpError extends Error {
  readonly statusCode: number;
  readonly response: { status: number; headers: { get(name: string): string | undefined } };
  constructor(status: number, retryAfter?: string) {
    super(`HTTP ${status}`);
    this.statusCode = status;
    this.response = { status, headers: { get: (n) => (n === 'retry-after' ? retryAfter : undefined) } };
  }
}

function harness() {
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const slept: number[] = [];
  const sent: number[] = [];
  const delivery = createDelivery({
    clock,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
  });
  const t0 = clock.now().getTime();
  const at = () => clock.now().getTime() - t0;
  return { clock, slept, sent, delivery, at };
}

const target = { conversationKey: 'teams:t:c:u', tenantId: 't' };

describe('Teams delivery', () => {
  it('paces one conversation to 7 per second and 8 per two seconds (with margin)', async () => {
    const h = harness();
    for (let i = 0; i < 10; i += 1) await h.delivery.send(target, 'posting', async () => h.sent.push(h.at()));
    const windows = withMargin(TEAMS_CONVERSATION_WINDOWS);
    expect(h.sent.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(h.sent[7]).toBe(windows[0]?.perMs);
    expect(h.sent[8]).toBe(windows[1]?.perMs);
  });

  it('paces conversations independently and caps a tenant at 50 per second', async () => {
    const h = harness();
    for (let i = 0; i < 51; i += 1) {
      await h.delivery.send({ conversationKey: `c${i}`, tenantId: 't' }, 'posting', async () =>
        h.sent.push(h.at()),
      );
    }
    expect(h.sent.filter((t) => t === 0)).toHaveLength(50);
    expect(h.sent[50]).toBeGreaterThan(1000);
  });

  it('retries 429, 412 and 503-with-Retry-After on a post after Retry-After plus jitter, then succeeds', async () => {
    const h = harness();
    const failures = [
      new HttpError(429, '2'),
      new HttpError(412),
      new HttpError(503, 'Thu, 01 Jan 2026 00:00:10 GMT'),
    ];
    const result = await h.delivery.send(target, 'posting', async () => {
      h.sent.push(h.at());
      const f = failures.shift();
      if (f) throw f;
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(h.sent).toHaveLength(4);
    expect((h.sent[1] ?? 0) - (h.sent[0] ?? 0)).toBeGreaterThanOrEqual(2000);
    expect(h.sent[3]).toBeGreaterThanOrEqual(10_000);
  });

  it('never repeats a post after 502, 504, 500, a 503 without Retry-After or a cut connection', async () => {
    for (const error of [
      new HttpError(502),
      new HttpError(504),
      new HttpError(500),
      new HttpError(503),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ]) {
      const h = harness();
      const e = await h.delivery
        .send(target, 'posting an alert', async () => {
          h.sent.push(h.at());
          throw error;
        })
        .catch((x: unknown) => x);
      expect(h.sent).toHaveLength(1);
      expect(e).toBeInstanceOf(ChatDeliveryError);
      expect(e).toMatchObject({ failure: 'transient', maybeSent: true });
      expect((e as Error).message).toMatch(/it may have been delivered, so it is not sent again/);
    }
  });

  it('repeats an update (idempotent) after 502/504 and gives up after 4 attempts naming the status', async () => {
    const h = harness();
    const flaky = [new HttpError(504), new HttpError(502)];
    const ok = await h.delivery.send(
      target,
      'updating',
      async () => {
        h.sent.push(h.at());
        const f = flaky.shift();
        if (f) throw f;
        return 'updated';
      },
      { idempotent: true },
    );
    expect(ok).toBe('updated');
    expect(h.sent).toHaveLength(3);

    const g = harness();
    const error = await g.delivery
      .send(
        target,
        'updating an alert',
        async () => {
          g.sent.push(g.at());
          throw new HttpError(502, '0');
        },
        { idempotent: true },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatDeliveryError);
    expect((error as BotError).code).toBe('platform_error');
    expect((error as BotError).message).toBe(
      'updating an alert: Teams still answered HTTP 502 after 4 attempts; giving up',
    );
    expect(g.sent).toHaveLength(4);
  });

  it('retries a refused connection (nothing was sent), also for a post', async () => {
    const h = harness();
    let calls = 0;
    const result = await h.delivery.send(target, 'posting', async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(2);
  });

  it('does not retry refusals, our own errors, or absurd Retry-After values, and says what they mean', async () => {
    const h = harness();
    const once = async (error: unknown) => {
      let calls = 0;
      const e = await h.delivery
        .send(target, 'posting', async () => {
          calls += 1;
          throw error;
        })
        .catch((x: unknown) => x);
      return { calls, e: e as ChatDeliveryError };
    };
    expect(await once(new HttpError(403))).toMatchObject({
      calls: 1,
      e: { message: 'posting: Teams answered HTTP 403', failure: 'forbidden' },
    });
    expect(await once(new HttpError(404))).toMatchObject({ calls: 1, e: { failure: 'gone' } });
    expect(await once(new HttpError(400))).toMatchObject({ calls: 1, e: { failure: 'invalid' } });
    const own = new BotError('forbidden', 'not on the allowlist');
    expect((await once(own)).e).toBe(own);
    const held = await once(new HttpError(429, '7200'));
    expect(held.calls).toBe(1);
    expect(held.e.message).toMatch(/wait 7200 s/);
    expect(held.e).toMatchObject({ failure: 'throttled', retryAfterMs: 7_200_000 });
    // The conversation is held back for the Retry-After, and its port reports it.
    expect(h.delivery.delayFor(target)).toBeGreaterThanOrEqual(7_199_000);
    expect(h.delivery.delayFor({ conversationKey: 'other', tenantId: 't' })).toBe(0);
  });

  it('reads status and Retry-After from azure-style and plain errors', () => {
    expect(statusOf(new HttpError(429))).toBe(429);
    expect(statusOf({ response: { status: 504 } })).toBe(504);
    expect(statusOf(new Error('x'))).toBeNull();
    expect(retryAfterOf(new HttpError(429, '3'))).toBe('3');
    expect(retryAfterOf({ response: { headers: { 'retry-after': '5' } } })).toBe('5');
    expect(retryAfterOf({})).toBeNull();
  });
});
