import type { Role } from '../../../bot/domain/actor.js';
import { INCIDENT_VIEWS, type Incident } from '../../../bot/domain/incident.js';
import type { ViewCounts } from '../../../bot/ports.js';
import {
  awaitingSummaryCard,
  helpCard,
  incidentAlertCard,
  incidentDetailCard,
  incidentListCard,
  noticeCard,
  unlinkedWorkspaceCard,
  welcomeCard,
} from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';
import { makeIncident } from '../../support/make-incident.js';
import { linkCards } from './link-fixtures.js';
import { questionCards } from './question-fixtures.js';
import { responseCards } from './response-fixtures.js';
import { sdmCards } from './sdm-fixtures.js';
import { userCheckCards } from './user-check-fixtures.js';

// Every kind of card every builder can produce, from a fixed clock, so schema, fallback, verb and
// injection checks run over the same broad set and snapshots stay stable.

export const NOW = new Date('2026-11-20T10:30:00.000Z');

/** Text that tries every trick: markdown link, emphasis, mention, template syntax, HTML, bare URL. */
export const HOSTILE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as hostile input is the point
  'See [click](https://evil.example) **bold** _it_ <at>Alice</at> ${customerName} ${$root.title} <script>alert(1)</script> https://evil.example/x www.evil.example @channel <!here>';

const LONG = `${'A very long line of analyst notes. '.repeat(200)}END`;

const ACTION_STATES = ['pending', 'inProgress', 'completed', 'failed', 'skipped', 'stalledForReview'];

function guidedActions(): unknown[] {
  return ACTION_STATES.map((state, i) => ({
    id: `ga${i}`,
    kind: i === 5 ? 'quarantineMailbox' : ['isolateDevice', 'disableUser', 'stopAndQuarantineFile'][i % 3],
    target: {
      type: ['device', 'user', 'file', 'mailMessage', 'app', 'device'][i],
      id: `t${i}`,
      name: i === 2 ? HOSTILE : `TARGET-${i}`,
      excluded: i % 2 === 1,
    },
    state,
    by: state === 'pending' ? null : 'Defender Experts',
    at: state === 'pending' ? null : '2026-11-20T09:45:00.000Z',
    note: i === 3 ? 'Isolation failed: device offline' : null,
  }));
}

function comments(n: number, text = 'Update from the experts'): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    comment: `${text} #${i + 1}`,
    createdBy: i % 2 === 0 ? 'Defender Experts' : 'alice@contoso.example',
    createdDateTime: new Date(Date.parse('2026-11-19T00:00:00.000Z') + i * 3_600_000).toISOString(),
  }));
}

