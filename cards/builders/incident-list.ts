import type { KnownSeverity } from '../../bot/domain/enums.js';
import { SEVERITY_LABELS } from '../../bot/domain/enums.js';
import type { IncidentView } from '../../bot/domain/incident.js';
import type { IncidentPage } from '../../bot/ports.js';
import { LIMITS, plainLine } from '../escape.js';
import { plural, VIEW_BUTTONS, VIEW_TITLES } from '../format.js';
import type { CardMessage } from '../types.js';
import { listPayload } from '../verbs.js';
import { cardMessage, type ExecuteView, execute, incidentRow, incidentRowFallback, md } from '../view.js';

// The incident list: one page of a view, with paging and view switches as Execute actions
// so the flow can replace the card in place.

export interface IncidentListInput {
  readonly customerName: string;
  readonly view: IncidentView;
  readonly severity: KnownSeverity | null;
  readonly page: IncidentPage;
  readonly offset: number;
  readonly pageSize: number;
  readonly now: Date;
  /** The awaiting view: listed most urgent first, which the card says. */
  readonly sortedByUrgency?: boolean;
  /** When each row's incident was handed over; its row then says how long it has waited. */
  readonly waitingSince?: ReadonlyMap<string, string>;
}

/** The order the awaiting views use, said on the card so nobody reads it as "newest first". */
export const URGENCY_ORDER = 'Most urgent first: highest severity, then longest waiting.';

/** The views offered as switch buttons, in the order a SOC analyst reads them. */
const SWITCH_VIEWS: readonly IncidentView[] = ['open', 'awaiting', 'investigating', 'resolved'];

const EMPTY_TEXT: Record<IncidentView, string> = {
  open: 'No open incidents. Nice and quiet.',
  awaiting: 'Nothing is waiting for you. Incidents Defender Experts hand over to you will be listed here.',
  investigating: 'Defender Experts are not investigating any of your incidents right now.',
  resolved: 'No resolved incidents yet.',
  all: 'No incidents yet.',
};

function emptyText(input: IncidentListInput): string {
  const { view, severity, page, offset } = input;
  if (page.total > 0 && offset > 0) {
    return `This page is past the end: there ${page.total === 1 ? 'is' : 'are'} ${plural(page.total, 'incident')} in this view.`;
  }
  const base = EMPTY_TEXT[view];
  return severity === null ? base : `${base} (Filter: ${SEVERITY_LABELS[severity]} severity.)`;
}

function pagingActions(input: IncidentListInput, shown: number): ExecuteView[] {
  const { view, severity, offset, page } = input;
  const size = Math.max(1, input.pageSize);
  const actions: ExecuteView[] = [];
  const next = offset + shown;
  if (shown > 0 && next < page.total) actions.push(execute('More', listPayload(view, severity, next)));
  if (offset > 0) {
    const lastStart = Math.max(0, Math.floor(Math.max(0, page.total - 1) / size) * size);
    const previous = Math.max(0, Math.min(offset - size, lastStart));
    actions.push(
      execute(
        shown === 0 ? 'First page' : 'Previous',
        listPayload(view, severity, shown === 0 ? 0 : previous),
      ),
    );
  }
  return actions;
}

function switchActions(view: IncidentView, severity: KnownSeverity | null): ExecuteView[] {
  const actions = SWITCH_VIEWS.filter((v) => v !== view).map((v) =>
    execute(VIEW_BUTTONS[v], listPayload(v, severity, 0)),
  );
  if (severity !== null) actions.push(execute('All severities', listPayload(view, null, 0)));
  return actions;
}

/** One page of incidents in a view, e.g. "Awaiting your action — 3 incidents". */
export function incidentListCard(input: IncidentListInput): CardMessage {
  const { view, severity, page, offset, now } = input;
  const items = page.items.slice(0, Math.max(1, input.pageSize));
  // A store whose count lags its rows must not produce "Showing 11–20 of 15"; an empty page past the end
  // (an old "More" button) keeps the store's count rather than inventing one from the offset.
  const total = items.length === 0 ? page.total : Math.max(page.total, offset + items.length);
  const title = `${VIEW_TITLES[view]} — ${plural(total, 'incident')}`;
  const customer = plainLine(input.customerName, LIMITS.name);
  const subtitle = severity === null ? customer : `${customer} · ${SEVERITY_LABELS[severity]} severity only`;
  const shown = items.length === 0 ? '' : `Showing ${offset + 1}–${offset + items.length} of ${total}`;
  const range = shown !== '' && input.sortedByUrgency === true ? `${shown} · ${URGENCY_ORDER}` : shown;
  const empty = emptyText(input);
  const actions = [
    ...pagingActions({ ...input, page: { ...page, total } }, items.length),
    ...switchActions(view, severity),
  ];

  return cardMessage(
    'incident-list',
    {
      title: md(title),
      subtitle: md(subtitle),
      isEmpty: items.length === 0,
      emptyText: md(empty),
      rows: items.map((incident) => incidentRow(incident, now, input.waitingSince?.get(incident.id))),
      hasRange: items.length > 0,
      range: md(range),
      actions,
    },
    [
      title,
      subtitle,
      ...(items.length === 0 ? [empty] : items.map((i) => `- ${incidentRowFallback(i, now)}`)),
      range,
    ],
  );
}
