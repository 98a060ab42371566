import { randomUUID } from 'node:crypto';
import type { Customer } from '../domain/customer.js';
import type { ResponseAction } from '../domain/incident.js';
import type { ActionRecord, AuditEvent, RecordedState } from './ports.js';
import type { GuidedResponseDeps } from './service.js';
import { auditComment } from './state.js';

// How a guided-response change is written: the record and its audit line in one store transaction (compare-
// and-set on the version), then the comment on the incident, then the refresh of every copy of the card.

/** The writes the service and the poller share. */
export interface Recorder {
  /** Writes record + audit if the version is still `expected`; null when someone acted first. */
  write(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    change: { state: RecordedState; by: string; note: string | null; remoteId: string | null },
    expected: number,
    event: AuditEvent,
    who: { actor: string; name: string },
  ): Promise<ActionRecord | null>;
  /** Records a run's end (completed or failed) as the system, with the remote's words as the note. */
  finish(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    current: ActionRecord,
    state: 'completed' | 'failed',
    detail: string | null,
  ): Promise<ActionRecord | null>;
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

  /** One write: the record (if still at `expected`) and its audit line; then the comment and the notify. */
  async function write(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    change: { state: RecordedState; by: string; note: string | null; remoteId: string | null },
    expected: number,
    event: AuditEvent,
    who: { actor: string; name: string },
  ): Promise<ActionRecord | null> {
    const at = clock.now().toISOString();
    const text = auditComment({ event, action, who: who.name, at, note: change.note });
    const auditId = randomUUID();
    const record = await responses.record({
      record: { customerId: customer.id, incidentId, actionId: action.id, at, ...change },
      expectedVersion: expected,
      audit: {
        id: auditId,
        customerId: customer.id,
        incidentId,
        actionId: action.id,
        event,
        actor: who.actor,
        actorName: who.name,
        at,
        text,
      },
    });
    if (record === null) return null;
    logger.info(
      { customer: customer.id, incidentId, action: action.id, event, by: who.actor },
      'guided response',
    );
    await comment(customer, incidentId, auditId, text);
    await notify(customer.id, incidentId);
    return record;
  }

  /** Records a run's end (completed or failed) as the system, with the remote's words as the note. */
  async function finish(
    customer: Customer,
    incidentId: string,
    action: ResponseAction,
    current: ActionRecord,
    state: 'completed' | 'failed',
    detail: string | null,
  ): Promise<ActionRecord | null> {
    return write(
      customer,
      incidentId,
      action,
      { state, by: current.by, note: detail, remoteId: current.remoteId },
      current.version,
      state === 'completed' ? 'runCompleted' : 'runFailed',
      { actor: 'system', name: current.by },
    );
  }

  return { write, finish, comment, notify };
}
