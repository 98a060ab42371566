import type { Incident } from '../domain/incident.js';
import type { IncidentPage, Store } from '../ports.js';

// Free-text search over one customer's incidents, for the Teams compose box and `find <text>`: an id, words
// of the title, or an entity the incident names (a user, a device, a file; an IP address is found in the
// description, where the experts name it, since Graph's alert assets keep no addresses). Every term must
// match somewhere; matching is case-insensitive and plain (no patterns), so nothing typed is interpreted.

/** The longest search text read; longer text is cut, not refused (the compose box sends as people type). */
export const SEARCH_TEXT_MAX = 200;
const MAX_TERMS = 8;

/** The search terms of a text: lower-case words, a leading "#" dropped, at most a few. */
export function searchTerms(text: string): readonly string[] {
  return text
    .slice(0, SEARCH_TEXT_MAX)
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^#/, '').replace(/^["'(<]+|["')>,;.!?]+$/g, ''))
    .filter((w) => w !== '')
    .slice(0, MAX_TERMS);
}

/** What a person may recognise an incident by: title, description, the entities alerts and actions name. */
function haystack(incident: Incident): string[] {
  const targets = (incident.guidedResponse?.actions ?? []).flatMap((a) => [a.target.name, a.target.id]);
  return [
    incident.displayName,
    incident.description ?? '',
    ...incident.alerts.flatMap((a) => [a.title, ...a.assets]),
    ...targets,
  ].map((s) => s.toLowerCase());
}

/**
 * The haystack as one lower-case text, kept on the stored row so the store can search without reading bodies.
 * Lines are joined by a newline, which no term holds (terms are split on white space), so no match spans two.
 */
export const searchText = (incident: Incident): string => haystack(incident).join('\n');

/** Whether every term matches: an id term matches the id exactly, any term matches inside the text. */
export function incidentMatches(incident: Incident, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const text = haystack(incident);
  return terms.every((t) => incident.id.toLowerCase() === t || text.some((s) => s.includes(t)));
}

export interface SearchQuery {
  readonly customerId: string;
  readonly text: string;
  readonly offset: number;
  readonly limit: number;
}

/**
 * One page of the customer's incidents matching the text, newest first (an exact id first of all). Reads
 * the store only: a search never asks the incident source, whatever is typed. The store matches in SQL
 * exactly as incidentMatches does, over every incident of the customer.
 */
export async function searchIncidents(store: Store, query: SearchQuery): Promise<IncidentPage> {
  return store.listIncidents({
    customerId: query.customerId,
    view: 'all',
    severity: null,
    terms: searchTerms(query.text),
    limit: Math.max(0, Math.floor(query.limit)),
    offset: Math.max(0, Math.floor(query.offset)),
  });
}
