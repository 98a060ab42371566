import { describe, expect, it } from 'vitest';
import { lifecycleEvents } from '../../../../bot/alerts/events.js';
import { planAlerts } from '../../../../bot/alerts/planner.js';
import type { ChannelBinding } from '../../../../bot/domain/conversation.js';
import type { Incident } from '../../../../bot/domain/incident.js';
import { makeIncident } from '../../../support/make-incident.js';

const at = (min: number): string => new Date(Date.UTC(2026, 10, 27, 9, min)).toISOString();
const v = (over: Record<string, unknown>, min: number): Incident =>
  makeIncident('contoso', { id: '42', lastUpdateDateTime: at(min), ...over });

const kinds = (previous: Incident | null, current: Incident) =>
  lifecycleEvents({ previous, current }).map((e) => `${e.kind}/${e.rule}`);

const NEW = { status: 'active', assignedTo: null, systemTags: [] };
const INVESTIGATING = { status: 'inProgress', assignedTo: 'Defender Experts' };
const ACTIONS = [
  { id: 'a1', kind: 'isolateDevice', target: { type: 'device', id: 'm1', name: 'WS-1' }, state: 'pending' },
  {
    id: 'a2',
    kind: 'disableUser',
    target: { type: 'user', id: 'u1', name: 'bob@contoso.example' },
    state: 'pending',
  },
];
const HANDED = {
  status: 'awaitingAction',
  assignedTo: 'Customer',
  classification: 'truePositive',
  determination: 'malware',
  guidedResponse: { investigationSummary: 'Loader on WS-1.', actions: ACTIONS },
};

describe('lifecycleEvents', () => {
  it('follows the Defender Experts lifecycle step by step', () => {
    const s0 = v(NEW, 0);
    const s1 = v(INVESTIGATING, 1);
    const s2 = v(HANDED, 2);
    const worked = {
      investigationSummary: 'x',
      actions: [{ ...ACTIONS[0], state: 'completed', by: 'alice' }, ACTIONS[1]],
    };
    const s3 = v({ ...HANDED, guidedResponse: worked }, 3);
    const s4 = v(
      {
        ...HANDED,
        guidedResponse: worked,
        status: 'resolved',
        assignedTo: null,
        resolvingComment: 'All done.',
      },
      4,
    );
    expect(kinds(null, s0)).toEqual([]);
    expect(kinds(s0, s1)).toEqual(['expertsStarted/expertsStarted']);
    expect(kinds(s1, s2)).toEqual(['classificationChanged/classificationChanged', 'handedOff/handedOff']);
    expect(kinds(s2, s3)).toEqual(['actionChanged/actionChanged']);
    expect(lifecycleEvents({ previous: s2, current: s3 })[0]?.line).toBe(
      'Isolate device on WS-1: Completed by alice',
    );
    expect(kinds(s3, s4)).toEqual(['resolved/resolvedTruePositive']);
    expect(kinds(s4, v(INVESTIGATING, 5))).toEqual([
      'reopened/reopened',
      'expertsStarted/expertsStarted',
      'classificationChanged/classificationChanged',
    ]);
  });

  it('tells a false positive apart from a true positive, and sees new comments one by one', () => {
    const before = v(INVESTIGATING, 1);
    const fp = v(
      {
        status: 'resolved',
        assignedTo: null,
        classification: 'falsePositive',
        determination: 'notMalicious',
      },
      2,
    );
    expect(kinds(before, fp)).toEqual([
      'classificationChanged/classificationChanged',
      'resolved/resolvedOther',
    ]);
    const commented = v(
      {
        ...INVESTIGATING,
        comments: [
          { comment: 'first', createdBy: 'Defender Experts', createdDateTime: at(2) },
          { comment: 'second', createdBy: 'alice', createdDateTime: at(2) },
        ],
      },
      2,
    );
    expect(lifecycleEvents({ previous: before, current: commented }).map((e) => e.line)).toEqual([
      'Defender Experts commented: first',
      'alice commented: second',
    ]);
  });

  it('reports an incident first seen already handed off as a handoff', () => {
    expect(kinds(null, v(HANDED, 0))).toContain('handedOff/handedOff');
  });
});

describe('planAlerts', () => {
  const binding = (id: string, over: Partial<ChannelBinding> = {}): ChannelBinding => ({
    id,
    customerId: 'contoso',
    conversation: { platform: 'web', id: `web:${id}`, threadId: null, kind: 'channel' },
    events: ['handedOff'],
    onCall: null,
    createdBy: 'web:contoso-admin',
    createdAt: at(0),
    paused: false,
    ...over,
  });
  const change = { previous: v(INVESTIGATING, 1), current: v(HANDED, 2) };

  it('alerts nothing on a customer’s first sync (a baseline, not news)', () => {
    expect(planAlerts([binding('b1')], 0)([change], true)).toEqual([]);
  });

  it('sends every event to every active binding, marking which may start a post', () => {
    const drafts = planAlerts(
      [binding('b1'), binding('b2', { events: ['commentAdded'] }), binding('b3', { paused: true })],
      7,
    )([change], false);
    expect(drafts.map((d) => [d.bindingId, d.kind, d.payload.matchesRule])).toEqual([
      ['b1', 'classificationChanged', false],
      ['b1', 'handedOff', true],
      ['b2', 'classificationChanged', false],
      ['b2', 'handedOff', false],
    ]);
    expect(new Set(drafts.map((d) => `${d.bindingId}|${d.kind}|${d.version}`)).size).toBe(drafts.length);
    expect(drafts[1]?.payload.detectedAt).toBe(7);
  });

  it('does not alert a channel about changes from before it subscribed', () => {
    expect(planAlerts([binding('late', { createdAt: at(30) })], 0)([change], false)).toEqual([]);
  });
});
