import type { Customer } from '../../bot/domain/customer.js';
import {
  DETERMINATIONS,
  type KnownClassification,
  type KnownDetermination,
  STATUS_LABELS,
} from '../../bot/domain/enums.js';
import type { Incident, ResponseAction } from '../../bot/domain/incident.js';
import { tolerantLabel, tolerantToString } from '../../bot/domain/tolerant.js';
import { BotError } from '../../bot/errors.js';
import type { ChangeBatch, Clock, IncidentSource, SimulationControl } from '../../bot/ports.js';
import { stepCustomer } from './autopilot.js';
import type { GraphAction } from './graph-json.js';
import { EXPERTS } from './lifecycle.js';
import {
  moveComment,
  moveConclude,
  moveCustomerAction,
  moveHandOff,
  moveResolve,
  moveStart,
} from './moves.js';
import { pickScenario } from './scenarios.js';
import { DEFAULT_INITIAL_INCIDENTS, seedCustomer } from './seed.js';
import { addIncident, type CustomerState, createWorld, type Entry, isOpen, stamp } from './world.js';

// The embedded default incident source: plays the Defender Experts lifecycle for the demo
// customers with no Microsoft tenant, and lets the dev console act as the experts.

export interface SimulatedSourceOptions {
  readonly customers: readonly Customer[];
  readonly seed: number;
  readonly clock: Clock;
  /** Incidents each customer starts with, across every lifecycle stage (default 14; coverage needs ≥ 7). */
  readonly initialIncidentsPerCustomer?: number;
  /** How many fresh worlds this DATA_DIR has seen before (anchored.ts); moves the id ranges up. */
  readonly generation?: number;
}

/** What a customer's SOC records for one guided-response action. */
export type ActionOutcome = 'completed' | 'skipped' | 'failed';

/**
 * The simulation is both the incident source and its own remote control. `start` runs `step` on an
 * unref'd timer; while paused the timer does nothing, but an explicit `step()` (tests, the console's
 * "advance" button) always plays one step, so a paused demo can still be moved on by hand.
 */
export interface SimulatedSource extends IncidentSource, SimulationControl {
  readonly kind: 'simulated';
  start(intervalMs: number): void;
  stop(): void;
  /** The customer records an action's outcome (the write path the guided-response flow will need). */
  recordActionOutcome(
    customerId: string,
    incidentId: string,
    actionId: string,
    outcome: ActionOutcome,
    by: string,
    note?: string | null,
  ): Promise<Incident>;
}

const MAX_TEXT = 4000;
const CLASSIFIED: readonly KnownClassification[] = [
  'truePositive',
  'falsePositive',
  'informationalExpectedActivity',
];
const OUTCOMES: readonly ActionOutcome[] = ['completed', 'skipped', 'failed'];

const bad = (message: string): BotError => new BotError('bad_input', message);

function text(value: string, what: string, max = MAX_TEXT): string {
  const t = typeof value === 'string' ? value.trim() : '';
  if (t === '') throw bad(`${what} is empty`);
  if (t.length > max) throw bad(`${what} is longer than ${max} characters`);
  return t;
}

const statusLabel = (e: Entry): string => tolerantLabel(e.incident.status, STATUS_LABELS);

function toGraphActions(actions: readonly ResponseAction[]): GraphAction[] {
  const seen = new Set<string>();
  return actions.map((a) => {
    const id = a.id.trim();
    if (id === '' || seen.has(id)) throw bad(`action ids must be present and unique (got "${a.id}")`);
    seen.add(id);
    return {
      id,
      kind: tolerantToString(a.kind),
      target: { ...a.target },
      state: tolerantToString(a.state),
      by: a.by,
      at: a.at,
      note: a.note,
    };
  });
}

