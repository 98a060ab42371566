import { randomUUID } from 'node:crypto';
import type { Customer } from '../domain/customer.js';
import type { ResponseAction } from '../domain/incident.js';
import type { ActionRecord, AuditEvent, RecordedState } from './response-ports.js';
import type { GuidedResponseDeps } from './service.js';
import { type AuditPerson, auditComment } from './state.js';

// How a guided-response change is written: the record and its audit line in one store transaction (compare-
// and-set on the version), then the comment on the incident, then the refresh of every copy of the card.
// A run saves first and publishes after the remote call went out, so Graph never delays the action.

/** Who an audit line is by: a person's qualified id and name, or the system (with the run's requester). */
export interface Who {
  /** Qualified user id ("slack:U0ALICE") or "system". */
  readonly actor: string;
  readonly name: string;
}

/** A change to record: the new state and who it is credited to on the card. */
export interface Change {
  readonly state: RecordedState;
  readonly by: string;
  readonly note: string | null;
  readonly remoteId: string | null;
}

/** A saved change whose comment is still to be written. */
export interface Saved {
  readonly record: ActionRecord;
  readonly auditId: string;
  readonly text: string;
}

/** The writes the service and the poller share. */
export interface Recorder {
  /** Saves record + audit if the version is still `expected` (null: someone acted first); no comment yet. */
  save(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    change: Change,
    expected: number,
    event: AuditEvent,
    who: Who,
    via?: string | null,
  ): Promise<Saved | null>;
  /** Writes a saved change's comment, then refreshes every copy of the card. */
  publish(customer: Customer, incidentId: string, saved: Saved): Promise<void>;
  /** save + publish. */
  write(...args: Parameters<Recorder['save']>): Promise<ActionRecord | null>;
  /** Records a run's end (completed or failed) as the system, naming who requested the run. */
  finish(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    current: ActionRecord,
    state: 'completed' | 'failed',
    detail: string | null,
  ): Promise<ActionRecord | null>;
  /** Ends a run the poller can no longer follow (customer, incident or action unknown); null if it moved. */
  abandon(current: ActionRecord, reason: string, customer: Customer | null): Promise<ActionRecord | null>;
  /** Writes an audit line's comment; a failure leaves it for the poller to try again. */
  comment(customer: Customer, incidentId: string, auditId: string, text: string): Promise<void>;
  /** Tells every copy of the card (sync + alert posts); failures are logged, never thrown. */
  notify(customerId: string, incidentId: string): Promise<void>;
}

/** Builds the recorder over the service's ports. */
export function createRecorder(deps: GuidedResponseDeps): Recorder {
  const { responses, clock, logger } = deps;

  async function notify(customerId: string, incidentId: string): Promise<void> {
    try {
      await deps.changed?.(customerId, incidentId);
    } catch (error) {
      logger.warn({ err: error, customer: customerId, incidentId }, 'cards not refreshed after a decision');
    }
  }

  async function comment(
    customer: Customer,
    incidentId: string,
    auditId: string,
    text: string,
  ): Promise<void> {
    if (deps.writer === null) {
      await responses.markCommented(customer.id, auditId, false, clock.now().toISOString());
      return;
    }
    try {
      await deps.writer.addComment(customer, incidentId, text);
      await responses.markCommented(customer.id, auditId, true, clock.now().toISOString());
    } catch (error) {
      logger.warn(
        { err: error, customer: customer.id, incidentId },
        'guided-response comment not written yet',
      );
      await responses.markCommented(customer.id, auditId, false, clock.now().toISOString());
    }
  }

  /** Who requested the run a record is following: its last "run requested" audit line. */
  async function requester(current: ActionRecord): Promise<AuditPerson | null> {
    const lines = await responses.listAudit(current.customerId, current.incidentId);
    const asked = lines.filter((l) => l.actionId === current.actionId && l.event === 'runRequested').at(-1);
    return asked === undefined ? null : { name: asked.actorName, id: asked.actor };
  }

  async function store(
    customerId: string,
    incidentId: string,
    actionId: string,
    change: Change,
    expected: number,
    event: AuditEvent,
    who: Who,
    at: string,
    text: string,
  ): Promise<Saved | null> {
    const auditId = randomUUID();
    const record = await responses.record({
      record: { customerId, incidentId, actionId, at, ...change },
      expectedVersion: expected,
      audit: {
        id: auditId,
        customerId,
        incidentId,
        actionId,
        event,
        actor: who.actor,
        actorName: who.name,
        at,
        text,
      },
    });
    if (record === null) return null;
    logger.info(
      { customer: customerId, incidentId, action: actionId, event, by: who.actor },
      'guided response',
    );
    return { record, auditId, text };
  }

  async function save(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    change: Change,
    expected: number,
    event: AuditEvent,
    who: Who,
    via: string | null = null,
  ): Promise<Saved | null> {
    const at = clock.now().toISOString();
    const person = who.actor === 'system' ? null : { name: who.name, id: who.actor };
    const text = auditComment({ event, action, who: person, at, note: change.note, via });
    return store(customer.id, incidentId, action.id, change, expected, event, who, at, text);
  }

  async function publish(customer: Customer, incidentId: string, saved: Saved): Promise<void> {
    await comment(customer, incidentId, saved.auditId, saved.text);
    await notify(customer.id, incidentId);
  }

  async function write(...args: Parameters<Recorder['write']>): Promise<ActionRecord | null> {
    const saved = await save(...args);
    if (saved === null) return null;
    await publish(args[0], args[1], saved);
    return saved.record;
  }

  async function finish(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    current: ActionRecord,
    state: 'completed' | 'failed',
    detail: string | null,
  ): Promise<ActionRecord | null> {
    const event = state === 'completed' ? 'runCompleted' : 'runFailed';
    const at = clock.now().toISOString();
    const text = auditComment({ event, action, who: await requester(current), at, note: detail });
    const change = { state, by: current.by, note: detail, remoteId: current.remoteId };
    const who = { actor: 'system', name: current.by };
    const saved = await store(
      customer.id,
      incidentId,
      action.id,
      change,
      current.version,
      event,
      who,
      at,
      text,
    );
    if (saved === null) return null;
    await publish(customer, incidentId, saved);
    return saved.record;
  }

  async function abandon(
    current: ActionRecord,
    reason: string,
    customer: Customer | null,
  ): Promise<ActionRecord | null> {
    const at = clock.now().toISOString();
    const text = `[Guided response] action ${current.actionId}: run no longer followed at ${at} — ${reason}`;
    const change = { state: 'failed' as const, by: current.by, note: reason, remoteId: current.remoteId };
    const who = { actor: 'system', name: current.by };
    const { customerId, incidentId, actionId, version } = current;
    const saved = await store(customerId, incidentId, actionId, change, version, 'runFailed', who, at, text);
    if (saved === null) return null;
    if (customer !== null) await publish(customer, incidentId, saved);
    return saved.record;
  }

  return { save, publish, write, finish, abandon, comment, notify };
}
