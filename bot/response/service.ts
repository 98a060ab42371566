import type { ActionControls } from '../../cards/builders/incident-sections.js';
import type { Actor } from '../domain/actor.js';
import type { Customer } from '../domain/customer.js';
import type { Incident, ResponseAction } from '../domain/incident.js';
import { isUnrecognised } from '../domain/tolerant.js';
import type { Clock, Logger, Store } from '../ports.js';
import { issueConfirmation, useConfirmation } from './confirmation.js';
import { pollResponses } from './poll.js';
import { createRecorder } from './recorder.js';
import type {
  ActionRecord,
  IncidentWriter,
  RecordedState,
  ResponseDecision,
  ResponseExecutor,
  ResponseStore,
} from './response-ports.js';
import { ResponseExecutionError } from './response-ports.js';
import { type Permission, permit } from './rules.js';
import { personName, runVia, withRecords } from './state.js';

// Guided response's work, shared by the chat flow and the status poller: who may do what on which action,
// recording a decision (compare-and-set, then the audit comment), starting a run, and following it to the
// end. Platform-free: the executor, writer and stores are ports.

/** What the guided-response flow and poller need; the composition root builds it. */
export interface GuidedResponseDeps {
  readonly responses: ResponseStore;
  readonly store: Store;
  /** Null: nothing can be run from chat (no executor configured). */
  readonly executor: ResponseExecutor | null;
  /** Null: decisions are kept and shown but not written to the incident (logged once per decision). */
  readonly writer: IncidentWriter | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Called after every change, so every copy of the incident's card catches up (sync + alert posts); the
   * clicker's card is drawn after it settles, so it already shows the audit comment. Failures are logged.
   */
  readonly changed?: (customerId: string, incidentId: string) => Promise<void> | void;
}

/** The result of a click, for the flow to answer with. */
export type Outcome =
  | { readonly kind: 'done'; readonly record: ActionRecord }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'stale' }
  | { readonly kind: 'failed'; readonly reason: string; readonly record: ActionRecord | null };

export { CONFIRMATION_TTL_SECONDS } from './confirmation.js';
export { MAX_COMMENT_ATTEMPTS, ORPHANED_RUN_MS } from './poll.js';

const STATES: Record<Exclude<ResponseDecision, 'run'>, RecordedState> = {
  complete: 'completed',
  skip: 'skipped',
};

export interface ResponseService {
  readonly deps: GuidedResponseDeps;
  /** The incident with the bot's records over its actions, plus those records. */
  present(incident: Incident): Promise<{ incident: Incident; records: readonly ActionRecord[] }>;
  /** The permission for one decision on one (presented) action. */
  permission(
    actor: Actor,
    customer: Customer,
    action: ResponseAction,
    decision: ResponseDecision,
  ): Permission;
  /** The buttons each action shows this viewer. */
  controls(
    actor: Actor,
    customer: Customer,
    incident: Incident,
    records: readonly ActionRecord[],
  ): ReadonlyMap<string, ActionControls>;
  /** "I've completed this action" / "Skip" (with a reason). */
  decide(args: DecideArgs & { readonly decision: 'complete' | 'skip' }): Promise<Outcome>;
  /**
   * A one-time confirmation token for a run, drawn into the confirmation card only: `run` requires it, so a
   * client that can choose the verb still cannot skip the confirmation. Bound to the person, the action and
   * its version; valid for CONFIRMATION_TTL_SECONDS, used once.
   */
  issueConfirmation(
    actor: Actor,
    customer: Customer,
    incidentId: string,
    actionId: string,
    version: number,
  ): Promise<string>;
  /** Confirmed run: recorded as in progress, started through the executor, then commented and refreshed. */
  run(args: DecideArgs & { readonly confirmation: string | null }): Promise<Outcome>;
  /** Follows runs to completion and retries comments that did not reach the incident; returns work done. */
  pollOnce(customers: ReadonlyMap<string, Customer>): Promise<number>;
}

