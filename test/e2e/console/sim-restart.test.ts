import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../adapters/wiring/composition.js';
import { loadConfig } from '../../../bot/config/env.js';
import type { Logger } from '../../../bot/ports.js';
import { fixedClock } from '../../support/core-harness.js';

// B1: the real composition, stopped and started again on one DATA_DIR, must come back with the very same
// simulated world, including what the expert did by hand in the console, and the alert outbox must hold
// exactly what a run without the restart would have produced.

const STEP_SECONDS = 30;
const STEP = STEP_SECONDS * 1000;
const START = '2026-11-27T09:00:00.000Z';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const dirs: string[] = [];
/** The simulation's timer checks every second which steps are due by the (fixed) clock. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100));

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function boot(dataDir: string, clock: ReturnType<typeof fixedClock>): Promise<RunningBot> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SIMULATION_STEP_SECONDS: String(STEP_SECONDS),
    SIMULATION_SEED: '21',
    DEV_CONSOLE: 'on',
    LOG_LEVEL: 'silent',
  });
  return startBot(config, { logger: quiet, clock, autoStart: true });
}

async function sim(bot: RunningBot, move: string, body: Record<string, unknown>) {
  const res = await fetch(`${bot.url}/console/api/sim/${move}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ personaId: 'expert', ...body }),
  });
  const json = (await res.json()) as { incident?: { id: string; title: string; statusValue: string } };
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.incident;
}

/** The expert's console session: create, work, hand off and resolve one incident of a reader customer. */
async function consoleSession(bot: RunningBot, clock: ReturnType<typeof fixedClock>, customerId: string) {
  const created = await sim(bot, 'create', { customerId });
  if (created === undefined) throw new Error('no incident');
  const target = { customerId, incidentId: created.id };
  await sim(bot, 'start', target);
  clock.advance(2 * STEP);
  await tick();
  await bot.simulation?.step();
  await sim(bot, 'classify', {
    ...target,
    classification: 'truePositive',
    determination: 'malware',
    summary: 'Confirmed by hand.',
  });
  await sim(bot, 'handoff', target);
  await sim(bot, 'comment', { ...target, text: 'Customer completed every action.' });
  clock.advance(STEP);
  await tick();
  await sim(bot, 'resolve', { ...target, comment: 'Closed from the console.' });
  return created;
}

interface OutboxRow {
  readonly key: string;
  readonly incidentId: string;
  readonly version: string;
}

const outbox = (dataDir: string): OutboxRow[] => {
  const db = new Database(join(dataDir, 'defender-experts-bot.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare(
          "SELECT customer_id, incident_id, kind, version FROM outbox WHERE kind <> 'reminder' ORDER BY id",
        )
        .all() as Record<string, string>[]
    ).map((r) => ({
      key: `${r.customer_id}/${r.incident_id}/${r.kind}/${r.version}`,
      incidentId: String(r.incident_id),
      version: String(r.version),
    }));
  } finally {
    db.close();
  }
};

/** Every incident the store holds, as id → latest version time, for one customer. */
async function storeVersions(bot: RunningBot, customerId: string): Promise<Map<string, string>> {
  const page = await bot.store.listIncidents({
    customerId,
    view: 'all',
    severity: null,
    limit: 1000,
    offset: 0,
  });
  return new Map(page.items.map((i) => [i.id, i.lastUpdateDateTime]));
}

describe('the embedded simulation across a restart', () => {
  it('keeps console-made incidents under their ids and neither loses nor invents alerts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deb-simrestart-'));
    dirs.push(dataDir);
    const clock = fixedClock(START);

    let bot = await boot(dataDir, clock);
    const customer = bot.directory.customers.find((c) => c.expertsAccess === 'reader');
    if (customer === undefined) throw new Error('no reader customer');
    const created = await consoleSession(bot, clock, customer.id);
    await bot.sync.syncAll();
    const before = outbox(dataDir);
    const versions = await storeVersions(bot, customer.id);
    const resolvedAt = versions.get(created.id);
    expect(before.some((r) => r.incidentId === created.id)).toBe(true);
    await bot.close();

    // Restart at the same moment: the same world, so not one alert more and none lost.
    bot = await boot(dataDir, clock);
    const again = await bot.source.getIncident(customer, created.id);
    expect(again?.displayName).toBe(created.title);
    expect(again?.status).toBe('resolved');
    expect(await storeVersions(bot, customer.id)).toEqual(versions);
    expect(outbox(dataDir)).toEqual(before);
    await bot.close();

    // Restart much later: the automatic steps played since then change other incidents only, after the stop.
    clock.advance(60 * STEP);
    bot = await boot(dataDir, clock);
    const later = await bot.store.getIncident(customer.id, created.id);
    expect(later?.displayName).toBe(created.title);
    expect(later?.lastUpdateDateTime).toBe(resolvedAt);
    // Acting on it works (the panel and the world agree on what the id means).
    await sim(bot, 'comment', { customerId: customer.id, incidentId: created.id, text: 'Still closed.' });
    const after = outbox(dataDir);
    expect(after.slice(0, before.length)).toEqual(before);
    const stopMs = Date.parse(START) + 3 * STEP;
    for (const row of after.slice(before.length)) {
      expect(Date.parse(row.version.split('#')[0] ?? ''), row.key).toBeGreaterThan(stopMs);
    }
    expect(new Set(after.map((r) => r.key)).size).toBe(after.length);
    for (const [id, version] of await storeVersions(bot, customer.id)) {
      expect((await bot.source.getIncident(customer, id))?.lastUpdateDateTime, id).toBe(version);
    }
    const fresh = await sim(bot, 'create', { customerId: customer.id });
    expect([...versions.keys()]).not.toContain(fresh?.id);
    await bot.close();
  });
});
