import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readableLine } from '../../../bot/alerts/alert-messages.js';
import { BOT_TOKEN, slashCommand } from '../../support/slack-harness.js';
import { SIGNING_SECRET } from '../../support/slack-signing.js';
import { type SlackStandIn, startSlackStandIn } from '../../support/slack-standin.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// Crash safety: the real bot process, the simulation handing incidents off every second, a Slack stand-in
// counting deliveries, and SIGKILL at random moments, 20 times. Afterwards: no alert lost, at most one
// duplicate per crash, and each incident's thread in order.

const TRIALS = 20;
const CHANNEL = 'C0SOCALERTS';

interface OutboxRow {
  id: number;
  incident_id: string;
  kind: string;
  payload: string;
  state: string;
}

const unescapeSlack = (s: string): string =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

describe('alerts survive SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'deb-crash-'));
  let standIn: SlackStandIn;
  let bot: SpawnedBot | null = null;
  const env = (): Record<string, string> => ({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DEV_CONSOLE: 'off',
    SIMULATION_STEP_SECONDS: '2',
    SIMULATION_SEED: '7',
    POLL_INTERVAL_SECONDS: '1',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: standIn.apiUrl,
  });

  afterAll(async () => {
    if (bot !== null && bot.child.exitCode === null) {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
    await standIn?.close();
  });

  it(`delivers every alert exactly once per incident event, give or take one duplicate per crash (${TRIALS} crashes)`, async () => {
    standIn = await startSlackStandIn();
    standIn.users.set('U0ADMIN', { team_id: 'T0CONTOSO', name: 'admin' });
    bot = spawnBot(env());
    const url = await bot.ready;
    const { res } = await slashCommand({ standIn, bot, url, close: async () => {} }, 'subscribe handoff', {
      user: 'U0ADMIN',
      channel: CHANNEL,
    });
    expect(res.status).toBe(200);
    await standIn.waitFor(
      (c) => JSON.stringify(c.args).includes('Incident alerts for Contoso'),
      'subscribe answer',
    );

    for (let trial = 0; trial < TRIALS; trial += 1) {
      await new Promise((r) => setTimeout(r, 400 + Math.floor(Math.random() * 1_600)));
      bot.child.kill('SIGKILL');
      await bot.exited;
      bot = spawnBot(env());
      await bot.ready;
    }
    // Let the last process catch up, then stop it cleanly.
    const db = () => new Database(join(dataDir, 'defender-experts-bot.sqlite'), { readonly: true });
    for (let i = 0; i < 180; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      const d = db();
      const pending = d
        .prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND scheduled = 0")
        .get() as { n: number };
      d.close();
      if (pending.n === 0 && i > 4) break;
    }
    const lastOutput = bot.output();
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code, lastOutput.slice(-3000)).toBe(0);

    const d = db();
    const rows = d
      .prepare(
        "SELECT id, incident_id, kind, payload, state FROM outbox WHERE kind <> 'reminder' ORDER BY id",
      )
      .all() as OutboxRow[];
    const stuck = d
      .prepare(
        "SELECT id, incident_id, kind, attempts, not_before - ? AS due_in_ms, lease_until - ? AS lease_ms, last_error FROM outbox WHERE state <> 'done' AND kind <> 'reminder' LIMIT 5",
      )
      .all(Date.now(), Date.now());
    const posts = new Map(
      (
        d.prepare('SELECT incident_id, message_id FROM incident_posts').all() as {
          incident_id: string;
          message_id: string;
        }[]
      ).map((p) => [p.incident_id, p.message_id]),
    );
    d.close();

    const states: Record<string, number> = {};
    for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
    expect(states, `outbox rows by state; first not done: ${JSON.stringify(stuck)}`).toEqual({
      done: rows.length,
    });
    const calls = standIn.calls.filter((c) => c.args.channel === CHANNEL);
    const topLevel = calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined);
    const replies = calls.filter(
      (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
    );
    const text = (c: (typeof calls)[number]) => unescapeSlack(JSON.stringify(c.args));

    let duplicates = 0;
    const lost: string[] = [];
    let checkedLines = 0;
    const byIncident = new Map<string, OutboxRow[]>();
    for (const r of rows) byIncident.set(r.incident_id, [...(byIncident.get(r.incident_id) ?? []), r]);
    expect(byIncident.size).toBeGreaterThan(3);
    for (const [incidentId, list] of byIncident) {
      const first = list.findIndex((r) => (JSON.parse(r.payload) as { matchesRule: boolean }).matchesRule);
      const postTs = posts.get(incidentId);
      if (first === -1) {
        expect(postTs).toBeUndefined();
        continue;
      }
      // The post: at least one top-level message for this incident, the recorded one among them.
      const mine = topLevel.filter((c) => text(c).includes(`Incident ${incidentId} `));
      if (mine.length === 0 || postTs === undefined)
        lost.push(`incident ${incidentId}: no post (recorded ${postTs ?? 'none'}, ${mine.length} at Slack)`);
      duplicates += Math.max(0, mine.length - 1);
      // Every later event: its line in the thread, in order.
      // As people read them in the thread (a raw determination spelled out, one provider signature).
      const expected = list
        .slice(first + 1)
        .map((r) => readableLine((JSON.parse(r.payload) as { line: string }).line));
      const seen = replies
        .filter((c) => c.args.thread_ts === postTs)
        .map((c) => unescapeSlack(String(c.args.text ?? '')));
      // Walk the thread: each expected line in order; a repeat of the line just delivered is a crash duplicate.
      let j = 0;
      const unexpected: string[] = [];
      for (const line of seen) {
        if (j < expected.length && line === expected[j]) j += 1;
        else if (j > 0 && line === expected[j - 1]) duplicates += 1;
        else unexpected.push(line);
      }
      expect(unexpected, `incident ${incidentId}: lines out of order or unknown`).toEqual([]);
      for (const missing of expected.slice(j))
        lost.push(`incident ${incidentId}: thread line not delivered: ${missing}`);
      checkedLines += expected.length;
    }
    process.stdout.write(
      `crash test: ${TRIALS} SIGKILLs, ${rows.length} outbox rows, ${posts.size} incident posts, ${checkedLines} thread lines checked, ${lost.length} lost, ${duplicates} duplicates\n`,
    );
    expect(lost).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(TRIALS);
    expect(checkedLines + posts.size).toBeGreaterThan(10);
  }, 240_000);
});
