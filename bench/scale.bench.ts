import { createPostgresStore, type PostgresStore } from '../adapters/postgres/postgres-store.js';
import { SLACK_CHANNEL_WINDOWS } from '../adapters/slack/transport/slack-api.js';
import { createDispatcher, type Dispatcher } from '../bot/alerts/dispatcher.js';
import { planAlerts } from '../bot/alerts/planner.js';
import type { ChannelBinding } from '../bot/domain/conversation.js';
import type { Customer } from '../bot/domain/customer.js';
import { parseIncident } from '../bot/domain/incident.js';
import { type ChatPort, systemClock } from '../bot/ports.js';
import { createRecordingChat, type RecordingChat } from '../test/support/recording-chat.js';
import { benchDirectory, silentLogger } from './directory.js';
import { BENCH_DATABASE_URL, benchSchema } from './pg-bench-schema.js';

// Scale-out: the alert pipeline on PostgreSQL with 1, 2 and 3 instances (each its own store connection
// pool, instance id and dispatcher) draining the same outbox, in one run. "slack": one Slack stand-in that
// enforces one new message per second per channel across all instances (so a lane split between instances
// would show as self-caused 429s); "unpaced": a stand-in without limits, where the store is the bound.
// The instances share this process's event loop: the figures show what the lane design allows, not CPU scaling.

const CHANNELS = Number(process.env.BENCH_SCALE_CHANNELS ?? 60);
const INCIDENTS = 3; // per channel: a handoff (post), then a comment (update + thread reply)

interface RunResult {
  readonly line: string;
}

async function seedOutbox(store: PostgresStore, customers: readonly Customer[], platform: 'slack' | 'web') {
  const t0 = Date.now() - 1_000;
  const bindings: ChannelBinding[] = customers.map((c, i) => ({
    id: `${platform}-b${i}`,
    customerId: c.id,
    conversation: { platform, id: `${platform}:conv-${i}`, threadId: null, kind: 'channel' },
    events: ['handedOff', 'commentAdded'],
    onCall: null,
    createdBy: 'bench',
    createdAt: new Date(t0).toISOString(),
    paused: false,
  }));
  for (const b of bindings) await store.saveBinding(b);
  const version = (c: Customer, n: number, step: number) =>
    parseIncident(
      {
        id: String(1000 + n),
        displayName: `Incident ${n}`,
        status: step === 0 ? 'inProgress' : 'awaitingAction',
        assignedTo: step === 0 ? 'Defender Experts' : 'Customer',
        severity: 'high',
        lastUpdateDateTime: new Date(t0 + step * 100).toISOString(),
        comments:
          step < 2
            ? []
            : [
                {
                  comment: 'Please confirm.',
                  createdBy: 'Defender Experts',
                  createdDateTime: new Date(t0).toISOString(),
                },
              ],
      },
      c.id,
    );
  for (const [i, c] of customers.entries()) {
    const incidents = (step: number) => Array.from({ length: INCIDENTS }, (_, n) => version(c, n, step));
    await store.saveIncidentChanges(c.id, incidents(0), 'v0');
    const plan = planAlerts([bindings[i] as ChannelBinding], Date.now());
    await store.saveIncidentChanges(c.id, incidents(1), 'v1', plan);
    await store.saveIncidentChanges(c.id, incidents(2), 'v2', plan);
  }
}

/** Counts which instance sent to which conversation, around the shared stand-in. */
function tap(chat: ChatPort, lanes: Set<string>): ChatPort {
  return {
    delayFor: (c, kind) => chat.delayFor(c, kind),
    post(c, m) {
      lanes.add(c.id);
      return chat.post(c, m);
    },
    update(c, id, m) {
      lanes.add(c.id);
      return chat.update(c, id, m);
    },
    reply(c, id, m) {
      lanes.add(c.id);
      return chat.reply(c, id, m);
    },
  };
}

async function run(instances: number, platform: 'slack' | 'web'): Promise<RunResult> {
  const schema = await benchSchema(`scale${instances}${platform}`);
  if (schema === null) return { line: 'PostgreSQL not reachable: skipped' };
  const stores: PostgresStore[] = [];
  const dispatchers: Dispatcher[] = [];
  try {
    for (let i = 0; i < instances; i += 1) {
      stores.push(
        await createPostgresStore({
          connectionString: BENCH_DATABASE_URL,
          schema: schema.schema,
          instanceId: `bench-${i}`,
          logger: silentLogger,
        }),
      );
    }
    const [first] = stores;
    if (first === undefined) throw new Error('no store');
    const directory = benchDirectory(CHANNELS, `${platform}c`);
    await seedOutbox(first, directory.customers, platform);
    const rows = await first.countPendingOutbox();
    const chat: RecordingChat =
      platform === 'slack'
        ? createRecordingChat(systemClock, SLACK_CHANNEL_WINDOWS, new Set(['post', 'reply']))
        : createRecordingChat(systemClock);
    const lanes = stores.map(() => new Set<string>());
    const started = Date.now();
    stores.forEach((store, i) => {
      const mine = tap(chat, lanes[i] as Set<string>);
      const d = createDispatcher({
        store,
        directory,
        clock: systemClock,
        logger: silentLogger,
        chatFor: (p) => (p === platform ? mine : undefined),
        reminders: { agesMs: [] },
        batchSize: 500,
        maxInlineWaitMs: 60_000,
      });
      d.start(100);
      dispatchers.push(d);
    });
    while ((await first.countPendingOutbox()) > 0 && Date.now() - started < 5 * 60_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = Date.now() - started;
    await Promise.all(dispatchers.map((d) => d.stop()));
    const messages = chat.deliveries.length;
    const newMessages = chat.deliveries.filter((d) => d.op !== 'update').length;
    const shared = [...new Set(lanes.flatMap((l) => [...l]))].filter(
      (c) => lanes.filter((l) => l.has(c)).length > 1,
    ).length;
    // Slack allows one new message a second per channel: the floor for this work is (new per channel - 1) s.
    const floor = platform === 'slack' ? (newMessages / CHANNELS - 1) * 1000 : 0;
    return {
      line:
        `${platform.padEnd(8)} ${instances} instance${instances > 1 ? 's' : ' '}: ${rows} rows, ${messages} calls in ${(ms / 1000).toFixed(2)} s ` +
        `= ${((messages / ms) * 1000).toFixed(0)} calls/s` +
        (floor > 0
          ? ` (pacing floor ${(floor / 1000).toFixed(1)} s, ${(floor / ms).toFixed(2)} of the allowed rate)`
          : '') +
        `; lanes per instance ${lanes.map((l) => l.size).join('/')}, split lanes ${shared}, self-caused 429s ${chat.throttled}`,
    };
  } finally {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await Promise.all(stores.map((s) => s.close()));
    await schema.drop();
  }
}

/** 1, 2 and 3 instances on one outbox, paced (Slack) and unpaced, in one run. */
export async function benchScale(): Promise<string[]> {
  const lines: string[] = [];
  for (const platform of ['slack', 'web'] as const) {
    for (const instances of [1, 2, 3]) lines.push((await run(instances, platform)).line);
  }
  return lines;
}
