import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnchoredSimulation } from '../../../../adapters/simulated/anchored.js';
import { demoDirectory } from '../../../../bot/config/demo-customers.js';
import type { Logger } from '../../../../bot/ports.js';
import { fixedClock } from '../../../support/core-harness.js';

// A restarted process must see the very same simulated world: that is what keeps alerts from being lost or
// invented across a crash of the embedded default.

const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const customers = demoDirectory().customers;
const STEP = 30_000;

async function snapshot(sim: ReturnType<typeof createAnchoredSimulation>) {
  return Promise.all(customers.map((c) => sim.source.readChanges(c, null).then((b) => b.incidents)));
}

describe('createAnchoredSimulation', () => {
  it('replays to the same world after a restart, and keeps the cursor meaningful', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deb-anchor-')), 'data', 'simulation-anchor.json');
    const clock = fixedClock('2026-11-27T09:00:00.000Z');
    const first = createAnchoredSimulation({
      customers,
      seed: 5,
      stepMs: STEP,
      anchorFile: file,
      clock,
      logger,
    });
    expect(existsSync(file)).toBe(true);
    clock.advance(40 * STEP + 1_234);
    expect(await first.catchUp()).toBe(40);
    const customer = customers[0];
    if (customer === undefined) throw new Error('no demo customer');
    const cursor = (await first.source.readChanges(customer, null)).cursor;

    // "Crash" and start again later: the new process replays the same 40 steps, then goes on.
    const second = createAnchoredSimulation({
      customers,
      seed: 5,
      stepMs: STEP,
      anchorFile: file,
      clock,
      logger,
    });
    expect(await second.catchUp()).toBe(40);
    expect(await snapshot(second)).toStrictEqual(await snapshot(first));
    const resumed = await second.source.readChanges(customer, cursor);
    expect(resumed.incidents).toEqual([]);
    expect(resumed.baseline).toBeUndefined();

    clock.advance(10 * STEP);
    await first.catchUp();
    await second.catchUp();
    expect(await snapshot(second)).toStrictEqual(await snapshot(first));
  });

  it('starts a new world, and says so, when the seed changes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deb-anchor-')), 'anchor.json');
    const clock = fixedClock();
    createAnchoredSimulation({ customers, seed: 1, stepMs: STEP, anchorFile: file, clock, logger });
    const before = JSON.parse(readFileSync(file, 'utf8'));
    clock.advance(STEP);
    const other = createAnchoredSimulation({
      customers,
      seed: 2,
      stepMs: STEP,
      anchorFile: file,
      clock,
      logger,
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      seed: 2,
      anchorMs: before.anchorMs + STEP,
      generation: 1,
    });
    const customer = customers[0];
    if (customer === undefined) throw new Error('no demo customer');
    // A cursor of the old world is not this world's: the answer is a baseline snapshot.
    const stale = await other.source.readChanges(customer, 'sim:oldworld:123');
    expect(stale.baseline).toBe(true);
    expect(stale.incidents.length).toBeGreaterThan(0);
  });

  it('replays console changes in order with the steps, so an id keeps its incident and is never reused', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'deb-anchor-')), 'data');
    const file = join(dir, 'simulation-anchor.json');
    const clock = fixedClock('2026-11-27T09:00:00.000Z');
    const make = () =>
      createAnchoredSimulation({ customers, seed: 11, stepMs: STEP, anchorFile: file, clock, logger });
    const first = make();
    const customer = customers.find((c) => c.expertsAccess === 'reader');
    if (customer === undefined) throw new Error('no reader customer');
    clock.advance(3 * STEP + 10);
    await first.catchUp();
    const created = await first.source.createIncident(customer.id);
    await first.source.startInvestigation(customer.id, created.id, 'Ada Expert');
    clock.advance(2 * STEP);
    await first.catchUp();
    await first.source.classify(customer.id, created.id, 'truePositive', 'malware', 'Confirmed.');
    await first.source.handOff(customer.id, created.id);
    await first.source.comment(customer.id, created.id, 'Defender Experts bot', 'Guided response: done.');
    await first.source.step();
    first.source.setPaused(true);
    clock.advance(4 * STEP);
    await first.catchUp();
    first.source.setPaused(false);
    clock.advance(STEP);
    await first.catchUp();
    const resolved = await first.source.resolve(customer.id, created.id, 'All done.');
    expect(resolved.status).toBe('resolved');
    expect(readFileSync(join(dir, 'simulation-journal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(9);

    // A restart: the same world, the console-made incident still resolved under its own id.
    const second = make();
    await second.catchUp();
    expect(await snapshot(second)).toStrictEqual(await snapshot(first));
    expect((await second.source.getIncident(customer, created.id))?.displayName).toBe(created.displayName);
    expect((await second.source.getIncident(customer, created.id))?.status).toBe('resolved');

    // Both go on identically (the first no longer acts: one process per DATA_DIR).
    clock.advance(30 * STEP);
    await first.catchUp();
    await second.catchUp();
    expect(await snapshot(second)).toStrictEqual(await snapshot(first));
    expect((await second.source.getIncident(customer, created.id))?.lastUpdateDateTime).toBe(
      resolved.lastUpdateDateTime,
    );
    // Nothing new ever takes the console incident's id.
    const again = await second.source.createIncident(customer.id);
    expect(Number(again.id)).toBeGreaterThan(Number(created.id));
    clock.advance(5 * STEP);
    await second.catchUp();
    // A third start replays the changes the second run journalled too.
    const third = make();
    await third.catchUp();
    expect(await snapshot(third)).toStrictEqual(await snapshot(second));
  });

  it('skips a torn journal line with a warning and keeps appending cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deb-anchor-'));
    const file = join(dir, 'simulation-anchor.json');
    const clock = fixedClock();
    const warnings: string[] = [];
    const log: Logger = { ...logger, warn: (_o, msg) => void warnings.push(String(msg)) };
    const make = () =>
      createAnchoredSimulation({ customers, seed: 3, stepMs: STEP, anchorFile: file, clock, logger: log });
    const customer = customers[0];
    if (customer === undefined) throw new Error('no demo customer');
    const first = make();
    const created = await first.source.createIncident(customer.id);
    appendFileSync(join(dir, 'simulation-journal.jsonl'), '{"op":"create","cust');
    const second = make();
    await second.catchUp();
    expect(warnings).toContain('simulation journal: skipped an unreadable line');
    expect((await second.source.getIncident(customer, created.id))?.displayName).toBe(created.displayName);
    const next = await second.source.createIncident(customer.id);
    const third = make();
    await third.catchUp();
    expect((await third.source.getIncident(customer, next.id))?.displayName).toBe(next.displayName);
  });

  it('forgets the journal on a new anchor, and numbers the new world above the old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deb-anchor-'));
    const file = join(dir, 'simulation-anchor.json');
    const clock = fixedClock();
    const make = () =>
      createAnchoredSimulation({ customers, seed: 1, stepMs: STEP, anchorFile: file, clock, logger });
    const first = make();
    const customer = customers[0];
    if (customer === undefined) throw new Error('no demo customer');
    const old = await first.source.createIncident(customer.id);
    const oldIds = (await first.source.readChanges(customer, null)).incidents.map((i) => Number(i.id));
    expect(existsSync(join(dir, 'simulation-journal.jsonl'))).toBe(true);
    // Too old to replay: a fresh world, whose ids all lie above every id of the old one.
    clock.advance(25_000 * STEP);
    const next = make();
    expect(existsSync(join(dir, 'simulation-journal.jsonl'))).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ generation: 1 });
    const newIds = (await next.source.readChanges(customer, null)).incidents.map((i) => Number(i.id));
    expect(Math.min(...newIds)).toBeGreaterThan(Math.max(...oldIds));
    expect((await next.source.getIncident(customer, old.id))?.displayName ?? null).not.toBe(old.displayName);
  });

  it('is paused and keeps no anchor when the step is 0', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deb-anchor-')), 'anchor.json');
    const clock = fixedClock();
    const sim = createAnchoredSimulation({ customers, seed: 1, stepMs: 0, anchorFile: file, clock, logger });
    sim.start();
    clock.advance(10 * STEP);
    expect(await sim.catchUp()).toBe(0);
    expect(sim.source.isPaused()).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
