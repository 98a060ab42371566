import type { IncidentPage } from '../../bot/ports.js';
import { LIMITS, plainLine } from '../escape.js';
import { plural } from '../format.js';
import type { CardMessage } from '../types.js';
import { cardMessage, incidentRow, incidentRowFallback, md } from '../view.js';

// `find <text>`: the customer's incidents matching a search, drawn like the incident list (each row opens
// its incident). No paging buttons: a narrower search is the way to fewer results.

export interface IncidentSearchInput {
  readonly customerName: string;
  /** What was searched for, as typed (shown as text, never interpreted). */
  readonly text: string;
  readonly page: IncidentPage;
  readonly now: Date;
}

/** One page of search results, e.g. "Incidents matching "LAPTOP-7" — 2 incidents". */
export function incidentSearchCard(input: IncidentSearchInput): CardMessage {
  const { page, now } = input;
  const query = plainLine(input.text, 80);
  const title = `Incidents matching "${query}" — ${plural(page.total, 'incident')}`;
  const subtitle = plainLine(input.customerName, LIMITS.name);
  const shown = page.items.length;
  const range =
    shown === 0
      ? ''
      : `Showing 1–${shown} of ${page.total}${shown < page.total ? ' · Search for more words to narrow it down.' : ''}`;
  const empty = `No incident matches "${query}". Search by incident id, words of the title, or a user, device or file name.`;
  return cardMessage(
    'incident-list',
    {
      title: md(title),
      subtitle: md(subtitle),
      isEmpty: shown === 0,
      emptyText: md(empty),
      rows: page.items.map((incident) => incidentRow(incident, now)),
      hasRange: shown > 0,
      range: md(range),
      actions: [],
    },
    [
      title,
      subtitle,
      ...(shown === 0 ? [empty] : page.items.map((i) => `- ${incidentRowFallback(i, now)}`)),
      range,
    ],
  );
}
