import {
  type Checkin,
  type ChecklistItem,
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
