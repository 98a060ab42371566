import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createAfterAckQueue } from '../../../../adapters/slack/listeners/after-ack.js';
import { createWorkQueue, type QueuedWork } from '../../../../adapters/slack/listeners/work-queue.js';
import { createResponseUrlBudget } from '../../../../adapters/slack/transport/response-url-budget.js';
import { createSlackApi } from '../../../../adapters/slack/transport/slack-api.js';
import type { Logger } from '../../../../bot/ports.js';
import { testClock } from '../../../support/test-clock.js';

// The queue that runs Slack work after ack: round-robin by workspace, bounded in what waits (in total and
// per workspace) and in what runs at once.

const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('the after-ack work queue', () => {
  it('serves two workspaces in turn: a noisy one’s backlog does not hold the quiet one back', async () => {
    const order: string[] = [];
    const q = createWorkQueue({ concurrency: 1, maxQueued: 100, maxQueuedPerTeam: 50, onError: () => {} });
    const job = (team: string, n: number): QueuedWork => ({
      team,
      run: async () => {
        order.push(`${team}${n}`);
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    for (let n = 1; n <= 20; n += 1) q.offer(job('noisy', n));
    q.offer(job('quiet', 1));
    q.offer(job('quiet', 2));
    await q.drained();
    expect(order).toHaveLength(22);
    expect(order.slice(0, 4)).toEqual(['noisy1', 'quiet1', 'noisy2', 'quiet2']);
  });

  it('keeps at most maxQueued waiting, and one workspace at most its share of them', async () => {
    const hold = gate();
    const q = createWorkQueue({ concurrency: 1, maxQueued: 6, maxQueuedPerTeam: 4, onError: () => {} });
    const run = () => hold.opened;
    expect(q.offer({ team: 'a', run })).toBe(true);
    await new Promise((r) => setImmediate(r)); // the first one starts and holds the only slot
    expect(q.running).toBe(1);
    const a = Array.from({ length: 6 }, () => q.offer({ team: 'a', run }));
    expect(a).toEqual([true, true, true, true, false, false]);
    const b = Array.from({ length: 4 }, () => q.offer({ team: 'b', run }));
    expect(b).toEqual([true, true, false, false]);
    expect(q.queued).toBe(6);
    hold.open();
    await q.drained();
    expect(q.offer({ team: 'a', run: async () => {} })).toBe(true);
    await q.drained();
  });

  it('runs at most `concurrency` pieces at once and reports a failure without stopping', async () => {
    let running = 0;
    let most = 0;
    const errors: unknown[] = [];
    const q = createWorkQueue({
      concurrency: 3,
      maxQueued: 100,
      maxQueuedPerTeam: 100,
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 20; i += 1)
      q.offer({
        team: `t${i % 4}`,
        run: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 2));
          running -= 1;
          if (i === 5) throw new Error('boom');
        },
      });
    await q.drained();
    expect(most).toBe(3);
    expect(errors).toHaveLength(1);
  });
});

describe('work that must run', () => {
  it('is queued past the bounds, first in its workspace’s turn, under the same concurrency', async () => {
    const hold = gate();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const q = createWorkQueue({ concurrency: 1, maxQueued: 2, maxQueuedPerTeam: 2, onError: () => {} });
    const job = (name: string, wait?: Promise<void>) => async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(name);
      await wait;
      running -= 1;
    };
    q.offer({ team: 'a', run: job('a0', hold.opened) });
    await new Promise((r) => setImmediate(r)); // a0 holds the only slot
    expect([q.offer({ team: 'a', run: job('a1') }), q.offer({ team: 'a', run: job('a2') })]).toEqual([
      true,
      true,
    ]);
    expect(q.offer({ team: 'b', run: job('b-shed') })).toBe(false);
    q.insist({ team: 'a', run: job('a-must') });
    q.insist({ team: 'b', run: job('b-must') });
    expect(q.queued).toBe(4);
    // What insisted takes room like the rest: nothing else is taken until the queue is under its bound.
    expect(q.offer({ team: 'c', run: job('c-shed') })).toBe(false);
    hold.open();
    await q.drained();
    // Ahead of its own workspace's backlog (an uninstall need not wait for work that uses the withdrawn
    // token), still in the round-robin across workspaces.
    expect(order).toEqual(['a0', 'a-must', 'b-must', 'a1', 'a2']);
    expect(most).toBe(1);
  });

  it('is never shed by the after-ack queue when it is full, nor counted as shed', async () => {
    const logs: string[] = [];
    const log = (_obj: object, msg?: string) => logs.push(msg ?? '');
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    const registry = new Registry();
    const afterAck = createAfterAckQueue({
      api: createSlackApi({
        apiUrl: 'http://127.0.0.1:9/api/',
        clock: testClock('2026-12-06T10:00:00Z'),
        logger,
      }),
      logger,
      registry,
      limits: { concurrency: 1, maxQueued: 1, maxQueuedPerTeam: 1 },
    });
    const hold = gate();
    const ran: string[] = [];
    const event = (name: string, mustRun?: boolean) => ({
      team: 'T1',
      kind: 'event' as const,
      responseUrl: null,
      run: async () => {
        ran.push(name);
        if (name === 'first') await hold.opened;
      },
      ...(mustRun === undefined ? {} : { mustRun }),
    });
    afterAck.later(event('first'));
    await new Promise((r) => setImmediate(r));
    afterAck.later(event('queued'));
    afterAck.later(event('shed'));
    afterAck.later(event('uninstall', true));
    expect(afterAck.queue.queued).toBe(2);
    hold.open();
    await afterAck.drained();
    expect(ran).toEqual(['first', 'uninstall', 'queued']);
    const shed = (await registry.getSingleMetric('slack_requests_shed_total')?.get())?.values ?? [];
    expect(shed.map((v) => [v.labels, v.value])).toEqual([[{ kind: 'event', answer: 'dropped' }, 1]]);
  });
});

