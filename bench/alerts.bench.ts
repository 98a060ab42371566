import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLACK_CHANNEL_WINDOWS } from '../adapters/slack/transport/slack-api.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { TEAMS_CONVERSATION_WINDOWS } from '../adapters/teams/delivery/teams-delivery.js';
import { createDispatcher } from '../bot/alerts/dispatcher.js';
import { planAlerts } from '../bot/alerts/planner.js';
import type { ChannelBinding } from '../bot/domain/conversation.js';
import type { Customer } from '../bot/domain/customer.js';
import { parseIncident } from '../bot/domain/incident.js';
import { createPacer, type Window } from '../bot/pacing/windows.js';
import { systemClock } from '../bot/ports.js';
import { createRecordingChat } from '../test/support/recording-chat.js';
import { benchDirectory, silentLogger } from './directory.js';
import { percentile } from './stats.js';

// Alert throughput: ~10,000 lifecycle events across 500 customers, one binding each (half Teams, half Slack),
// delivered to chat stand-ins that enforce the platform windows in real time. Reported: achieved rate as a
// fraction of what the windows allow over the same span, self-caused 429s, and detection-to-post latency.
// Baseline in the same run: the same dispatcher over chat ports that do not pace (send, get 429, wait
// Retry-After).

const CUSTOMERS = Number(process.env.BENCH_ALERT_CUSTOMERS ?? 500);
const INCIDENTS = 10; // per customer: a handoff, then a comment → ~20 events and 30 messages per binding

/** The most messages the windows allow in `spanMs` (greedy sender on a virtual clock). */
function allowedIn(windows: readonly Window[], spanMs: number): number {
  let t = 0;
  const clock = { now: () => new Date(t) };
  const pacer = createPacer(windows, clock);
  let n = 0;
  for (;;) {
    const wait = pacer.delayFor('c');
    if (t + wait > spanMs) return n;
    t += wait;
    pacer.record('c');
    n += 1;
  }
}

async function run(
  label: string,
  pacing: boolean,
  budgetMs: number,
): Promise<{ lines: string[]; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'deb-bench-alerts-'));
  const store = await createSqliteStore({ file: join(dir, 'alerts.sqlite'), logger: silentLogger });
  const directory = benchDirectory(CUSTOMERS, 'c');
  const customers = directory.customers;
  const teamsChat = createRecordingChat(systemClock, TEAMS_CONVERSATION_WINDOWS, undefined, { pace: pacing });
  const slackChat = createRecordingChat(systemClock, SLACK_CHANNEL_WINDOWS, new Set(['post', 'reply']), {
    pace: pacing,
  });
  const t0 = Date.now() - 1_000;
  const bindings: ChannelBinding[] = customers.map((c, i) => ({
    id: `b${i}`,
    customerId: c.id,
    conversation: {
      platform: i % 2 === 0 ? 'teams' : 'slack',
      id: `${i % 2 === 0 ? 'teams' : 'slack'}:conv-${i}`,
      threadId: null,
      kind: 'channel',
    },
    events: ['handedOff', 'commentAdded'],
    onCall: null,
    createdBy: 'bench',
    createdAt: new Date(t0).toISOString(),
    paused: false,
  }));
  for (const b of bindings) await store.saveBinding(b);
  const version = (c: Customer, n: number, step: number, at: number) =>
    parseIncident(
      {
        id: String(1000 + n),
        displayName: `Incident ${n}`,
        status: step === 0 ? 'inProgress' : 'awaitingAction',
        assignedTo: step === 0 ? 'Defender Experts' : 'Customer',
        severity: 'high',
        lastUpdateDateTime: new Date(at).toISOString(),
        comments:
          step < 2
            ? []
            : [
                {
                  comment: 'Please confirm the isolation.',
                  createdBy: 'Defender Experts',
                  createdDateTime: new Date(at).toISOString(),
                },
              ],
      },
      c.id,
    );
  // Baseline sync (no alerts), then two rounds of changes: handoffs, then comments.
  for (const c of customers)
    await store.saveIncidentChanges(
      c.id,
      Array.from({ length: INCIDENTS }, (_, n) => version(c, n, 0, t0)),
      'v0',
    );
  const detectedAt = Date.now();
  for (const [step, offset] of [
    [1, 1],
    [2, 2],
  ] as const) {
    for (const [i, c] of customers.entries()) {
      const plan = planAlerts([bindings[i] as ChannelBinding], detectedAt);
      await store.saveIncidentChanges(
        c.id,
        Array.from({ length: INCIDENTS }, (_, n) => version(c, n, step, t0 + offset * 100)),
        `v${step}`,
        plan,
      );
    }
  }
  const events = await store.countPendingOutbox();
  const dispatcher = createDispatcher({
    store,
    directory,
    clock: systemClock,
    logger: silentLogger,
    chatFor: (p) => (p === 'teams' ? teamsChat : p === 'slack' ? slackChat : undefined),
    reminders: { agesMs: [] },
    batchSize: 2_000,
    maxInlineWaitMs: 60_000,
  });
  const started = Date.now();
  // The production loop: claim every 100 ms and whenever a conversation's worker frees up.
  dispatcher.start(100);
  while ((await store.countPendingOutbox()) > 0 && Date.now() - started < budgetMs) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await dispatcher.stop();
  const ms = Date.now() - started;
  const seconds = ms / 1000;
  const left = await store.countPendingOutbox();
  const lines: string[] = [];
  for (const [name, chat, windows, counted] of [
    ['Teams', teamsChat, TEAMS_CONVERSATION_WINDOWS, ['post', 'update', 'reply']],
    ['Slack', slackChat, SLACK_CHANNEL_WINDOWS, ['post', 'reply']],
  ] as const) {
    // The rate that the windows limit: every call on Teams; new messages only on Slack.
    const byConv = new Map<string, number[]>();
    for (const d of chat.deliveries.filter((x) => (counted as readonly string[]).includes(x.op)))
      byConv.set(d.conversationId, [...(byConv.get(d.conversationId) ?? []), d.at]);
    const fractions = [...byConv.values()].map((times) => {
      const span = Math.max(1, (times.at(-1) ?? 0) - (times[0] ?? 0) + 1);
      return times.length / allowedIn(windows, span);
    });
    const posts = chat.deliveries.filter((d) => d.op === 'post');
    const latency = posts.map((d) => (d.at - detectedAt) / 1000);
    lines.push(
      `${label.padEnd(10)} ${name.padEnd(5)}: ${chat.deliveries.length} messages in ${byConv.size} channels; ` +
        `rate/allowed median ${percentile(fractions, 50).toFixed(2)} (p10 ${percentile(fractions, 10).toFixed(2)}); ` +
        `self-caused 429s ${chat.throttled}; first post after detection p50 ${percentile(latency, 50).toFixed(2)} s, p99 ${percentile(latency, 99).toFixed(2)} s`,
    );
  }
  lines.unshift(
    `${label.padEnd(10)} ${events - left} of ${events} outbox events delivered in ${seconds.toFixed(1)} s${left > 0 ? ' (time budget used up)' : ''}`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { lines, ms };
}

/**
 * Runs the paced dispatcher, then the baseline (no pacing: send, take the 429, wait Retry-After) with the
 * same work and 1.5× the paced run's time, in one run.
 */
export async function benchAlerts(): Promise<string[]> {
  const paced = await run('paced', true, 30 * 60_000);
  const naive = await run('naive', false, Math.ceil(paced.ms * 1.5));
  return [...paced.lines, ...naive.lines];
}