export interface DecideArgs {
  readonly actor: Actor;
  readonly customer: Customer;
  readonly incident: Incident;
  readonly actionId: string;
  /** The record version the card showed. */
  readonly version: number;
  readonly note?: string | null;
}

/** Builds the service over its ports. */
export function createResponseService(deps: GuidedResponseDeps): ResponseService {
  const { responses, logger } = deps;
  const recorder = createRecorder(deps);
  const { write, finish } = recorder;
  /** Runs whose start is in flight on this instance: the orphan sweep leaves them alone, however slow. */
  const starting = new Set<string>();

  const runnable = (action: ResponseAction): boolean =>
    deps.executor !== null &&
    !isUnrecognised(action.kind) &&
    deps.executor.kinds.has(action.kind) &&
    deps.executor.canRun(action);

  function permission(actor: Actor, customer: Customer, action: ResponseAction, decision: ResponseDecision) {
    return permit(
      {
        roles: actor.roles,
        ownCustomer: actor.customerId === customer.id,
        customerName: customer.name,
        expertsAccess: customer.expertsAccess,
        executionEnabled: customer.responseExecution === true,
        runnable: runnable(action),
        action,
      },
      decision,
    );
  }

  async function present(incident: Incident) {
    const records = await responses.getRecords(incident.customerId, incident.id);
    return { incident: withRecords(incident, records), records };
  }

  type Ready = { readonly action: ResponseAction; readonly version: number } | { readonly error: Outcome };

  async function prepare(args: DecideArgs, decision: ResponseDecision): Promise<Ready> {
    const { incident, records } = await present(args.incident);
    const action = incident.guidedResponse?.actions.find((a) => a.id === args.actionId) ?? null;
    const version = records.find((r) => r.actionId === args.actionId)?.version ?? 0;
    if (action === null)
      return { error: { kind: 'refused', reason: 'that action is not on this incident.' } };
    const allowed = permission(args.actor, args.customer, action, decision);
    // Who you are comes first; then a click made on an older card is told what changed.
    if (!allowed.allowed && allowed.code === 'role')
      return { error: { kind: 'refused', reason: allowed.reason } };
    if (version !== args.version) return { error: { kind: 'stale' } };
    if (!allowed.allowed) return { error: { kind: 'refused', reason: allowed.reason } };
    return { action, version };
  }

  return {
    deps,
    present,
    permission,
    controls(actor, customer, incident, records) {
      const map = new Map<string, ActionControls>();
      for (const action of incident.guidedResponse?.actions ?? []) {
        const version = records.find((r) => r.actionId === action.id)?.version ?? 0;
        const done = permission(actor, customer, action, 'complete');
        const skip = permission(actor, customer, action, 'skip');
        const run = permission(actor, customer, action, 'run');
        const firstDenial = [done, skip, run].find((p) => !p.allowed);
        const anyAllowed = done.allowed || skip.allowed || run.allowed;
        // Why there are no buttons; or, beside Done/Skip, why there is no Run (execution off for the customer).
        const noRun = !run.allowed && run.code === 'execution_off' && anyAllowed ? run.reason : null;
        const lock =
          anyAllowed || firstDenial === undefined || firstDenial.allowed || firstDenial.code === 'state'
            ? noRun
            : firstDenial.reason;
        map.set(action.id, {
          incidentId: incident.id,
          version,
          done: done.allowed,
          skip: skip.allowed,
          run: run.allowed,
          lock,
        });
      }
      return map;
    },

    async decide(args) {
      const ready = await prepare(args, args.decision);
      if ('error' in ready) return ready.error;
      const note = args.note?.trim() ? args.note.trim() : null;
      const name = personName(args.actor.principal);
      const record = await write(
        args.customer,
        args.incident.id,
        ready.action,
        { state: STATES[args.decision], by: name, note, remoteId: null },
        ready.version,
        args.decision === 'complete' ? 'completed' : 'skipped',
        { actor: args.actor.qualifiedId, name },
      );
      return record === null ? { kind: 'stale' } : { kind: 'done', record };
    },

    issueConfirmation: (actor, customer, incidentId, actionId, version) =>
      issueConfirmation(deps.store, { actor, customerId: customer.id, incidentId, actionId, version }),

    async run(args) {
      const ready = await prepare(args, 'run');
      if ('error' in ready) return ready.error;
      const executor = deps.executor;
      if (executor === null) return { kind: 'refused', reason: 'Nothing can be run from chat here.' };
      const { customer, incident } = args;
      const action = ready.action;
      // Only the confirmation card carries a token; it is used once and must have been issued for this
      // person, action and version (a crafted or replayed confirm is refused and changes nothing).
      if (args.confirmation === null)
        return { kind: 'refused', reason: 'confirm the run on its confirmation card (click Run first).' };
      const scope = {
        actor: args.actor,
        customerId: customer.id,
        incidentId: incident.id,
        actionId: action.id,
      };
      const used = await useConfirmation(deps.store, args.confirmation, { ...scope, version: ready.version });
      if (used === 'used') return { kind: 'stale' };
      if (used === 'invalid')
        return {
          kind: 'refused',
          reason: 'that confirmation is not valid any more; click Run again to confirm.',
        };

      const person = personName(args.actor.principal);
      const who = { actor: args.actor.qualifiedId, name: person };
      // The in-progress record is the durable dedup key: a second click or a retry finds it and stops here.
      const saved = await recorder.save(
        customer,
        incident.id,
        action,
        { state: 'inProgress', by: person, note: null, remoteId: null },
        ready.version,
        'runRequested',
        who,
        runVia(customer.expertsAccess),
      );
      if (saved === null) return { kind: 'stale' };
      const started = saved.record;
      const key = `response:run:${customer.id}:${incident.id}:${action.id}:${started.version}`;
      if (!(await deps.store.claimOnce(key, 30 * 86_400))) return { kind: 'stale' };
      const flight = `${customer.id}:${incident.id}:${action.id}:${started.version}`;
      starting.add(flight);
      // The remote call goes out first; the Graph comment and the card refresh follow, so neither delays it.
      let result: Awaited<ReturnType<typeof executor.start>>;
      try {
        result = await executor.start({
          customer,
          incidentId: incident.id,
          action,
          comment: `Defender Experts bot: incident ${incident.id}, requested by ${person} (${args.actor.qualifiedId})`,
        });
      } catch (error) {
        starting.delete(flight);
        const reason =
          error instanceof ResponseExecutionError ? error.message : 'the remote service could not be reached';
        logger.warn(
          { err: error, customer: customer.id, incidentId: incident.id, action: action.id },
          'run failed',
        );
        await recorder.publish(customer, incident.id, saved);
        const failed = await finish(customer, incident.id, action, started, 'failed', reason);
        return { kind: 'failed', reason, record: failed };
      }
      const attached = await responses
        .setRemoteId(customer.id, incident.id, action.id, result.remoteId, started.version)
        .finally(() => starting.delete(flight));
      await recorder.publish(customer, incident.id, saved);
      if (attached === null) {
        // The record moved on while the start was on its way (e.g. failed by an operator or a sweep).
        logger.warn(
          { customer: customer.id, incidentId: incident.id, action: action.id, remoteId: result.remoteId },
          'run started after its record moved on',
        );
        const reason = `the action reached the remote service (${result.remoteId}) after its record had moved on; check the portal before running it again.`;
        return {
          kind: 'failed',
          reason,
          record: await responses.getRecord(customer.id, incident.id, action.id),
        };
      }
      if (result.status.state !== 'inProgress') {
        const done = await finish(
          customer,
          incident.id,
          action,
          attached,
          result.status.state,
          result.status.detail,
        );
        return { kind: 'done', record: done ?? attached };
      }
      return { kind: 'done', record: attached };
    },

    pollOnce: (customers) => pollResponses(deps, recorder, customers, starting),
  };
}
