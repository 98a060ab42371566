import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
    });
    const customer = customers[0];
    if (customer === undefined) throw new Error('no demo customer');
    // A cursor of the old world is not this world's: the answer is a baseline snapshot.
    const stale = await other.source.readChanges(customer, 'sim:oldworld:123');
    expect(stale.baseline).toBe(true);
    expect(stale.incidents.length).toBeGreaterThan(0);
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
