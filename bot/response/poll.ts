import type { Customer } from '../domain/customer.js';
import type { Recorder } from './recorder.js';
import type { GuidedResponseDeps } from './service.js';

// The background half of guided response: follows runs to their end (and fails the ones a crash orphaned)
// and tries again to write audit comments the incident did not take the first time.

/** A run whose start was never confirmed (a crash between recording and calling out) is failed after this. */
export const ORPHANED_RUN_MS = 2 * 60_000;
/** How often a comment that did not reach the incident is tried again. */
export const MAX_COMMENT_ATTEMPTS = 5;
/** A first attempt younger than this may still be in flight on the instance that recorded the decision. */
export const COMMENT_SETTLE_MS = 30_000;

/** One pass; returns how many runs ended and comments were retried. */
export async function pollResponses(
  deps: GuidedResponseDeps,
  recorder: Recorder,
  customers: ReadonlyMap<string, Customer>,
): Promise<number> {
  const { responses, clock, logger } = deps;
  const { finish, comment, notify } = recorder;
  let work = 0;
  const executor = deps.executor;
  for (const record of await responses.listRunning(50)) {
    const customer = customers.get(record.customerId);
    const incident = await deps.store.getIncident(record.customerId, record.incidentId);
    const action = incident?.guidedResponse?.actions.find((a) => a.id === record.actionId);
    if (customer === undefined || action === undefined) continue;
    if (record.remoteId === null || executor === null) {
      if (clock.now().getTime() - Date.parse(record.at) < ORPHANED_RUN_MS) continue;
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
      if (status.state === 'inProgress') continue;
      await finish(customer, record.incidentId, action, record, status.state, status.detail);
      work += 1;
    } catch (error) {
      logger.warn({ err: error, customer: customer.id, remoteId: record.remoteId }, 'run status not read');
    }
  }
  for (const entry of await responses.listUncommented(MAX_COMMENT_ATTEMPTS, 50)) {
    const customer = customers.get(entry.customerId);
    if (customer === undefined || deps.writer === null) continue;
    if (entry.commentAttempts === 0 && clock.now().getTime() - Date.parse(entry.at) < COMMENT_SETTLE_MS)
      continue;
    // Several instances poll the same audit table: one of them takes each attempt, so a comment is not doubled.
    const key = `response:comment:${entry.id}:${entry.commentAttempts}`;
    if (!(await deps.store.claimOnce(key, 24 * 3600))) continue;
    await comment(customer, entry.incidentId, entry.id, entry.text);
    await notify(customer.id, entry.incidentId);
    work += 1;
  }
  return work;
}
