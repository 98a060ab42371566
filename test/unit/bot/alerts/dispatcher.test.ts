import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_CHANNEL_WINDOWS } from '../../../../adapters/slack/transport/slack-api.js';
import { createDispatcher, PAUSE_AFTER_FAILURES, REPOSTED } from '../../../../bot/alerts/dispatcher.js';
import type { ChatPort } from '../../../../bot/ports.js';
import {
  type AlertsHarness,
  createAlertsHarness,
  slackChannel,
  webChannel,
} from '../../../support/alerts-harness.js';

// The alert pipeline end to end over SQLite, the simulation and a recording chat stand-in.

const HOUR = 3_600_000;
let h: AlertsHarness;
afterEach(async () => {
  await h.cleanup();
});

const ops = (conversationId: string) =>
  h.chat.deliveries.filter((d) => d.conversationId === conversationId).map((d) => d.op);

describe('one card per incident, updated in place', () => {
  it('posts a handoff once, then updates that card and threads each later event', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    const incident = await h.handOffNew();
    await h.settle();
    const [post] = h.chat.postsIn('web:soc');
    expect(h.chat.postsIn('web:soc')).toHaveLength(1);
    expect(post?.text).toContain('Action needed: handed off to you by Defender Experts');
    expect(post?.text).toContain(`Incident ${incident.id}`);

    await h.settle(); // nothing new: nothing sent
    expect(ops('web:soc')).toEqual(['post']);

    h.clock.advance(60_000);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'Please isolate WS-FIN-042 first.');
    await h.settle();
    expect(ops('web:soc')).toEqual(['post', 'update', 'reply']);
    const thread = h.chat.deliveries.filter((d) => d.op === 'reply');
    expect(thread.map((d) => d.messageId)).toEqual([post?.messageId]);
    expect(thread[0]?.text).toBe('Defender Experts commented: Please isolate WS-FIN-042 first.');

    h.clock.advance(60_000);
    await h.sim.resolve('contoso', incident.id, 'Customer isolated the device; closing.');
    await h.settle();
    // Resolving adds the experts' closing comment and the resolution: one update + thread line each.
    const after = ops('web:soc').slice(3);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after).toEqual(after.map((_, i) => (i % 2 === 0 ? 'update' : 'reply')));
    expect(h.chat.deliveries.at(-2)?.text).toContain('Resolved by Defender Experts: true positive');
    expect(h.chat.deliveries.at(-1)?.text).toMatch(/^Resolved as True positive \(Malware\)\.$/);
    expect(h.chat.postsIn('web:soc')).toHaveLength(1);
  });

  it('lets only the chosen events start a post, and serves several channels of one customer', async () => {
    h = await createAlertsHarness();
    await h.bind('handoffs', webChannel('web:handoffs'));
    await h.bind('started', webChannel('web:started'), ['expertsStarted']);
    h.clock.advance(1_000);
    const created = await h.sim.createIncident('contoso');
    await h.sim.startInvestigation('contoso', created.id, 'Defender Experts');
    await h.settle();
    expect(h.chat.postsIn('web:handoffs')).toHaveLength(0);
    expect(h.chat.postsIn('web:started')).toHaveLength(1);
    expect(h.chat.postsIn('web:started')[0]?.text).toContain('Defender Experts are investigating');
  });

  it('keeps other customers’ incidents out of a channel', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    await h.handOffNew('fabrikam');
    await h.handOffNew('woodgrove');
    await h.settle();
    expect(h.chat.deliveries).toEqual([]);
  });
});

