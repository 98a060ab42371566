import type { IncidentView } from '../../../bot/domain/incident.js';
import { assigneeKind, type Incident } from '../../../bot/domain/incident.js';
import { isUnrecognised, tolerantToString } from '../../../bot/domain/tolerant.js';
import { searchText } from '../../../bot/links/incident-search.js';
import { canonicalJson } from './canonical-json.js';
import { instantKey } from './instant.js';

// How an Incident maps to its row: the columns listIncidents filters and orders by, plus the whole
// incident as canonical JSON so every field (unknown enum text, guided response, comments) round-trips.

export interface IncidentRow {
  readonly customer_id: string;
  readonly id: string;
  readonly status: string;
  readonly status_known: 0 | 1;
  readonly severity: string;
  readonly severity_known: 0 | 1;
  readonly assignee_kind: string;
  readonly last_update_key: string;
  /** 0 high … 3 informational, 4 anything else: the awaiting list ranks by it without reading bodies. */
  readonly severity_rank: number;
  /** instantKey of when it last moved to awaitingAction (its lastUpdateDateTime then); '' when not awaiting. */
  readonly handoff_key: string;
  /** What `find` and the compose box search, lower case (searchText). */
  readonly search_text: string;
  readonly body: string;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2, informational: 3 };
const isAwaiting = (incident: Incident): boolean => incident.status === 'awaitingAction';

/**
 * Row for an incident; `*_known` keeps {unrecognised: "resolved"} apart from the real 'resolved'. An incident
 * still awaiting the customer keeps the handoff key of its stored row (`stillWaitingSince`).
 */
export function toRow(incident: Incident, stillWaitingSince: string | null = null): IncidentRow {
  const lastUpdate = instantKey(incident.lastUpdateDateTime);
  return {
    customer_id: incident.customerId,
    id: incident.id,
    status: tolerantToString(incident.status),
    status_known: isUnrecognised(incident.status) ? 0 : 1,
    severity: tolerantToString(incident.severity),
    severity_known: isUnrecognised(incident.severity) ? 0 : 1,
    assignee_kind: assigneeKind(incident.assignedTo),
    last_update_key: lastUpdate,
    severity_rank: isUnrecognised(incident.severity) ? 4 : (SEVERITY_RANK[incident.severity] ?? 4),
    handoff_key: isAwaiting(incident) ? (stillWaitingSince ?? lastUpdate) : '',
    search_text: searchText(incident),
    body: canonicalJson(incident),
  };
}

/** The body column back to an Incident; we wrote it from an Incident, so the shape is ours. */
export function fromBody(body: string): Incident {
  return JSON.parse(body) as Incident;
}

/**
 * Equal content, with lastUpdateDateTime compared as an instant: the same change seen again with its
 * timestamp written differently ("…:00.1Z" vs "…:00.100Z") is not a new change.
 */
export function sameContent(a: Incident, b: Incident): boolean {
  return (
    instantKey(a.lastUpdateDateTime) === instantKey(b.lastUpdateDateTime) &&
    canonicalJson({ ...a, lastUpdateDateTime: '' }) === canonicalJson({ ...b, lastUpdateDateTime: '' })
  );
}

const known = (status: string): string => `(status_known = 1 AND status = '${status}')`;
const closed = `(${known('resolved')} OR ${known('redirected')})`;

/** incidentInView (bot/domain/incident.ts) as SQL over the row's columns; the contract suite checks both agree. */
export const VIEW_SQL: Readonly<Record<IncidentView, string>> = {
  all: '1 = 1',
  open: `NOT ${closed}`,
  awaiting: known('awaitingAction'),
  investigating: `NOT ${closed} AND NOT ${known('awaitingAction')} AND assignee_kind = 'experts'`,
  resolved: known('resolved'),
};

/** Newest first; equal instants by id, longer first then by text, so Graph's numeric ids sort as numbers. */
export const ORDER_SQL = 'last_update_key DESC, length(id) DESC, id DESC';

/**
 * Most urgent first (what awaits the customer): highest severity, then waiting longest — not the last update,
 * which any touch moves to the top. An index leads with these columns, so a page reads only its own rows.
 */
export const URGENCY_ORDER_SQL = 'severity_rank, handoff_key, id';

/** A (non-empty) handoff key back to an ISO instant with milliseconds (cards show it as "waiting since"). */
export const keyToInstant = (key: string): string => `${key.slice(0, 23)}Z`;
