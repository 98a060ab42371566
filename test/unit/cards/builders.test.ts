import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../bot/domain/incident.js';
import { unescapeMarkdown } from '../../../cards/escape.js';
import {
  awaitingSummaryCard,
  helpCard,
  incidentDetailCard,
  incidentListCard,
  noticeCard,
  unlinkedWorkspaceCard,
  userCheckStatusCard,
  welcomeCard,
} from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';
import { makeIncident } from '../../support/make-incident.js';
import { findAll, NOW, sampleIncidents, textsOf } from './fixtures.js';

// What each card says and which buttons it offers, read the way a user reads it (unescaped text).

const text = (m: CardMessage): string => textsOf(m.card).map(unescapeMarkdown).join('\n');
const executes = (m: CardMessage) =>
  findAll(m.card, 'Action.Execute').map((a) => ({ title: a.title, verb: a.verb, data: a.data }));
const inc = sampleIncidents();
const pick = (k: string): Incident => inc[k] as Incident;

const page = (items: Incident[], total: number, offset = 0, pageSize = 10, view = 'awaiting' as const) =>
  incidentListCard({
    customerName: 'Contoso Ltd',
    view,
    severity: null,
    page: { items, total },
    offset,
    pageSize,
    now: NOW,
  });

describe('incidentListCard', () => {
  const three = [pick('awaiting'), pick('investigating'), pick('resolved')];

  it('says the urgency order on the awaiting views and how long each row has waited', () => {
    const [first] = three;
    const m = incidentListCard({
      customerName: 'Contoso Ltd',
      view: 'awaiting',
      severity: null,
      page: { items: three, total: 3 },
      offset: 0,
      pageSize: 10,
      now: NOW,
      sortedByUrgency: true,
      waitingSince: new Map([[first?.id ?? '', new Date(NOW.getTime() - 3 * 3_600_000).toISOString()]]),
    });
    expect(text(m)).toContain('Most urgent first: highest severity, then longest waiting.');
    expect(text(m)).toContain('#42 · Awaiting customer action · Assigned to Customer · waiting 3 h');
    expect(text(page(three, 3))).not.toContain('Most urgent first');
  });

  it('titles the view with the total and describes each row', () => {
    const m = page(three, 3);
    expect(text(m)).toContain('Awaiting your action — 3 incidents');
    expect(text(m)).toContain('#42 · Awaiting customer action · Assigned to Customer · created 2 h ago');
    // A resolved row says who resolved it, never "Resolved · Unassigned".
    expect(text(m)).toContain('#44 · Resolved · created');
    expect(m.fallbackText).toContain('(44) — Resolved, created');
    expect(text(m)).not.toContain('Unassigned');
    expect(text(m)).not.toContain('Assigned to Unassigned');
    expect(executes(m)).toContainEqual({ title: 'Open 42', verb: 'incident.show', data: { id: '42' } });
    expect(m.fallbackText).toContain('#42 [High]');
  });

  it('pages: "Showing 1–3 of 42", More with the next offset, no Previous on the first page', () => {
    const m = page(three, 42, 0, 3);
    expect(text(m)).toContain('Showing 1–3 of 42');
    const titles = executes(m).map((a) => a.title);
    expect(executes(m)).toContainEqual({
      title: 'More',
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: null, offset: 3 },
    });
    expect(titles).not.toContain('Previous');
  });

  it('on the last page offers Previous but not More', () => {
    const m = page(three.slice(0, 2), 42, 40, 10);
    expect(text(m)).toContain('Showing 41–42 of 42');
    expect(executes(m).map((a) => a.title)).not.toContain('More');
    expect(executes(m)).toContainEqual({
      title: 'Previous',
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: null, offset: 30 },
    });
  });

  it('switches views, keeping the severity filter, and offers to drop it', () => {
    const m = incidentListCard({
      customerName: 'C',
      view: 'open',
      severity: 'high',
      page: { items: three, total: 3 },
      offset: 0,
      pageSize: 10,
      now: NOW,
    });
    const lists = executes(m).filter((a) => a.verb === 'incidents.list');
    expect(lists.map((a) => a.title)).toEqual([
      'Awaiting my action',
      'Investigating',
      'Resolved',
      'All severities',
    ]);
    expect(lists[0]?.data).toEqual({ view: 'awaiting', severity: 'high', offset: 0 });
    expect(lists[3]?.data).toEqual({ view: 'open', severity: null, offset: 0 });
    expect(text(m)).toContain('High severity only');
  });

  it('says something friendly when the list is empty', () => {
    const m = page([], 0);
    expect(text(m)).toContain('Nothing is waiting for you');
    expect(text(m)).not.toContain('Showing');
    expect(findAll(m.card, 'Container')).toEqual([]);
    expect(m.fallbackText).toContain('Nothing is waiting for you');
  });

  it('past the end, explains and offers the first page', () => {
    const m = page([], 42, 90);
    expect(text(m)).toContain('past the end');
    // The title keeps the store's count, not the old button's offset.
    expect(text(m)).toContain('Awaiting your action — 42 incidents');
    expect(text(page([], 2, 50))).toContain('Awaiting your action — 2 incidents');
    expect(text(page([], 0, 1000))).toContain('Awaiting your action — 0 incidents');
    expect(executes(m)).toContainEqual({
      title: 'First page',
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: null, offset: 0 },
    });
  });
});

