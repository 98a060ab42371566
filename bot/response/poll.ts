import type { Customer } from '../domain/customer.js';
import type { Recorder } from './recorder.js';
import type { GuidedResponseDeps } from './service.js';

// The background half of guided response: follows runs to their end (and fails the ones a crash orphaned)
// and tries again to write audit comments the incident did not take the first time.

/**
 * A run whose start was never confirmed (a crash between recording and calling out) is failed after this.
 * Longer than any start can take (the executor's client gives up on a call after 30 s, a few tries at most);
 * a start still in flight on this instance is never failed, however long it takes.
 */
export const ORPHANED_RUN_MS = 10 * 60_000;
/** A run whose remote keeps answering a status we do not know is given up after this (logged meanwhile). */
export const UNKNOWN_STATUS_GIVE_UP_MS = 24 * 3_600_000;
/** How often a comment that did not reach the incident is tried again. */
export const MAX_COMMENT_ATTEMPTS = 5;
/** A first attempt younger than this may still be in flight on the instance that recorded the decision. */
export const COMMENT_SETTLE_MS = 30_000;

const age = (now: Date, at: string): number => now.getTime() - Date.parse(at);

/** One pass; returns how many runs ended and comments were retried. */
export async function pollResponses(
  deps: GuidedResponseDeps,
  recorder: Recorder,
  customers: ReadonlyMap<string, Customer>,
  /** Starts in flight on this instance ("customer:incident:action:version"). */
  starting: ReadonlySet<string> = new Set(),
): Promise<number> {
  const { responses, clock, logger } = deps;
  const { finish, comment, notify } = recorder;
  let work = 0;
  const executor = deps.executor;
  for (const record of await responses.listRunning(50)) {
    const customer = customers.get(record.customerId);
    const incident =
      customer === undefined ? null : await deps.store.getIncident(record.customerId, record.incidentId);
    const action = incident?.guidedResponse?.actions.find((a) => a.id === record.actionId);
    if (customer === undefined || action === undefined) {
      // A row the poller cannot act on would come back first on every pass and starve newer runs: end it.
      const reason =
        customer === undefined
          ? 'the customer is no longer in the customers file, so the bot stopped following this run; check the portal for its result'
          : 'the incident or action is no longer known to the bot, so it stopped following this run; check the portal for its result';
      if ((await recorder.abandon(record, reason, customer ?? null)) !== null) work += 1;
      continue;
    }
    if (starting.has(`${record.customerId}:${record.incidentId}:${record.actionId}:${record.version}`))
      continue;
    if (record.remoteId === null || executor === null) {
      if (age(clock.now(), record.at) < ORPHANED_RUN_MS) continue;
      await finish(
        customer,
        record.incidentId,
        action,
        record,
        'failed',
        'the run was interrupted before Microsoft Defender confirmed it; check the portal before running it again',
      );
      work += 1;
      continue;
    }
    try {
      const status = await executor.status(customer, record.remoteId);
      if (status.state === 'inProgress') {
        // A status we do not know (detail set): keep polling, say so in the log, give up after a day.
        if (status.detail === null) continue;
        logger.warn(
          { customer: customer.id, remoteId: record.remoteId, detail: status.detail },
          'run status unclear',
        );
        if (age(clock.now(), record.at) < UNKNOWN_STATUS_GIVE_UP_MS) continue;
        await finish(customer, record.incidentId, action, record, 'failed', status.detail);
        work += 1;
        continue;
      }
      await finish(customer, record.incidentId, action, record, status.state, status.detail);
      work += 1;
    } catch (error) {
      logger.warn({ err: error, customer: customer.id, remoteId: record.remoteId }, 'run status not read');
    }
  }
  for (const entry of await responses.listUncommented(MAX_COMMENT_ATTEMPTS, 50)) {
    const customer = customers.get(entry.customerId);
    if (deps.writer === null) continue;
    if (entry.commentAttempts === 0 && age(clock.now(), entry.at) < COMMENT_SETTLE_MS) continue;
    // Several instances poll the same audit table: one of them takes each attempt, so a comment is not doubled.
    const key = `response:comment:${entry.id}:${entry.commentAttempts}`;
    if (!(await deps.store.claimOnce(key, 24 * 3600))) continue;
    if (customer === undefined) {
      // No tenant to write to: count the attempt, so such lines leave the list instead of starving it.
      await responses.markCommented(entry.customerId, entry.id, false, clock.now().toISOString());
      work += 1;
      continue;
    }
    await comment(customer, entry.incidentId, entry.id, entry.text);
    await notify(customer.id, entry.incidentId);
    work += 1;
  }
  return work;
}
