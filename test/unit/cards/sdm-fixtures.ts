import { progressOf } from '../../../bot/sdm/checklist.js';
import type { ReportFigures } from '../../../bot/sdm/report-figures.js';
import type { Checkin, ChecklistItem, ContactKind } from '../../../bot/sdm/sdm-ports.js';
import { checkinCard, checkinItemCard } from '../../../cards/builders/checkin.js';
import { type MessagesCardInput, messagesCard } from '../../../cards/builders/messages.js';
import { reportCard } from '../../../cards/builders/report.js';
import { reportPostConfirmCard } from '../../../cards/builders/report-post.js';
import { sdmCard, sdmFormCard } from '../../../cards/builders/sdm-contact.js';
import type { CardMessage } from '../../../cards/types.js';

// The SDM feature's cards (report, check-in, SDM contact) for the shared schema, fallback, verb, injection
// and snapshot checks; `hostile` goes wherever tenant or user text can reach a card.

/** Named SDM cards covering every builder branch. */
export function sdmCards(hostile: string, now: Date): [string, CardMessage][] {
  const figures = (name: string, many: boolean): ReportFigures => ({
    customerId: 'contoso',
    customerName: name,
    periodLabel: 'October 2026',
    periodKey: '2026-10',
    from: '2026-10-01T00:00:00.000Z',
    to: '2026-11-01T00:00:00.000Z',
    generatedAt: now.toISOString(),
    investigated: many ? 42 : 0,
    resolvedByExperts: many ? 30 : 0,
    resolvedWithYou: many ? 9 : 0,
    stillOpen: many ? 3 : 0,
    percentResolved: many ? 93 : null,
    avgHoursToResolve: many ? 61.5 : null,
    avgExpertsHours: many ? 41.5 : null,
    avgCustomerHours: many ? 20 : null,
    timesMeasured: many ? 39 : 0,
    avgHoursAfterHandoff: many ? 86.67 : null,
    handoffsMeasured: many ? 9 : 0,
    bySeverity: [
      { label: 'High', count: many ? 10 : 0 },
      { label: 'Medium', count: many ? 20 : 0 },
      { label: 'Low', count: many ? 10 : 0 },
      { label: 'Informational', count: many ? 2 : 0 },
    ],
    byCategory: many
      ? [
          { label: hostile, count: 7 },
          { label: 'Execution', count: 3 },
        ]
      : [],
    bySource: many ? [{ label: 'Defender for Endpoint', count: 30 }] : [],
    topAssets: many
      ? [
          { label: hostile, count: 5 },
          { label: 'WS-FIN-042', count: 4 },
        ]
      : [],
    rows: [],
  });
  const links = {
    chart: 'https://bot.example.com/reports/contoso/2026-10-abc/chart.png?exp=1800000000&sig=x',
    csv: 'https://bot.example.com/reports/contoso/2026-10-abc/report.csv?exp=1800000000&sig=x',
  };
  const item = (n: number, over: Partial<ChecklistItem> = {}): ChecklistItem => ({
    key: n === 1 ? 'readiness:devices' : `score:Control${n}`,
    kind: n === 1 ? 'readiness' : 'secureScore',
    title: n === 2 ? hostile : `Control ${n}`,
    detail: `Secure Score: ${n} of 10 points`,
    priority: n,
    expertsNote: n === 2 ? hostile : 'Roll out by department.',
    owner: n === 3 ? hostile : null,
    dueDate: n === 3 ? '2026-11-01' : null,
    state: n === 3 ? 'planned' : 'notStarted',
    note: n === 2 ? hostile : null,
    updatedBy: null,
    updatedAt: null,
    ...over,
  });
  const items = Array.from({ length: 15 }, (_, i) => item(i + 1));
  const checkin: Checkin = {
    id: 'contoso-checkin-2',
    customerId: 'contoso',
    number: 2,
    startedAt: '2026-11-20T09:00:00.000Z',
    startedBy: hostile,
    snapshot: items,
  };
  const base = {
    customerId: 'contoso',
    customerName: 'Contoso Ltd',
    items,
    progress: progressOf(items, now),
    overdueKeys: new Set(['score:Control3']),
    canEdit: true,
    now,
  };
  const kinds: ContactKind[] = ['message', 'escalation', 'feedback', 'optOut', 'bookReview'];
  const sdm = {
    name: 'Dana Reyes',
    email: 'dana@provider.example',
    slackUserId: 'U0DANA',
    teamsUserId: null,
  };
  return [
    [
      'report/month-sdm',
      reportCard({ figures: figures('Contoso Ltd', true), links, customerParam: 'contoso', canPost: true }),
    ],
    [
      'report/empty-no-links',
      reportCard({
        figures: figures('Contoso Ltd', false),
        links: null,
        customerParam: null,
        canPost: false,
      }),
    ],
    [
      'report/not-measured',
      reportCard({
        figures: { ...figures('Contoso Ltd', true), timesNotMeasured: 2 },
        links,
        customerParam: null,
        canPost: false,
      }),
    ],
    [
      'report/old-snapshot',
      reportCard({
        figures: { ...figures('Contoso Ltd', true), timesMeasured: undefined, handoffsMeasured: undefined },
        links,
        customerParam: null,
        canPost: false,
      }),
    ],
    [
      'report/quiet',
      reportCard({
        figures: {
          ...figures('Contoso Ltd', true),
          investigated: 2,
          resolvedByExperts: 1,
          resolvedWithYou: 0,
          stillOpen: 1,
        },
        links,
        customerParam: 'contoso',
        canPost: true,
      }),
    ],
    ['messages/customer', messagesCard(messagesInput(hostile, now, false))],
    ['messages/provider', messagesCard(messagesInput(hostile, now, true))],
    [
      'messages/empty',
      messagesCard({ rows: [], more: false, filter: 'open', acrossCustomers: false, csvUrl: null, now }),
    ],
    [
      'report-post/confirm',
      reportPostConfirmCard({
        figures: figures(hostile, true),
        channels: ['Teams channel subscribed on 2026-11-02', hostile],
      }),
    ],
    [
      'report-post/empty',
      reportPostConfirmCard({
        figures: figures('Contoso Ltd', false),
        channels: ['Slack channel subscribed on 2026-11-02'],
      }),
    ],
    [
      'report/hostile',
      reportCard({ figures: figures(hostile, true), links, customerParam: null, canPost: false }),
    ],
    [
      'checkin/second',
      checkinCard({
        ...base,
        checkin,
        previous: { number: 1, startedAt: '2026-10-20T09:00:00.000Z' },
        changes: [
          { key: 'score:Control2', title: hostile, from: 'notStarted', to: 'done' },
          { key: 'score:Control9', title: 'Control 9', from: null, to: 'notStarted' },
        ],
      }),
    ],
    [
      'checkin/none',
      checkinCard({
        ...base,
        items: [],
        progress: progressOf([], now),
        checkin: null,
        previous: null,
        changes: [],
      }),
    ],
    ['checkin/read-only', checkinCard({ ...base, checkin, previous: null, changes: [], canEdit: false })],
    ['checkin/item', checkinItemCard({ customerId: 'contoso', customerName: hostile, item: item(2) })],
    [
      'checkin/item-planned',
      checkinItemCard({ customerId: 'contoso', customerName: 'Contoso Ltd', item: item(3) }),
    ],
    ['sdm/card', sdmCard({ customerName: 'Contoso Ltd', sdm, nextReview: 'Requested for 2026-12-03' })],
    [
      'sdm/hostile',
      sdmCard({ customerName: hostile, sdm: { ...sdm, name: hostile, email: hostile }, nextReview: hostile }),
    ],
    ['sdm/none', sdmCard({ customerName: 'Contoso Ltd', sdm: null, nextReview: '' })],
    ...kinds.map((k): [string, CardMessage] => [`sdm/form-${k}`, sdmFormCard(k)]),
  ];
}

