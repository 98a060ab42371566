import type { Customer } from '../../bot/domain/customer.js';
import { type Incident, parseIncident } from '../../bot/domain/incident.js';
import { BotError } from '../../bot/errors.js';
import type { Clock } from '../../bot/ports.js';
import type { AssetContext, GraphIncident } from './graph-json.js';
import { newIncident } from './lifecycle.js';
import { createRandom, hashString, type Random } from './random.js';
import { buildContext, type Scenario } from './scenario-kit.js';

// The simulation's memory: every incident of every demo customer, in the Graph wire shape, with the
// global change sequence that readChanges cursors point into. Only the source module touches it.

/** One simulated incident: its story (scenario + assets), its current wire form and parsed form. */
export interface Entry {
  readonly customerId: string;
  readonly scenario: Scenario;
  readonly ctx: AssetContext;
  raw: GraphIncident;
  incident: Incident;
  /** The global change number of its latest version. */
  seq: number;
}

/** A demo customer: its own seeded stream (so customers never disturb each other) and id range. */
export interface CustomerState {
  readonly customer: Customer;
  readonly rng: Random;
  readonly tenantId: string;
  nextId: number;
  readonly entries: Map<string, Entry>;
}

/** The whole simulated service. */
export interface World {
  /** In the order the customers were given; steps visit them in this order. */
  readonly customers: ReadonlyMap<string, CustomerState>;
  seq: number;
  lastStampMs: number;
  /** Identifies this run inside cursors, so a cursor saved by an earlier run is never misread. */
  readonly epoch: string;
}

/** The most incidents a customer can hold: its id range is 10,000 wide. */
export const MAX_INCIDENTS_PER_CUSTOMER = 9000;

/** Each new world generation of one DATA_DIR starts this much higher in its customers' id ranges. */
export const GENERATION_ID_STEP = 1000;
/** Generations before the offset wraps (keeps every id inside its customer's 10,000-wide range). */
const GENERATIONS = 8;

/**
 * Sets up empty customers with per-customer id ranges (10xxx, 20xxx, …) so ids never collide. `generation`
 * (the anchor's count of fresh starts) moves the first id up, so a new world does not reuse the old ids.
 */
export function createWorld(
  customers: readonly Customer[],
  seed: number,
  startMs: number,
  generation = 0,
): World {
  const offset = (Math.max(0, Math.floor(generation)) % GENERATIONS) * GENERATION_ID_STEP;
  const states = new Map<string, CustomerState>();
  customers.forEach((customer, index) => {
    if (states.has(customer.id)) throw new BotError('bad_input', `customer "${customer.id}" is listed twice`);
    const rng = createRandom((seed ^ hashString(customer.id)) >>> 0);
    const tenantId = customer.entraTenantId ?? rng.guid();
    states.set(customer.id, {
      customer,
      rng,
      tenantId,
      nextId: (index + 1) * 10000 + offset + rng.int(100, 899),
      entries: new Map(),
    });
  });
  return {
    customers: states,
    seq: 0,
    lastStampMs: 0,
    epoch: `${(seed >>> 0).toString(36)}-${startMs.toString(36)}`,
  };
}

/**
 * The time of the next change: the clock, but always at least one millisecond after the previous change,
 * so a poller filtering on lastUpdateDateTime can never miss one.
 */
export function stamp(world: World, clock: Clock): string {
  const ms = Math.max(clock.now().getTime(), world.lastStampMs + 1);
  world.lastStampMs = ms;
  return new Date(ms).toISOString();
}

/** Records a new version: parsed through the tolerant parser, numbered in the global sequence. */
export function commit(world: World, entry: Entry, raw: GraphIncident): Incident {
  world.seq += 1;
  world.lastStampMs = Math.max(world.lastStampMs, Date.parse(raw.lastUpdateDateTime));
  entry.raw = raw;
  entry.incident = parseIncident(structuredClone(raw), entry.customerId);
  entry.seq = world.seq;
  return entry.incident;
}

/** Creates an Active, unassigned incident for the customer from the scenario, at the given time. */
export function addIncident(world: World, cs: CustomerState, scenario: Scenario, at: string): Entry {
  if (cs.entries.size >= MAX_INCIDENTS_PER_CUSTOMER) {
    throw new BotError(
      'conflict',
      `customer "${cs.customer.id}" already has the most incidents a demo can hold`,
    );
  }
  const id = String(cs.nextId);
  cs.nextId += 1;
  const ctx = buildContext(cs.rng, cs.customer, scenario);
  const raw = newIncident({ id, scenario, ctx, rng: cs.rng, at, tenantId: cs.tenantId });
  const entry: Entry = {
    customerId: cs.customer.id,
    scenario,
    ctx,
    raw,
    incident: parseIncident(raw, cs.customer.id),
    seq: 0,
  };
  cs.entries.set(id, entry);
  commit(world, entry, raw);
  return entry;
}

/** Open means the experts or the customer still have something to do. */
export const isOpen = (entry: Entry): boolean =>
  entry.raw.status !== 'resolved' && entry.raw.status !== 'redirected';