/** A spread of incidents: every status, unknown enums, hostile and long text, many comments. */
export function sampleIncidents(): Record<string, Incident> {
  return {
    awaiting: makeIncident('contoso', {
      id: '42',
      status: 'awaitingAction',
      assignedTo: 'Customer',
      classification: 'truePositive',
      determination: 'Multistaged attack',
      customTags: ['finance', 'vip'],
      summary: 'Credential theft followed by lateral movement from WS-FIN-042.',
      comments: comments(5),
      guidedResponse: {
        investigationSummary: 'The attacker used a phishing link.',
        actions: guidedActions(),
      },
    }),
    investigating: makeIncident('contoso', { id: '43', severity: 'medium', priorityScore: null }),
    resolved: makeIncident('contoso', {
      id: '44',
      status: 'resolved',
      assignedTo: null,
      severity: 'low',
      classification: 'falsePositive',
      determination: 'notMalicious',
      resolvingComment: 'Expected admin activity.',
      systemTags: [],
      alerts: [],
    }),
    redirected: makeIncident('contoso', { id: '45', status: 'redirected', redirectIncidentId: '46' }),
    unknownEnums: makeIncident('contoso', {
      id: '47',
      status: 'pendingVendorReview',
      severity: 'catastrophic',
      classification: 'maybePositive',
      determination: 'Quantum intrusion',
      assignedTo: 'bob@contoso.example',
      incidentWebUrl: 'javascript:alert(1)',
      guidedResponse: { investigationSummary: '', actions: [] },
    }),
    hostile: makeIncident('contoso', {
      id: '48',
      displayName: HOSTILE,
      summary: HOSTILE,
      description: `${HOSTILE}\n- list item\n1. numbered\n# heading`,
      assignedTo: '<at>Mallory</at>',
      customTags: [HOSTILE],
      comments: [
        { comment: HOSTILE, createdBy: '[Mallory](https://evil.example)', createdDateTime: 'yesterday' },
      ],
      alerts: [
        {
          id: 'a1',
          title: HOSTILE,
          severity: 'high',
          status: 'new',
          category: '**Exfil**',
          serviceSource: '<b>src</b>',
          detectionSource: '',
          createdDateTime: '2026-11-20T08:00:00.000Z',
          assets: [],
        },
      ],
      guidedResponse: { investigationSummary: HOSTILE, actions: guidedActions() },
    }),
    long: makeIncident('contoso', {
      id: '49',
      displayName: LONG,
      summary: LONG,
      customTags: Array.from({ length: 25 }, (_, i) => `tag-${i}`),
      comments: comments(60, LONG),
      alerts: Array.from({ length: 14 }, (_, i) => ({ id: `a${i}`, title: `Alert ${i}`, severity: 'low' })),
      guidedResponse: {
        investigationSummary: LONG,
        actions: Array.from({ length: 3 }, () => guidedActions()).flat(),
      },
    }),
    oddId: makeIncident('contoso', { id: 'weird id/with spaces', comments: comments(8) }),
  };
}

const COUNTS: ViewCounts = { open: 12, awaiting: 7, investigating: 4, resolved: 30, all: 42 };
const ZERO: ViewCounts = { open: 0, awaiting: 0, investigating: 0, resolved: 0, all: 0 };

const COMMANDS = [
  { usage: 'help', description: 'What I can do for you', available: true },
  {
    usage: 'incidents [open|awaiting|investigating|resolved|all] [high|medium|low]',
    description: 'List incidents',
    available: true,
  },
  { usage: 'ask <question>', description: 'Ask Defender Experts a question', available: false },
];

const roles = (...r: Role[]): ReadonlySet<Role> => new Set(r);

