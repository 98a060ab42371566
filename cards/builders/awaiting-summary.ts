import type { Incident } from '../../bot/domain/incident.js';
import type { ViewCounts } from '../../bot/ports.js';
import { LIMITS, plainLine } from '../escape.js';
import { type CardColor, formatWaiting, plural, severityLabel, VIEW_BUTTONS } from '../format.js';
import type { CardMessage } from '../types.js';
import { listPayload } from '../verbs.js';
import { cardMessage, execute, incidentRow, md } from '../view.js';

// The "Defender Experts" summary: what awaits the customer right now, what the experts
// are on, and the few handoffs to look at first.

export interface AwaitingSummaryInput {
  readonly customerName: string;
  readonly counts: ViewCounts;
  /** The most urgent few awaiting incidents, in order; the card shows at most SUMMARY_TOP of them. */
  readonly awaiting: readonly Incident[];
  /** When each was handed over (else its last update): the rows say how long it has waited. */
  readonly waitingSince?: ReadonlyMap<string, string>;
  readonly now: Date;
  /** Seen from the provider's side: worded for the customer's action, no buttons (they act as the customer). */
  readonly readOnly?: boolean;
}

/** How many awaiting incidents the summary lists before pointing to the full list. */
export const SUMMARY_TOP = 5;

type Stat = { readonly value: string; readonly label: string; readonly color: CardColor };

/** Counts at a glance plus the top awaiting incidents, each with an "Open" button. */
export function awaitingSummaryCard(input: AwaitingSummaryInput): CardMessage {
  const { counts, now } = input;
  const customer = plainLine(input.customerName, LIMITS.name);
  const top = input.awaiting.slice(0, SUMMARY_TOP);
  const awaitingTotal = Math.max(counts.awaiting, top.length);
  const stats: Stat[] = [
    {
      value: String(awaitingTotal),
      label: 'Awaiting your action',
      color: awaitingTotal > 0 ? 'attention' : 'good',
    },
    { value: String(counts.investigating), label: 'Being investigated by Defender Experts', color: 'accent' },
    { value: String(counts.open), label: 'Open', color: 'default' },
  ];
  const headline =
    awaitingTotal === 0
      ? 'Nothing awaits your action. Defender Experts will hand incidents over here when they need you.'
      : `${plural(awaitingTotal, 'incident')} ${awaitingTotal === 1 ? 'awaits' : 'await'} your action${
          top.length > 0 ? ', most urgent first (highest severity, then longest waiting):' : '.'
        }`;
  const more = awaitingTotal - top.length;
  const moreText = more > 0 ? `…and ${more} more awaiting your action.` : '';
  const actions = input.readOnly
    ? []
    : [
        ...(awaitingTotal > 0 ? [execute(VIEW_BUTTONS.awaiting, listPayload('awaiting', null, 0))] : []),
        execute('Open incidents', listPayload('open', null, 0)),
        execute('Investigating', listPayload('investigating', null, 0)),
      ];
  const since = (i: Incident): string => input.waitingSince?.get(i.id) ?? i.lastUpdateDateTime;
  const handedOver = (i: Incident): string =>
    `- #${plainLine(i.id, 64)} [${severityLabel(i.severity)}] ${plainLine(i.displayName, LIMITS.title)} — ${formatWaiting(since(i), now)}`;

  return cardMessage(
    'awaiting-summary',
    {
      title: md('Defender Experts'),
      subtitle: md(customer),
      stats: stats.map((s) => ({ value: md(s.value), label: md(s.label), color: s.color })),
      headline: md(headline),
      rows: top.map((i) => {
        const row = incidentRow(i, now, since(i));
        return input.readOnly ? { ...row, hasOpen: false } : row;
      }),
      hasMore: more > 0,
      moreText: md(moreText),
      actions,
    },
    [
      `Defender Experts — ${customer}`,
      `Awaiting your action: ${awaitingTotal} · Being investigated by Defender Experts: ${counts.investigating} · Open: ${counts.open}`,
      headline,
      ...top.map(handedOver),
      moreText,
    ],
  );
}
