import type { Kysely, Selectable } from 'kysely';
import {
  type Checkin,
  type ChecklistItem,
  type ContactRequest,
  type IncidentTimeline,
  ITEM_STATES,
} from '../../../bot/sdm/sdm-ports.js';
import type { CoreTables } from '../core/core-schema.js';
import type { StoreDb } from '../database.js';
import type { Dialect } from '../dialect.js';
import { oneOf } from '../feature-kit.js';
import type { SdmTables } from './sdm-schema.js';

// The SDM tables' rows as the port's types, through the dialect's codecs (text or timestamptz, text or jsonb).

export type SdmDb = StoreDb<CoreTables & SdmTables>;
export type Row<T extends keyof SdmTables> = Selectable<SdmTables[T]>;

/**
 * Takes the customer's row in sdm_customer_locks for the rest of the transaction: PostgreSQL holds the row
 * lock to the end (another instance waits, then reads what this one wrote); SQLite has one writer anyway.
 */
export async function lockCustomer(trx: Kysely<SdmTables>, customerId: string): Promise<void> {
  await trx
    .insertInto('sdm_customer_locks')
    .values({ customer_id: customerId })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet({ customer_id: customerId }))
    .execute();
}

export const toTimeline = (r: Row<'sdm_timelines'>): IncidentTimeline => ({
  ...{ customerId: r.customer_id, incidentId: r.incident_id, expertsStartedAt: r.experts_started_at },
  ...{ handedOffAt: r.handed_off_at, resolvedAt: r.resolved_at, inferred: Number(r.inferred) === 1 },
});

/** A checklist row as the port type; an unknown stored state reads as not started. */
export const toItem = (d: Dialect, r: Row<'sdm_checklist_items'>): ChecklistItem => ({
  ...{ key: r.item_key, kind: r.kind === 'secureScore' ? 'secureScore' : 'readiness', title: r.title },
  ...{ detail: r.detail, priority: r.priority, expertsNote: r.experts_note, owner: r.owner },
  dueDate: r.due_date,
  state: oneOf(ITEM_STATES, r.state, 'notStarted'),
  ...{ note: r.note, updatedBy: r.updated_by, updatedAt: d.readTimestamp(r.updated_at) },
});

export const toCheckin = (d: Dialect, r: Row<'sdm_checkins'>): Checkin => ({
  ...{ id: r.id, customerId: r.customer_id, number: r.number, startedAt: d.readTimestamp(r.started_at) },
  ...{ startedBy: r.started_by, snapshot: d.readJson(r.snapshot) },
});

export const toContact = (d: Dialect, r: Row<'sdm_contact_requests'>): ContactRequest => ({
  ...{ id: r.id, customerId: r.customer_id, kind: r.kind as ContactRequest['kind'], text: r.text },
  ...{ severity: r.severity as ContactRequest['severity'], preferredDate: r.preferred_date },
  ...{ fromUser: r.from_user, fromName: r.from_name, createdAt: d.readTimestamp(r.created_at) },
  conversation: r.conversation === null ? null : d.readJson(r.conversation),
  deliveredAt: d.readTimestamp(r.delivered_at),
});