describe('incidentDetailCard', () => {
  it('shows the facts in the portal vocabulary', () => {
    const m = incidentDetailCard({ incident: pick('awaiting'), now: NOW });
    const t = text(m);
    for (const s of [
      'Awaiting customer action',
      'Customer',
      'True positive',
      'Multistaged attack',
      'High',
      '71 / 100',
      'Defender Experts',
      'finance, vip',
      '2026-11-20 08:00 UTC (2 h ago)',
      'Credential theft',
    ]) {
      expect(t).toContain(s);
    }
    expect(t).toContain('Defender Experts handed this incident over to you');
  });

  it('shows unknown enum values readably: identifiers spelled out, free text as it came', () => {
    const t = text(incidentDetailCard({ incident: pick('unknownEnums'), now: NOW }));
    expect(t).not.toContain('pendingVendorReview');
    expect(t).not.toContain('maybePositive');
    for (const s of [
      'Pending vendor review',
      'catastrophic',
      'Maybe positive',
      'Quantum intrusion',
      'bob@contoso.example',
    ]) {
      expect(t).toContain(s);
    }
  });

  it('shows the newest 3 comments first and offers the rest', () => {
    const m = incidentDetailCard({ incident: pick('awaiting'), now: NOW });
    const t = text(m);
    expect(t.indexOf('#5')).toBeLessThan(t.indexOf('#4'));
    expect(t).toContain('#3');
    expect(t).not.toContain('experts #2');
    expect(executes(m)).toContainEqual({
      title: 'Show all 5 comments',
      verb: 'incident.comments',
      data: { id: '42' },
    });
  });

  it('with all comments shown, offers no "Show all"', () => {
    const m = incidentDetailCard({ incident: pick('awaiting'), commentsShown: 5, now: NOW });
    expect(text(m)).toContain('experts #1');
    expect(executes(m).map((a) => a.verb)).not.toContain('incident.comments');
  });

  it('caps very many comments and points to the portal', () => {
    const m = incidentDetailCard({ incident: pick('long'), commentsShown: 60, now: NOW });
    expect(text(m)).toMatch(/Showing the \d+ newest of 60 comments/);
    expect(text(m)).toContain('Comments and history (60)');
  });

  it('lists guided-response actions with kind, target, excluded marker, state and who/when', () => {
    const t = text(incidentDetailCard({ incident: pick('awaiting'), now: NOW }));
    expect(t).toContain('The attacker used a phishing link.');
    expect(t).toContain('Isolate device');
    expect(t).toContain('Device: TARGET-0');
    expect(t).toContain('User: TARGET-1 (excluded)');
    expect(t).toContain('Excluded asset: no action from chat');
    for (const s of [
      'Pending',
      'In progress',
      'Completed',
      'Failed',
      'Skipped',
      'Stalled for review',
      'Quarantine mailbox',
    ]) {
      expect(t).toContain(s);
    }
    expect(t).toContain('Not done yet');
    expect(t).toContain('Completed by Defender Experts 45 min ago');
    // A failed run names who started it, not who "failed".
    expect(t).toContain('Run by Defender Experts, failed 45 min ago');
    expect(t).not.toContain('Failed by');
    expect(t).toContain('Isolation failed: device offline');
  });

  it('links the portal only over https, and never sends actions for an id it cannot send back', () => {
    const ok = incidentDetailCard({ incident: pick('awaiting'), now: NOW });
    expect(findAll(ok.card, 'Action.OpenUrl')).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in Microsoft Defender portal',
        url: pick('awaiting').incidentWebUrl,
      },
    ]);
    expect(
      findAll(incidentDetailCard({ incident: pick('unknownEnums'), now: NOW }).card, 'Action.OpenUrl'),
    ).toEqual([]);
    expect(executes(incidentDetailCard({ incident: pick('oddId'), now: NOW }))).toEqual([]);
  });

  it('says when there are no alerts or comments', () => {
    const t = text(incidentDetailCard({ incident: pick('resolved'), now: NOW }));
    expect(t).toContain('No alerts are linked');
    expect(t).toContain('No comments yet.');
    expect(t).toContain('Expected admin activity.');
  });
});