/** A messages view with both groups, an unread thread and hostile text wherever tenant text reaches. */
function messagesInput(hostile: string, now: Date, acrossCustomers: boolean): MessagesCardInput {
  const at = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const row = (n: number, group: 'managedResponse' | 'askExperts', unread: boolean) => ({
    pairId: `p${n}`,
    group,
    customerId: 'contoso',
    customerName: n === 1 ? hostile : 'Contoso Ltd',
    requestId: group === 'askExperts' ? `Q-ABC${n}` : null,
    incidentId: `${40 + n}`,
    title: group === 'askExperts' ? `Q-ABC${n} · ${hostile}` : `Incident ${40 + n} · ${hostile}`,
    state: group === 'askExperts' ? 'Answered' : 'Awaiting customer action',
    stateRaw: group === 'askExperts' ? 'answered' : 'awaitingAction',
    open: true,
    lastActivityAt: at(n),
    unread,
  });
  return {
    rows: [row(1, 'managedResponse', true), row(2, 'askExperts', false), row(3, 'askExperts', true)],
    more: acrossCustomers,
    filter: '30d',
    acrossCustomers,
    csvUrl: 'https://bot.example.com/messages/contoso/30d/web%3Aa/messages.csv?exp=1800000000&sig=x',
    now,
  };
}
