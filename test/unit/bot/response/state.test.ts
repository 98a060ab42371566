import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../../../bot/response/response-ports.js';
import {
  auditComment,
  personName,
  runVia,
  targetPhrase,
  withRecords,
} from '../../../../bot/response/state.js';
import { makeIncident } from '../../../support/make-incident.js';

// The bot's records laid over the source's actions, and the audit comment's wording.

const incident = makeIncident('contoso', {
  id: '42',
  guidedResponse: {
    investigationSummary: 'x',
    actions: [
      {
        id: 'a1',
        kind: 'isolateDevice',
        target: { type: 'device', id: 'd-1', name: 'WS-1', excluded: false },
        state: 'pending',
        by: null,
        at: null,
        note: null,
      },
      {
        id: 'a2',
        kind: 'disableUser',
        target: { type: 'user', id: 'u-1', name: 'bob@contoso.example', excluded: true },
        state: 'pending',
        by: null,
        at: null,
        note: null,
      },
    ],
  },
});

const record: ActionRecord = {
  customerId: 'contoso',
  incidentId: '42',
  actionId: 'a1',
  state: 'skipped',
  by: 'Alice',
  at: '2026-11-27T10:00:00.000Z',
  note: 'reimaging',
  remoteId: null,
  version: 1,
};

describe('guided-response state', () => {
  it('lays a record over its action and leaves the others as the source has them', () => {
    const shown = withRecords(incident, [record]);
    expect(shown.guidedResponse?.actions[0]).toMatchObject({
      state: 'skipped',
      by: 'Alice',
      note: 'reimaging',
    });
    expect(shown.guidedResponse?.actions[1]).toEqual(incident.guidedResponse?.actions[1]);
    expect(withRecords(incident, [])).toBe(incident);
    expect(withRecords(incident, [{ ...record, actionId: 'gone' }]).guidedResponse).toEqual(
      incident.guidedResponse,
    );
  });

  it('names the target with its id and says when it is excluded', () => {
    const [device, user] = incident.guidedResponse?.actions ?? [];
    if (device === undefined || user === undefined) throw new Error('fixture');
    expect(targetPhrase(device)).toBe('device WS-1 (id d-1)');
    expect(targetPhrase(user)).toBe('user bob@contoso.example (id u-1) — excluded asset');
  });

  it('writes who (display name and stable qualified id), what and when into the comment', () => {
    const [device] = incident.guidedResponse?.actions ?? [];
    if (device === undefined) throw new Error('fixture');
    const alice = { name: 'Alice', id: 'slack:U0ALICE' };
    expect(
      auditComment({ event: 'skipped', action: device, who: alice, at: record.at, note: ' reimaging ' }),
    ).toBe(
      '[Guided response] Isolate device on device WS-1 (id d-1): skipped by Alice (slack:U0ALICE) at 2026-11-27T10:00:00.000Z (from chat) — reimaging',
    );
    // A display name chosen to impersonate still shows the real id beside it.
    expect(
      auditComment({
        event: 'runRequested',
        action: device,
        who: { name: 'Defender Experts', id: 'slack:U0MALLORY' },
        at: record.at,
        note: null,
        via: runVia('operator'),
      }),
    ).toBe(
      "[Guided response] Isolate device on device WS-1 (id d-1): run requested by Defender Experts (slack:U0MALLORY) at 2026-11-27T10:00:00.000Z (from chat; runs with the bot's app registration under operator access)",
    );
    expect(
      auditComment({ event: 'runCompleted', action: device, who: alice, at: record.at, note: 'Succeeded.' }),
    ).toBe(
      '[Guided response] Isolate device on device WS-1 (id d-1): run completed at 2026-11-27T10:00:00.000Z (requested by Alice (slack:U0ALICE) from chat) — Succeeded.',
    );
  });

  it('uses one person name everywhere: trimmed, whitespace folded, the user id when blank', () => {
    expect(personName({ displayName: '  Alice \n Smith ', userId: 'U0ALICE' })).toBe('Alice Smith');
    expect(personName({ displayName: '   ', userId: 'U0ALICE' })).toBe('U0ALICE');
  });

  it('shows the source when it moved past the record (e.g. completed in the portal after a failed run)', () => {
    const failed: ActionRecord = { ...record, state: 'failed', note: 'offline' };
    const completedLater = withActionState('completed', '2026-11-27T11:00:00.000Z', 'Defender Experts');
    expect(withRecords(completedLater, [failed]).guidedResponse?.actions[0]).toMatchObject({
      state: 'completed',
      by: 'Defender Experts',
    });
    // An older source state does not hide the bot's newer record; a pending source never does.
    const completedBefore = withActionState('completed', '2026-11-27T09:00:00.000Z', 'Defender Experts');
    expect(withRecords(completedBefore, [failed]).guidedResponse?.actions[0]).toMatchObject({
      state: 'failed',
    });
    expect(withRecords(incident, [failed]).guidedResponse?.actions[0]).toMatchObject({ state: 'failed' });
  });
});

function withActionState(state: 'completed', at: string, by: string) {
  const actions = incident.guidedResponse?.actions ?? [];
  return {
    ...incident,
    guidedResponse: {
      investigationSummary: 'x',
      actions: actions.map((a, i) => (i === 0 ? { ...a, state, at, by } : a)),
    },
  };
}
