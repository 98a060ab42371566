import {
  FILTER_LABELS,
  GROUP_LABELS,
  groupThreads,
  type MessagesFilter,
  type ThreadGroup,
  type ThreadRow,
} from '../../bot/messages/history.js';
import { LIMITS, plainLine, safeHttpsUrl } from '../escape.js';
import { formatAge } from '../format.js';
import type { CardMessage } from '../types.js';
import { VERBS } from '../verbs.js';
import { cardMessage, type ExecuteView, execute, md } from '../view.js';

// The messages view: managed-response threads and Ask Defender Experts requests, grouped as the portal's
// Messages page groups them, each with its state, incident, last activity and whether the viewer has seen it.

export interface MessagesCardInput {
  readonly rows: readonly ThreadRow[];
  /** More threads matched than the card lists (the CSV has the same cap). */
  readonly more: boolean;
  readonly filter: MessagesFilter;
  /** The provider's view names each thread's customer; a customer's own view does not. */
  readonly acrossCustomers: boolean;
  readonly csvUrl: string | null;
  readonly allowHttp?: boolean;
  readonly now: Date;
}

/** Rows shown per group; the CSV holds them all. */
export const ROWS_PER_GROUP = 15;

const EMPTY: Readonly<Record<ThreadGroup, string>> = {
  managedResponse: 'No managed-response threads.',
  askExperts: 'No Ask Defender Experts requests.',
};

function meta(r: ThreadRow, acrossCustomers: boolean, now: Date): string {
  return [
    acrossCustomers ? plainLine(r.customerName, LIMITS.name) : '',
    r.state,
    r.group === 'askExperts' && r.incidentId !== null ? `Incident ${plainLine(r.incidentId, 64)}` : '',
    `last activity ${formatAge(r.lastActivityAt, now)}`,
    r.unread ? 'Unread' : '',
  ]
    .filter((x) => x !== '')
    .join(' · ');
}

/** The messages card; the fallback text lists every shown thread on one line. */
export function messagesCard(input: MessagesCardInput): CardMessage {
  const { rows, now } = input;
  const unread = rows.filter((r) => r.unread).length;
  const title = input.acrossCustomers ? 'Messages across your customers' : 'Messages';
  const subtitle = `${FILTER_LABELS[input.filter]} · ${rows.length} thread${rows.length === 1 ? '' : 's'} · ${unread} unread`;
  const groups = groupThreads(rows).map(({ group, rows: list }) => {
    const shown = list.slice(0, ROWS_PER_GROUP);
    return {
      group,
      heading: `${GROUP_LABELS[group]} (${list.length})`,
      empty: list.length === 0,
      shown,
      hidden: list.length - shown.length,
    };
  });
  const hidden = groups.reduce((n, g) => n + g.hidden, 0);
  const note = [
    hidden > 0 ? `${hidden} more in the CSV.` : '',
    input.more ? 'Only the 200 most recently active threads are listed.' : '',
  ]
    .filter((x) => x !== '')
    .join(' ');
  const csvUrl =
    input.csvUrl === null
      ? null
      : safeHttpsUrl(input.csvUrl) !== null ||
          (input.allowHttp === true &&
            /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(input.csvUrl))
        ? input.csvUrl
        : null;
  const filters: ExecuteView[] = (['7d', '30d', 'open'] as const)
    .filter((f) => f !== input.filter)
    .map((f) =>
      execute(f === 'open' ? 'Open only' : `Last ${f.replace('d', ' days')}`, {
        verb: VERBS.messagesShow,
        data: { filter: f },
      }),
    );
  const markRead =
    unread > 0
      ? [execute('Mark all as read', { verb: VERBS.messagesRead, data: { filter: input.filter } })]
      : [];
  return cardMessage(
    'messages',
    {
      title: md(title),
      subtitle: md(subtitle),
      groups: groups.map((g) => ({
        heading: md(g.heading),
        empty: g.empty,
        emptyText: md(EMPTY[g.group]),
        rows: g.shown.map((r) => ({
          title: md(plainLine(r.title, LIMITS.title)),
          weight: r.unread ? 'bolder' : 'default',
          meta: md(meta(r, input.acrossCustomers, now)),
        })),
      })),
      hasNote: note !== '',
      note: md(note),
      hasCsv: csvUrl !== null,
      csvUrl: csvUrl ?? '',
      actions: [...markRead, ...filters],
    },
    [
      `${title} — ${subtitle}`,
      ...groups.flatMap((g) => [
        `${g.heading}:${g.empty ? ` ${EMPTY[g.group]}` : ''}`,
        ...g.shown.map((r) => `- ${plainLine(r.title, 120)} — ${meta(r, input.acrossCustomers, now)}`),
      ]),
      note,
    ],
  );
}