/** Builds the simulation and plays each customer's back-dated history up to the clock's now. */
export function createSimulatedSource(options: SimulatedSourceOptions): SimulatedSource {
  const { clock } = options;
  const count = options.initialIncidentsPerCustomer ?? DEFAULT_INITIAL_INCIDENTS;
  if (!Number.isInteger(count) || count < 0 || count > 1000) {
    throw bad('initialIncidentsPerCustomer must be an integer from 0 to 1000');
  }
  const nowMs = clock.now().getTime();
  const world = createWorld(options.customers, options.seed, nowMs, options.generation ?? 0);
  for (const cs of world.customers.values()) seedCustomer(world, cs, count, nowMs);

  let paused = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  const at = (): string => stamp(world, clock);

  const customerState = (customerId: string): CustomerState => {
    const cs = world.customers.get(customerId);
    if (!cs) throw new BotError('not_found', `customer "${customerId}" is not part of the simulation`);
    return cs;
  };
  // Another customer's id gets exactly the answer an unknown id gets, so ids cannot be probed.
  const entryOf = (customerId: string, incidentId: string): { cs: CustomerState; e: Entry } => {
    const cs = customerState(customerId);
    const e = cs.entries.get(String(incidentId).trim());
    if (!e) throw new BotError('not_found', `incident ${incidentId} not found`);
    return { cs, e };
  };
  const openEntry = (customerId: string, incidentId: string) => {
    const found = entryOf(customerId, incidentId);
    if (!isOpen(found.e))
      throw bad(`incident ${found.e.raw.id} is ${statusLabel(found.e)}; it can no longer change`);
    return found;
  };

  const runStep = (): void => {
    for (const cs of world.customers.values()) stepCustomer(world, cs, clock);
  };
  // Cursor: "sim:<run epoch>:<global change number>". A cursor from another run (or another source) is
  // treated like null, so a restarted demo re-reads everything instead of waiting for old numbers.
  const afterSeq = (cursor: string | null): number => {
    const m = /^sim:([^:]+):(\d+)$/.exec(cursor ?? '');
    if (!m || m[1] !== world.epoch) return 0;
    const seq = Number(m[2]);
    return seq <= world.seq ? seq : 0;
  };

  return {
    kind: 'simulated',

    async readChanges(customer: Customer, cursor: string | null): Promise<ChangeBatch> {
      const cs = customerState(customer.id);
      const after = afterSeq(cursor);
      const incidents = [...cs.entries.values()]
        .filter((e) => e.seq > after)
        .sort((a, b) => a.seq - b.seq)
        .map((e) => e.incident);
      return {
        incidents,
        cursor: `sim:${world.epoch}:${world.seq}`,
        ...(cursor !== null && after === 0 && !cursor.endsWith(':0') ? { baseline: true } : {}),
      };
    },

    async getIncident(customer: Customer, incidentId: string): Promise<Incident | null> {
      return world.customers.get(customer.id)?.entries.get(String(incidentId).trim())?.incident ?? null;
    },

    async ping(): Promise<void> {},

    async step(): Promise<void> {
      runStep();
    },

    setPaused(value: boolean): void {
      paused = value;
    },

    isPaused: () => paused,

    start(intervalMs: number): void {
      if (!Number.isFinite(intervalMs) || intervalMs < 10)
        throw bad('the step interval must be at least 10 ms');
      this.stop();
      // A throw here is a bug in the simulation: let it surface instead of logging and carrying on.
      timer = setInterval(() => {
        if (!paused) runStep();
      }, intervalMs);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    async createIncident(customerId: string): Promise<Incident> {
      const cs = customerState(customerId);
      return addIncident(world, cs, pickScenario(cs.rng), at()).incident;
    },

    async startInvestigation(customerId: string, incidentId: string, expert: string): Promise<Incident> {
      const { e } = entryOf(customerId, incidentId);
      const by = text(expert, 'the expert name', 200);
      if (e.raw.status !== 'active') {
        throw bad(`incident ${e.raw.id} is ${statusLabel(e)}; only an Active incident can be picked up`);
      }
      return moveStart(world, e, by, at());
    },

    async classify(
      customerId: string,
      incidentId: string,
      classification: KnownClassification,
      determination: KnownDetermination,
      summary: string,
    ): Promise<Incident> {
      const { e } = openEntry(customerId, incidentId);
      if (!CLASSIFIED.includes(classification)) {
        throw bad(`classification must be one of ${CLASSIFIED.join(', ')}`);
      }
      if (determination === 'unknown' || !(DETERMINATIONS as readonly string[]).includes(determination)) {
        throw bad(`determination must be one of ${DETERMINATIONS.filter((d) => d !== 'unknown').join(', ')}`);
      }
      const s = text(summary, 'the summary');
      if (e.raw.status !== 'inProgress') {
        throw bad(`incident ${e.raw.id} is ${statusLabel(e)}; start the investigation before classifying it`);
      }
      return moveConclude(world, e, { classification, determination, summary: s }, EXPERTS, at());
    },

    async handOff(
      customerId: string,
      incidentId: string,
      actions?: readonly ResponseAction[],
    ): Promise<Incident> {
      const { e } = openEntry(customerId, incidentId);
      if (e.raw.status !== 'inProgress' || e.raw.classification !== 'truePositive') {
        throw bad(
          `incident ${e.raw.id} is ${statusLabel(e)}; only an In progress incident classified as a true positive can be handed off`,
        );
      }
      const graphActions = actions === undefined ? null : toGraphActions(actions);
      return moveHandOff(world, e, graphActions, at());
    },

    async resolve(customerId: string, incidentId: string, comment: string): Promise<Incident> {
      const { cs, e } = openEntry(customerId, incidentId);
      const c = text(comment, 'the resolving comment');
      return moveResolve(world, e, EXPERTS, c, at(), cs.customer.expertsAccess === 'operator');
    },

    async comment(customerId: string, incidentId: string, author: string, body: string): Promise<Incident> {
      const { e } = entryOf(customerId, incidentId);
      const by = text(author, 'the author', 200);
      return moveComment(world, e, by, text(body, 'the comment'), at());
    },

    async recordActionOutcome(customerId, incidentId, actionId, outcome, by, note = null): Promise<Incident> {
      const { e } = openEntry(customerId, incidentId);
      if (!OUTCOMES.includes(outcome)) throw bad(`outcome must be one of ${OUTCOMES.join(', ')}`);
      const who = text(by, 'who recorded it', 200);
      const action = e.raw.guidedResponse?.actions.find((a) => a.id === actionId);
      if (!action) throw new BotError('not_found', `action ${actionId} not found on incident ${e.raw.id}`);
      if (action.state !== 'pending' && action.state !== 'inProgress') {
        throw bad(`action ${actionId} is already ${action.state}`);
      }
      const n = note === null || note === undefined || note.trim() === '' ? null : text(note, 'the note');
      return moveCustomerAction(world, e, action.id, { state: outcome, by: who, note: n }, at());
    },
  };
}