describe('failures', () => {
  it('honours Retry-After without counting it as a failure', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    await h.handOffNew();
    h.chat.failNext('web:soc', 'throttled', 1, 30_000);
    await h.settle();
    expect(h.chat.deliveries).toEqual([]);
    h.clock.advance(29_000);
    await h.settle();
    expect(h.chat.deliveries).toEqual([]);
    h.clock.advance(1_000);
    await h.settle();
    expect(ops('web:soc')).toEqual(['post']);
  });

  it('retries transient errors with backoff and keeps the incident’s order', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    const incident = await h.handOffNew();
    h.chat.failNext('web:soc', 'transient', 2);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'one');
    await h.sync.syncAll();
    h.clock.advance(1_000);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'two');
    for (let i = 0; i < 10; i += 1) {
      await h.settle();
      h.clock.advance(30_000);
    }
    expect(ops('web:soc')).toEqual(['post', 'update', 'reply', 'update', 'reply']);
    expect(h.chat.deliveries.filter((d) => d.op === 'reply').map((d) => d.text)).toEqual([
      'Defender Experts commented: one',
      'Defender Experts commented: two',
    ]);
  });

  it('never posts again after a failure that may have delivered the post (a 502, a timeout)', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    h.chat.failNext('web:soc', 'transient', 1, 0, true);
    await h.handOffNew();
    for (let i = 0; i < 5; i += 1) {
      await h.settle();
      h.clock.advance(10 * 60_000);
    }
    // The stand-in showed the post although the call failed: it must be there exactly once.
    expect(h.chat.postsIn('web:soc')).toHaveLength(1);
    expect(h.warnings).toContain(
      'alert message may have been delivered despite the failure; not sending it again',
    );
  });

  it('repeats an update that may have landed (an edit is idempotent), and a post that surely did not', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    h.chat.failNext('web:soc', 'transient', 1); // refused before sending: nothing landed
    const incident = await h.handOffNew();
    for (let i = 0; i < 3; i += 1) {
      await h.settle();
      h.clock.advance(30_000);
    }
    expect(ops('web:soc')).toEqual(['post']);
    h.chat.failNext('web:soc', 'transient', 1, 0, true);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'one');
    for (let i = 0; i < 3; i += 1) {
      await h.settle();
      h.clock.advance(30_000);
    }
    expect(ops('web:soc')).toEqual(['post', 'update', 'update', 'reply']);
  });

  it('asks the port how long to wait and releases the row instead of holding its lease for long', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', slackChannel('slack:T0CONTOSO:C0SOC'));
    const calls: string[] = [];
    const delayFor = h.chat.delayFor.bind(h.chat);
    // The port reports a long hold (as after a 429 with a long Retry-After) for the first minute.
    const until = h.clock.now().getTime() + 60_000;
    h.chat.delayFor = (c, kind) => {
      calls.push(`${c.id}:${kind ?? 'post'}`);
      return Math.max(delayFor(c, kind), until - h.clock.now().getTime());
    };
    await h.handOffNew();
    await h.settle();
    expect(h.chat.deliveries).toEqual([]);
    expect(calls).toEqual(['slack:T0CONTOSO:C0SOC:post']);
    h.clock.advance(60_000);
    await h.settle();
    expect(ops('slack:T0CONTOSO:C0SOC')).toEqual(['post']);
  });

  it('pauses a binding whose channel is gone, tells the customer elsewhere, and does not block the others', async () => {
    h = await createAlertsHarness();
    await h.bind('dead', webChannel('web:deleted'));
    await h.bind('alive', webChannel('web:alive'));
    h.chat.failNext('web:deleted', 'gone', 100);
    for (let i = 0; i < PAUSE_AFTER_FAILURES; i += 1) {
      await h.handOffNew();
      await h.settle();
    }
    expect((await h.store.getBinding('dead'))?.paused).toBe(true);
    expect(h.chat.postsIn('web:alive').filter((d) => d.text.includes('Action needed'))).toHaveLength(
      PAUSE_AFTER_FAILURES,
    );
    expect(
      h.chat.postsIn('web:alive').some((d) => d.text.includes('were paused: the channel no longer exists')),
    ).toBe(true);
    const before = h.chat.deliveries.length;
    await h.handOffNew();
    await h.settle();
    expect(h.chat.deliveries.filter((d) => d.conversationId === 'web:deleted')).toEqual([]);
    expect(h.chat.deliveries.length).toBe(before + 1);
    expect(h.warnings.some((w) => w.includes('paused'))).toBe(true);
  });

  it('posts a fresh card when the recorded post no longer exists, and never pauses the channel for it', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    const incident = await h.handOffNew();
    await h.settle();
    let current = h.chat.postsIn('web:soc')[0]?.messageId;
    // More times in a row than would pause a binding whose channel is gone.
    for (let i = 0; i <= PAUSE_AFTER_FAILURES; i += 1) {
      h.chat.failNext('web:soc', 'messageGone');
      h.clock.advance(60_000);
      await h.sim.comment('contoso', incident.id, 'Defender Experts', `update ${i}`);
      await h.settle();
      const posts = h.chat.postsIn('web:soc');
      expect(posts).toHaveLength(i + 2);
      expect(posts.at(-1)?.text).toContain(REPOSTED);
      expect(posts.at(-1)?.text).toContain(`update ${i}`);
      expect(posts.at(-1)?.messageId).not.toBe(current);
      current = posts.at(-1)?.messageId;
    }
    expect((await h.store.getBinding('b1'))?.paused).toBe(false);
    expect((await h.store.getIncidentPost('b1', incident.id))?.messageId).toBe(current);
    // The next event updates the fresh card in place and threads under it.
    h.clock.advance(60_000);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'after');
    await h.settle();
    expect(h.chat.deliveries.slice(-2).map((d) => [d.op, d.messageId])).toEqual([
      ['update', current],
      ['reply', current],
    ]);
    expect(h.warnings).toEqual([]);
  });
});