/** Named cards covering every builder and its branches. */
export function allCards(): ReadonlyArray<readonly [string, CardMessage]> {
  const inc = sampleIncidents();
  const list = Object.values(inc);
  const cards: [string, CardMessage][] = [];
  const listCard = (name: string, args: Partial<Parameters<typeof incidentListCard>[0]>): void => {
    cards.push([
      `list/${name}`,
      incidentListCard({
        customerName: 'Contoso Ltd',
        view: 'open',
        severity: null,
        page: { items: list, total: list.length },
        offset: 0,
        pageSize: 10,
        now: NOW,
        ...args,
      }),
    ]);
  };
  for (const view of INCIDENT_VIEWS) listCard(`empty-${view}`, { view, page: { items: [], total: 0 } });
  listCard('one-page', {});
  listCard('first-of-many', { view: 'awaiting', page: { items: list.slice(0, 3), total: 42 }, pageSize: 3 });
  listCard('middle', {
    severity: 'high',
    page: { items: list.slice(0, 3), total: 42 },
    offset: 9,
    pageSize: 3,
  });
  listCard('last-page', { page: { items: list.slice(0, 2), total: 42 }, offset: 40, pageSize: 10 });
  listCard('exact-end', { page: { items: list.slice(0, 2), total: 12 }, offset: 10, pageSize: 10 });
  listCard('past-end', { page: { items: [], total: 42 }, offset: 90, pageSize: 10 });
  listCard('empty-filtered', { view: 'investigating', severity: 'low', page: { items: [], total: 0 } });
  listCard('hostile-customer', {
    customerName: HOSTILE,
    page: { items: [inc.hostile as Incident], total: 1 },
  });

  for (const [name, incident] of Object.entries(inc)) {
    cards.push([`detail/${name}`, incidentDetailCard({ incident, now: NOW })]);
    cards.push([
      `detail/${name}-all-comments`,
      incidentDetailCard({ incident, commentsShown: incident.comments.length, now: NOW }),
    ]);
  }
  cards.push([
    'detail/no-comments-shown',
    incidentDetailCard({ incident: inc.awaiting as Incident, commentsShown: 0, now: NOW }),
  ]);

  const awaiting = list.filter((i) => i.status === 'awaitingAction');
  cards.push([
    'summary/some',
    awaitingSummaryCard({ customerName: 'Contoso Ltd', counts: COUNTS, awaiting, now: NOW }),
  ]);
  cards.push([
    'summary/none',
    awaitingSummaryCard({ customerName: 'Contoso Ltd', counts: ZERO, awaiting: [], now: NOW }),
  ]);
  cards.push([
    'summary/many',
    awaitingSummaryCard({ customerName: HOSTILE, counts: COUNTS, awaiting: list, now: NOW }),
  ]);

  cards.push(['help/analyst', helpCard({ roles: roles('analyst', 'responder'), commands: COMMANDS })]);
  cards.push(['help/expert', helpCard({ roles: roles('expert'), commands: COMMANDS.slice(0, 1) })]);
  cards.push(['help/nothing', helpCard({ roles: roles(), commands: [] })]);

  for (const tone of ['info', 'warning', 'error'] as const) {
    cards.push([
      `notice/${tone}`,
      noticeCard({ title: 'Incident not found', text: `I can't find incident ${HOSTILE}.`, tone }),
    ]);
  }
  cards.push(['notice/long', noticeCard({ title: LONG, text: LONG, tone: 'info' })]);

  cards.push([
    'unlinked/teams',
    unlinkedWorkspaceCard({ platform: 'teams', workspaceId: '7c1f0000-aaaa-bbbb-cccc-000000000001' }),
  ]);
  cards.push(['unlinked/slack', unlinkedWorkspaceCard({ platform: 'slack', workspaceId: 'T0CONTOSO' })]);
  cards.push(['unlinked/web', unlinkedWorkspaceCard({ platform: 'web', workspaceId: HOSTILE })]);

  for (const [name, incident] of Object.entries(inc)) {
    cards.push([
      `alert/${name}`,
      incidentAlertCard({
        customerName: 'Contoso Ltd',
        incident,
        latest: `Handed off to you: ${HOSTILE}`,
        now: NOW,
      }),
    ]);
  }

  cards.push(['welcome/analyst', welcomeCard({ customerName: 'Contoso Ltd', roles: roles('analyst') })]);
  cards.push(['welcome/hostile', welcomeCard({ customerName: HOSTILE, roles: roles() })]);
  cards.push(['welcome/shared', welcomeCard({ customerName: null, roles: null })]);
  cards.push(...questionCards(inc.awaiting as Incident, HOSTILE, NOW));
  cards.push(...responseCards(inc.awaiting as Incident, HOSTILE, NOW));
  cards.push(...sdmCards(HOSTILE, NOW));
  cards.push(...linkCards(inc, HOSTILE, NOW));
  cards.push(...userCheckCards(inc.awaiting as Incident, HOSTILE, NOW));
  return cards;
}

/** Every object in a card whose `type` is the given action type, wherever it sits. */
export function findAll(node: unknown, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      const o = n as Record<string, unknown>;
      if (o.type === type) found.push(o);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(node);
  return found;
}

/** Every string in a card (texts, titles, facts, fallback), for injection checks. */
export function allStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(allStrings);
  return [];
}

/** Card text only (not the schema URL, portal link or action data, which are ours, not relayed text). */
export function textsOf(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'data' || k === 'url' || k === '$schema') continue;
        if (typeof v === 'string') texts.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return texts;
}
