import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../../../bot/response/ports.js';
import { auditComment, targetPhrase, withRecords } from '../../../../bot/response/state.js';
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

  it('writes who, what and when into the comment', () => {
    const [device] = incident.guidedResponse?.actions ?? [];
    if (device === undefined) throw new Error('fixture');
    expect(
      auditComment({ event: 'skipped', action: device, who: 'Alice', at: record.at, note: ' reimaging ' }),
    ).toBe(
      '[Guided response] Isolate device on device WS-1 (id d-1): skipped by Alice at 2026-11-27T10:00:00.000Z (from chat) — reimaging',
    );
  });
});
