import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createSimulatedSource,
  type SimulatedSource,
} from '../../../../adapters/simulated/simulated-source.js';
import type { Customer, ExpertsAccess } from '../../../../bot/domain/customer.js';
import type { Clock } from '../../../../bot/ports.js';
import { makeCustomer } from '../../../support/make-customer.js';

// Same seed + same clock sequence → identical incidents; timestamps strictly increase per change even
// when the clock stands still; cursors; and the timer, which pauses while explicit steps still work.

const customer = (id: string, expertsAccess: ExpertsAccess): Customer => makeCustomer(id, expertsAccess);
const customers = [customer('contoso', 'reader'), customer('fabrikam', 'operator')];
const START = Date.parse('2026-11-20T08:00:00.000Z');

/** A clock that moves 37 seconds every time it is read: the same sequence for every source built on it. */
function steppingClock(): Clock {
  let t = START;
  return {
    now: () => {
      t += 37_000;
      return new Date(t);
    },
  };
}

async function snapshot(sim: SimulatedSource) {
  return Promise.all(customers.map((c) => sim.readChanges(c, null)));
}

async function run(seed: number, steps: number) {
  const sim = createSimulatedSource({ customers, seed, clock: steppingClock() });
  for (let i = 0; i < steps; i += 1) await sim.step();
  await sim.createIncident('contoso');
  return snapshot(sim);
}

describe('determinism', () => {
  it('two sources with the same seed and clock are deep-equal after N steps', async () => {
    const a = await run(99, 80);
    const b = await run(99, 80);
    expect(a).toEqual(b);
    expect(a[0]?.incidents.length).toBeGreaterThan(14);
  });

  it('another seed tells another story', async () => {
    const a = await run(99, 10);
    const b = await run(100, 10);
    expect(a.map((x) => x.incidents)).not.toEqual(b.map((x) => x.incidents));
  });

  it('never uses Math.random', async () => {
    const spy = vi.spyOn(Math, 'random');
    await run(5, 20);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('change timestamps', () => {
  it('strictly increase per change even when the clock stands still, and come from the clock', async () => {
    const frozen = new Date(START);
    const sim = createSimulatedSource({ customers, seed: 4, clock: { now: () => frozen } });
    const cursors = await Promise.all(customers.map(async (c) => (await sim.readChanges(c, null)).cursor));
    const created = await sim.createIncident('contoso');
    let latest = created;
    for (let i = 0; i < 5; i += 1)
      latest = await sim.comment('contoso', created.id, 'Defender Experts', `note ${i}`);
    // The first live change lands on the clock; each later one a millisecond after the previous.
    expect(Date.parse(created.lastUpdateDateTime)).toBe(START);
    expect(latest.comments.map((c) => Date.parse(c.createdDateTime))).toEqual(
      [1, 2, 3, 4, 5].map((n) => START + n),
    );
    expect(Date.parse(latest.lastUpdateDateTime)).toBe(START + 5);

    for (let i = 0; i < 30; i += 1) await sim.step();
    const changed = (
      await Promise.all(customers.map((c, k) => sim.readChanges(c, cursors[k] ?? null)))
    ).flatMap((b) => b.incidents);
    const stamps = changed.map((i) => Date.parse(i.lastUpdateDateTime)).sort((x, y) => x - y);
    expect(stamps.length).toBeGreaterThan(6);
    expect(new Set(stamps).size).toBe(stamps.length);
    for (const t of stamps) expect(t).toBeGreaterThanOrEqual(START);
  });

  it('moves the cursor only on change, and re-reads everything for a cursor of another run', async () => {
    const clock = steppingClock();
    const sim = createSimulatedSource({ customers, seed: 4, clock });
    const contoso = customers[0] as Customer;
    const first = await sim.readChanges(contoso, null);
    const again = await sim.readChanges(contoso, first.cursor);
    expect(again.incidents).toEqual([]);
    expect(again.cursor).toBe(first.cursor);
    const stale = await sim.readChanges(contoso, 'sim:other-run:3');
    expect(stale.incidents).toHaveLength(first.incidents.length);
    const garbage = await sim.readChanges(contoso, 'not a cursor');
    expect(garbage.incidents).toHaveLength(first.incidents.length);
  });
});

describe('timer and pause', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('steps on the timer, not while paused, and explicit step() still works while paused', async () => {
    vi.useFakeTimers();
    const clock = steppingClock();
    const sim = createSimulatedSource({ customers, seed: 8, clock });
    const contoso = customers[0] as Customer;
    const changesSince = async (cursor: string) => (await sim.readChanges(contoso, cursor)).incidents.length;

    sim.setPaused(true);
    expect(sim.isPaused()).toBe(true);
    sim.start(1000);
    const { cursor: c0 } = await sim.readChanges(contoso, null);
    vi.advanceTimersByTime(60_000);
    expect(await changesSince(c0)).toBe(0);

    for (let i = 0; i < 20; i += 1) await sim.step();
    expect(await changesSince(c0)).toBeGreaterThan(0);

    const { cursor: c1 } = await sim.readChanges(contoso, null);
    sim.setPaused(false);
    vi.advanceTimersByTime(60_000);
    expect(await changesSince(c1)).toBeGreaterThan(0);

    sim.stop();
    const { cursor: c2 } = await sim.readChanges(contoso, null);
    vi.advanceTimersByTime(60_000);
    expect(await changesSince(c2)).toBe(0);
  });

  it('refuses a silly interval', () => {
    const sim = createSimulatedSource({ customers, seed: 8, clock: steppingClock() });
    expect(() => sim.start(0)).toThrow(/interval/);
  });
});