describe('awaitingSummaryCard', () => {
  const counts = { open: 12, awaiting: 7, investigating: 4, resolved: 30, all: 42 };

  it('counts what awaits the customer and lists the most urgent few, saying the order', () => {
    const waiting = pick('awaiting');
    const m = awaitingSummaryCard({
      customerName: 'Contoso Ltd',
      counts,
      awaiting: [waiting],
      waitingSince: new Map([[waiting.id, new Date(NOW.getTime() - 6 * 3_600_000).toISOString()]]),
      now: NOW,
    });
    const t = text(m);
    expect(t).toContain('Defender Experts');
    expect(t).toContain(
      '7 incidents await your action, most urgent first (highest severity, then longest waiting)',
    );
    expect(t).toContain('waiting 6 h');
    expect(m.fallbackText).toContain('— waiting 6 h');
    expect(m.fallbackText).not.toContain('waiting since');
    expect(t).toContain('…and 6 more awaiting your action.');
    expect(executes(m)).toContainEqual({
      title: 'Awaiting my action',
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: null, offset: 0 },
    });
    expect(m.fallbackText).toContain(
      'Awaiting your action: 7 · Being investigated by Defender Experts: 4 · Open: 12',
    );
  });

  it('when nothing awaits, says so and offers no awaiting list', () => {
    const zero = { open: 0, awaiting: 0, investigating: 0, resolved: 0, all: 0 };
    const m = awaitingSummaryCard({ customerName: 'C', counts: zero, awaiting: [], now: NOW });
    expect(text(m)).toContain('Nothing awaits your action');
    expect(executes(m).map((a) => a.title)).not.toContain('Awaiting my action');
  });
});

describe('small cards', () => {
  it('help marks commands not yet available as coming soon', () => {
    const m = helpCard({
      roles: new Set(['analyst', 'admin'] as const),
      commands: [
        { usage: 'ask <question>', description: 'Ask the experts', available: false },
        { usage: 'help', description: 'This list', available: true },
      ],
    });
    const t = text(m);
    expect(t).toContain('For you as: SOC analyst, Admin');
    expect(t).toContain('Ask the experts — coming soon');
    expect(t.indexOf('This list')).toBeLessThan(t.indexOf('Ask the experts'));
    expect(m.fallbackText).toContain('ask <question>: Ask the experts — coming soon');
    expect(executes(helpCard({ roles: new Set(['expert'] as const), commands: [] }))).toEqual([]);
  });

  it('notice tones map to container styles', () => {
    const styles = (['info', 'warning', 'error'] as const).map(
      (tone) => findAll(noticeCard({ title: 't', text: 'x', tone }).card, 'Container')[0]?.style,
    );
    expect(styles).toEqual(['emphasis', 'warning', 'attention']);
  });

  it('a user-check status opens in the notice look of its level', () => {
    const head = (tone: 'info' | 'warning' | 'urgent') => {
      const box = findAll(
        userCheckStatusCard({ title: 't', text: 'x', tone, facts: [], cancel: null }).card,
        'Container',
      )[0];
      return [box?.style, findAll(box, 'TextBlock')[0]?.color];
    };
    expect((['info', 'warning', 'urgent'] as const).map(head)).toEqual([
      ['emphasis', 'default'],
      ['warning', 'warning'],
      ['attention', 'attention'],
    ]);
  });

  it('an unlinked workspace learns how to link it and sees no data', () => {
    const teams = unlinkedWorkspaceCard({ platform: 'teams', workspaceId: '7c1f-tenant' });
    expect(text(teams)).toContain('teams: { tenantId: 7c1f-tenant }');
    expect(text(teams)).toContain('not linked');
    expect(executes(teams)).toEqual([]);
    expect(text(unlinkedWorkspaceCard({ platform: 'slack', workspaceId: 'T0X' }))).toContain(
      'slack: { teamId: T0X }',
    );
  });

  it('welcome names the customer and offers the lists and help', () => {
    const m = welcomeCard({ customerName: 'Contoso Ltd', roles: new Set(['responder'] as const) });
    expect(text(m)).toContain('Welcome to Defender Experts, Contoso Ltd');
    expect(text(m)).toContain('Your role: Responder');
    expect(executes(m).map((a) => a.verb)).toEqual(['incidents.list', 'incidents.list', 'help']);
  });

  it('builders are pure: same input, same card', () => {
    const a = incidentDetailCard({ incident: makeIncident('c', { id: '1' }), now: NOW });
    const b = incidentDetailCard({ incident: makeIncident('c', { id: '1' }), now: NOW });
    expect(a).toEqual(b);
  });
});
