import type { ConversationRef } from '../../bot/domain/conversation.js';
import {
  type Checkin,
  type ChecklistItem,
  type ContactRequest,
  type IncidentTimeline,
  ITEM_STATES,
  type ItemState,
} from '../../bot/sdm/ports.js';

// Row shapes of the SDM feature's tables and their mapping to the port's types: the same for the SQLite and
// the PostgreSQL store (adapters/sqlite/sdm-store.ts, adapters/postgres/sdm-store.ts), which write the same
// columns.

/** sdm_timelines. */
export type TimelineRow = {
  customer_id: string;
  incident_id: string;
  experts_started_at: string | null;
  handed_off_at: string | null;
  resolved_at: string | null;
  inferred: number;
};
export type ItemRow = {
  item_key: string;
  kind: string;
  title: string;
  detail: string;
  priority: number;
  experts_note: string;
  owner: string | null;
  due_date: string | null;
  state: string;
  note: string | null;
  updated_by: string | null;
  updated_at: string | null;
};
export type CheckinRow = {
  customer_id: string;
  id: string;
  number: number;
  started_at: string;
  started_by: string;
  snapshot: string;
};

/** A timeline row as the port type. */
export const toTimeline = (r: TimelineRow): IncidentTimeline => ({
  customerId: r.customer_id,
  incidentId: r.incident_id,
  expertsStartedAt: r.experts_started_at,
  handedOffAt: r.handed_off_at,
  resolvedAt: r.resolved_at,
  inferred: r.inferred === 1,
});

/** A checklist row as the port type; an unknown stored state reads as not started. */
export const toItem = (r: ItemRow): ChecklistItem => ({
  key: r.item_key,
  kind: r.kind === 'secureScore' ? 'secureScore' : 'readiness',
  title: r.title,
  detail: r.detail,
  priority: r.priority,
  expertsNote: r.experts_note,
  owner: r.owner,
  dueDate: r.due_date,
  state: (ITEM_STATES as readonly string[]).includes(r.state) ? (r.state as ItemState) : 'notStarted',
  note: r.note,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** A check-in row with its JSON snapshot. */
export const toCheckin = (r: CheckinRow): Checkin => ({
  id: r.id,
  customerId: r.customer_id,
  number: r.number,
  startedAt: r.started_at,
  startedBy: r.started_by,
  snapshot: JSON.parse(r.snapshot) as ChecklistItem[],
});

/** sdm_contact_requests (module steps 1 and 3). */
export type ContactRow = {
  customer_id: string;
  id: string;
  kind: string;
  severity: string | null;
  text: string;
  preferred_date: string | null;
  from_user: string;
  from_name: string;
  created_at: string;
  conversation: string | null;
  delivered_at: string | null;
};

/** A row as the port type. */
export const toContact = (r: ContactRow): ContactRequest => ({
  id: r.id,
  customerId: r.customer_id,
  kind: r.kind as ContactRequest['kind'],
  severity: r.severity as ContactRequest['severity'],
  text: r.text,
  preferredDate: r.preferred_date,
  fromUser: r.from_user,
  fromName: r.from_name,
  createdAt: r.created_at,
  conversation: r.conversation === null ? null : (JSON.parse(r.conversation) as ConversationRef),
  deliveredAt: r.delivered_at,
});