describe('aging handoffs', () => {
  it('reminds in the thread, then mentions on-call and notes the SDM', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'), undefined, 'U0ONCALL');
    await h.handOffNew();
    await h.settle();
    h.clock.advance(4 * HOUR - 5_000);
    await h.settle();
    expect(ops('web:soc')).toEqual(['post']);
    h.clock.advance(10_000);
    await h.settle();
    expect(h.chat.deliveries.at(-1)?.text).toMatch(
      /^Reminder: Defender Experts handed this incident to you 4 h ago\. \d+ recommended actions? still pending\.$/,
    );
    h.clock.advance(20 * HOUR);
    await h.settle();
    const last = h.chat.deliveries.slice(-2);
    expect(last.find((d) => d.conversationId === 'web:soc')).toMatchObject({
      op: 'reply',
      mention: 'U0ONCALL',
    });
    expect(last.find((d) => d.conversationId === 'web:dm:dana@provider.example')?.text).toMatch(
      /Contoso Ltd: incident \d+ .* has awaited customer action for 24 h/,
    );
    // Opened in the provider's workspace, never in the customer's channel's workspace.
    expect(h.chat.directOpened).toEqual([{ workspaceId: 'experts', userId: 'dana@provider.example' }]);
  });

  it('stays quiet when the handoff was dealt with in time', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    const incident = await h.handOffNew();
    await h.settle();
    h.clock.advance(HOUR);
    await h.sim.resolve('contoso', incident.id, 'Done by the customer.');
    await h.settle();
    const count = h.chat.deliveries.length;
    h.clock.advance(48 * HOUR);
    await h.settle();
    expect(h.chat.deliveries.length).toBe(count);
  });
});

describe('pacing', () => {
  it('never exceeds Slack’s one message per second per channel, with no self-caused 429', async () => {
    h = await createAlertsHarness({ windows: SLACK_CHANNEL_WINDOWS });
    await h.bind('b1', slackChannel('slack:T0CONTOSO:C0SOC'));
    for (let i = 0; i < 8; i += 1) await h.handOffNew();
    for (let i = 0; i < 20 && h.chat.postsIn('slack:T0CONTOSO:C0SOC').length < 8; i += 1) {
      await h.settle();
      h.clock.advance(1_000);
    }
    const times = h.chat.deliveries.map((d) => d.at);
    expect(h.chat.postsIn('slack:T0CONTOSO:C0SOC')).toHaveLength(8);
    expect(h.chat.throttled).toBe(0);
    for (let i = 1; i < times.length; i += 1)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
  });
});

describe('stopping', () => {
  it('delivers on stop what became due since its last pass, instead of leaving it for the next start', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    h.dispatcher.start(HOUR); // one pass now (nothing due), the next an hour away
    await h.handOffNew(); // the last sync pass before the stop enqueues the handoff
    expect(h.chat.postsIn('web:soc')).toHaveLength(0);
    await h.dispatcher.stop();
    expect(h.chat.postsIn('web:soc')).toHaveLength(1);
    const due = h.sqlite.database
      .prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND scheduled = 0")
      .get() as { n: number };
    expect(due.n).toBe(0);
  });

  it('gives rows back unsent when its stop runs out of time, rather than holding their leases', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    await h.handOffNew();
    await h.handOffNew();
    // Each send takes 150 ms of real time; the stop may spend 50 ms.
    const SLOW = new Set<PropertyKey>(['post', 'update', 'reply']);
    const slow = new Proxy(h.chat as ChatPort, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (!SLOW.has(key) || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          return value.apply(target, args);
        };
      },
    });
    const dispatcher = createDispatcher({
      store: h.store,
      directory: h.directory,
      clock: h.clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      chatFor: () => slow,
      sleep: async (ms) => h.clock.advance(ms),
      random: () => 0.5,
      reminders: { agesMs: [4 * HOUR, 24 * HOUR] },
      stopBudgetMs: 50,
    });
    dispatcher.start(HOUR); // its first pass takes both handoffs into the channel's one lane
    await new Promise((resolve) => setTimeout(resolve, 20));
    const began = performance.now();
    await dispatcher.stop();
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(h.chat.postsIn('web:soc')).toHaveLength(1); // the one in flight finished
    const rows = h.sqlite.database
      .prepare(
        "SELECT state, lease_owner, attempts, last_error FROM outbox WHERE scheduled = 0 AND state = 'pending'",
      )
      .all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toEqual({
        state: 'pending',
        lease_owner: null,
        attempts: 0,
        last_error: 'released unsent at stop',
      });
    }
  });

  it('sends nothing on stop when it was never started (the runner drives it pass by pass)', async () => {
    h = await createAlertsHarness();
    await h.bind('b1', webChannel('web:soc'));
    await h.handOffNew();
    await h.dispatcher.stop();
    expect(h.chat.deliveries).toEqual([]);
  });
});
