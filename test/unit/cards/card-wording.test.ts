import { describe, expect, it } from 'vitest';
import type { ResponseAction } from '../../../bot/domain/incident.js';
import { incidentAlertCard, responseProgress } from '../../../cards/builders/incident-alert.js';
import { incidentDetailCard } from '../../../cards/builders/incident-detail.js';
import type { ActionControls } from '../../../cards/builders/incident-sections.js';
import { makeIncident } from '../../support/make-incident.js';

// How the incident cards read: who resolved a resolved incident (never "Assigned to Unassigned"), guided-
// response progress as "2 of 3 actions done", and who may act said once per card, not under every action.

const NOW = new Date('2026-11-27T09:00:00.000Z');
const action = (id: string, state: string, by: string | null): ResponseAction =>
  ({
    id,
    kind: 'isolateDevice',
    target: { type: 'device', id: `d-${id}`, name: `WS-${id}`, excluded: false },
    state,
    by,
    at: by === null ? null : '2026-11-26T09:00:00.000Z',
    note: null,
  }) as ResponseAction;

const texts = (card: unknown): string => JSON.stringify(card);

describe('who resolved it', () => {
  it('names Defender Experts for an experts incident closed unassigned', () => {
    const incident = makeIncident('contoso', { id: '42', status: 'resolved', assignedTo: null });
    const card = incidentDetailCard({ incident, now: NOW });
    expect(texts(card.card)).toContain('"title":"Resolved by","value":"Defender Experts"');
    expect(texts(card.card)).not.toMatch(/Assigned to.{0,20}Unassigned/);
    expect(card.fallbackText).toContain('Resolved by: Defender Experts');
  });

  it('names the customer’s person who took the last guided-response step', () => {
    const incident = makeIncident('contoso', {
      id: '43',
      status: 'resolved',
      assignedTo: null,
      guidedResponse: {
        investigationSummary: 's',
        actions: [action('1', 'completed', 'alice@contoso.example')],
      },
    });
    const alert = incidentAlertCard({ customerName: 'Contoso', incident, latest: 'Resolved', now: NOW });
    expect(alert.fallbackText).toContain('Resolved by: Customer (alice@contoso.example)');
    expect(texts(alert.card)).toContain('"title":"Resolved by"');
  });

  it('keeps "Assigned to" while the incident is open', () => {
    const incident = makeIncident('contoso', { id: '44', status: 'active', assignedTo: null });
    expect(texts(incidentDetailCard({ incident, now: NOW }).card)).toContain(
      '"title":"Assigned to","value":"Unassigned"',
    );
  });
});

describe('guided-response progress', () => {
  it('reads "2 of 3 actions done"', () => {
    const done = [action('1', 'completed', 'a'), action('2', 'completed', 'a'), action('3', 'pending', null)];
    expect(responseProgress(done)).toBe('2 of 3 actions done');
    expect(responseProgress([action('1', 'pending', null)])).toBe('0 of 1 action done');
    expect(responseProgress([action('1', 'inProgress', 'a'), action('2', 'failed', 'a')])).toBe(
      '0 of 2 actions done, 1 in progress, 1 failed',
    );
  });
});

describe('who may act', () => {
  it('is said once per card, under the first open action, never under a completed one', () => {
    const lock = 'Only Contoso responders and admins can act on guided response.';
    const actions = [
      action('1', 'completed', 'alice'),
      action('2', 'pending', null),
      action('3', 'pending', null),
    ];
    const controls = new Map<string, ActionControls>(
      actions.map((a) => [
        a.id,
        { incidentId: '45', version: 1, done: false, skip: false, run: false, lock },
      ]),
    );
    const incident = makeIncident('contoso', {
      id: '45',
      status: 'awaitingAction',
      assignedTo: 'Customer',
      guidedResponse: { investigationSummary: 's', actions },
    });
    const card = texts(incidentDetailCard({ incident, now: NOW, controls }).card);
    expect(card.split('can act on guided response').length - 1).toBe(1);
  });
});
