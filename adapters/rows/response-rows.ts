import type { ActionRecord, AuditEntry, AuditEvent, RecordedState } from '../../bot/response/ports.js';

// The guided-response tables' row shapes and their mapping to the port's types, shared by the SQLite and the
// PostgreSQL store (both write the same columns).

/** One row of response_actions. */
export interface RecordRow {
  customer_id: string;
  incident_id: string;
  action_id: string;
  state: string;
  by_name: string;
  at: string;
  note: string | null;
  remote_id: string | null;
  version: number;
}

/** One row of response_audit. */
export interface AuditRow {
  id: string;
  customer_id: string;
  incident_id: string;
  action_id: string;
  event: string;
  actor: string;
  actor_name: string;
  at: string;
  text: string;
  commented_at: string | null;
  comment_attempts: number;
}

/** A row as the port's ActionRecord. */
export const toRecord = (r: RecordRow): ActionRecord => ({
  customerId: r.customer_id,
  incidentId: r.incident_id,
  actionId: r.action_id,
  state: r.state as RecordedState,
  by: r.by_name,
  at: r.at,
  note: r.note,
  remoteId: r.remote_id,
  version: r.version,
});

/** A row as the port's AuditEntry. */
export const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  customerId: r.customer_id,
  incidentId: r.incident_id,
  actionId: r.action_id,
  event: r.event as AuditEvent,
  actor: r.actor,
  actorName: r.actor_name,
  at: r.at,
  text: r.text,
  commentedAt: r.commented_at,
  commentAttempts: r.comment_attempts,
});
