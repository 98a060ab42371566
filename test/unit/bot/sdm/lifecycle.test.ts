import { describe, expect, it } from 'vitest';
import { timelinePatch, timelinePatches } from '../../../../bot/sdm/lifecycle.js';
import { makeIncident } from '../../../support/make-incident.js';

// Lifecycle times learned from saved versions: each step's time is the version's lastUpdateDateTime.

const C = 'lc';
const v = (status: string, assignedTo: string | null, at: string, extra: Record<string, unknown> = {}) =>
  makeIncident(C, {
    id: '42',
    status,
    assignedTo,
    createdDateTime: '2026-10-01T00:00:00Z',
    lastUpdateDateTime: at,
    ...extra,
  });

describe('timelinePatch', () => {
  it('records each step when the sync sees the transition', () => {
    const active = v('active', null, '2026-10-01T00:00:00Z');
    const working = v('inProgress', 'Defender Experts', '2026-10-01T01:00:00Z');
    const handed = v('awaitingAction', 'Customer', '2026-10-01T03:00:00Z');
    const resolved = v('resolved', null, '2026-10-01T09:00:00Z');
    expect(timelinePatch({ previous: null, current: active })).toBeNull();
    expect(timelinePatch({ previous: active, current: working })).toEqual({
      customerId: C,
      incidentId: '42',
      expertsStartedAt: '2026-10-01T01:00:00Z',
    });
    expect(timelinePatch({ previous: working, current: handed })).toEqual({
      customerId: C,
      incidentId: '42',
      handedOffAt: '2026-10-01T03:00:00Z',
    });
    expect(timelinePatch({ previous: handed, current: resolved })).toEqual({
      customerId: C,
      incidentId: '42',
      resolvedAt: '2026-10-01T09:00:00Z',
    });
    // A comment on a resolved incident moves nothing; reopening clears the resolution.
    expect(
      timelinePatch({ previous: resolved, current: v('resolved', null, '2026-10-02T00:00:00Z') }),
    ).toBeNull();
    expect(timelinePatch({ previous: resolved, current: v('active', null, '2026-10-03T00:00:00Z') })).toEqual(
      {
        customerId: C,
        incidentId: '42',
        resolvedAt: null,
      },
    );
  });

  it('marks a first sighting past a step as inferred, with the handoff judged from the actions', () => {
    const acted = v('resolved', null, '2026-10-05T00:00:00Z', {
      guidedResponse: {
        investigationSummary: 's',
        actions: [
          {
            id: '1',
            kind: 'isolateDevice',
            target: { type: 'device', id: 'd', name: 'WS-1' },
            state: 'completed',
            by: 'bob@contoso.example',
            at: '2026-10-04T00:00:00Z',
          },
        ],
      },
    });
    expect(timelinePatch({ previous: null, current: acted })).toEqual({
      customerId: C,
      incidentId: '42',
      resolvedAt: '2026-10-05T00:00:00Z',
      handedOffAt: '2026-10-05T00:00:00Z',
      inferred: true,
    });
    const byExperts = v('resolved', null, '2026-10-05T00:00:00Z');
    expect(timelinePatches([{ previous: null, current: byExperts }])).toEqual([
      { customerId: C, incidentId: '42', resolvedAt: '2026-10-05T00:00:00Z', inferred: true },
    ]);
  });
});