describe('the after-ack work queue when the loop is busy', () => {
  it('starts no further work while told not to, but always keeps one piece running', async () => {
    let allowed = false;
    let running = 0;
    let most = 0;
    const q = createWorkQueue({
      concurrency: 4,
      maxQueued: 100,
      maxQueuedPerTeam: 100,
      onError: () => {},
      mayStart: () => allowed,
      recheckMs: 1,
    });
    const done: number[] = [];
    for (let i = 0; i < 8; i += 1)
      q.offer({
        team: 't',
        run: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 3));
          running -= 1;
          done.push(i);
        },
      });
    await new Promise((r) => setTimeout(r, 15));
    expect(most).toBe(1);
    expect(done.length).toBeGreaterThan(0);
    allowed = true;
    await q.drained();
    expect(done).toHaveLength(8);
    expect(most).toBeGreaterThan(1);
  });
});

describe('the response_url budget', () => {
  it('allows five uses of one URL within 30 minutes, then refuses until the window has passed', () => {
    const clock = testClock('2026-12-06T10:00:00Z');
    const budget = createResponseUrlBudget(clock);
    const url = 'https://hooks.slack.com/commands/T1/1/abc';
    expect(Array.from({ length: 6 }, () => budget.take(url))).toEqual([true, true, true, true, true, false]);
    expect(budget.take('https://hooks.slack.com/commands/T1/2/def')).toBe(true);
    clock.advance(30 * 60_000);
    expect(budget.take(url)).toBe(true);
  });

  it('remembers a bounded number of URLs', () => {
    const clock = testClock('2026-12-06T10:00:00Z');
    const budget = createResponseUrlBudget(clock, { maxUrls: 3 });
    for (const id of ['a', 'b', 'c', 'd']) for (let i = 0; i < 5; i += 1) budget.take(id);
    expect(budget.left('a')).toBe(5); // forgotten: the oldest went first
    expect(budget.left('d')).toBe(0);
  });
});
