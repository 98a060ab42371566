import { expect } from 'vitest';
import { USER_CHECKS_SCHEMA } from '../../adapters/store/user-check/user-check-schema.js';
import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { PersonAddress } from '../../bot/domain/user-check.js';
import type { UserCheckStore } from '../../bot/user-check/user-check-ports.js';
import { adoptionSuite } from '../support/legacy-feature.js';

// "Was this you?" questions made by the old module runner are adopted on both backends: every row kept
// (PostgreSQL's text instants and JSON become timestamptz and jsonb) and served by the new store, which goes
// on from the adopted state (the open question stays the one open question, its stages stamp once).

const dm: ConversationRef = {
  platform: 'slack',
  id: 'slack:T0CONTOSO:D0ALEX',
  threadId: null,
  kind: 'personal',
};
const requester: PersonAddress = {
  platform: 'slack',
  workspace: 'T0CONTOSO',
  userId: 'U0DANA',
  name: 'Dana',
  direct: null,
};

/** A row as the old stores wrote it: JSON as text, instants as ISO text, the upn's key in lower case. */
const row = (id: string, incidentId: string, upn: string, fields: Record<string, unknown>) => ({
  id,
  customer_id: 'contoso',
  incident_id: incidentId,
  upn,
  upn_key: upn.toLowerCase(),
  platform: 'slack',
  target_user_id: 'U0ALEX',
  dm: JSON.stringify(dm),
  dm_message_id: null,
  seen: 'Sign-in to Exchange Online from 203.0.113.7, Lagos, at 03:12 UTC',
  requester_id: 'slack:U0DANA',
  requester: JSON.stringify(requester),
  state: 'asked',
  answer: null,
  note: null,
  answered_at: null,
  reason: null,
  created_at: '2026-11-20T08:00:00.000Z',
  reminded_at: null,
  escalated_at: null,
  comment: 'none',
  comment_attempts: 0,
  ...fields,
});

adoptionSuite<UserCheckStore>({
  schema: USER_CHECKS_SCHEMA,
  fixtures: { sqlite: 'sqlite-user-checks-v1.sql', postgres: 'postgres-user-checks-v1.sql' },
  rows: {
    user_checks: [
      row('UC-ANSWR1', '101', 'Megan.Bowen@contoso.example', {
        ...{ state: 'answered', answer: 'no', note: 'not me', answered_at: '2026-11-20T07:30:00.250Z' },
        ...{ created_at: '2026-11-20T07:00:00.000Z', comment: 'pending', comment_attempts: 1, dm: null },
      }),
      row('UC-ASKED1', '101', 'Alex.Wilber@contoso.example', {
        ...{ dm_message_id: 'msg-1', reminded_at: '2026-11-20T09:00:00.000Z' },
      }),
      row('UC-CANCL1', '102', 'Alex.Wilber@contoso.example', {
        ...{ state: 'cancelled', reason: 'withdrawn by Dana', answered_at: '2026-11-20T08:30:00.000Z' },
      }),
    ],
  },
  keys: { user_checks: 'id' },
  postgresTypes: {
    'user_checks.created_at': 'timestamp with time zone',
    'user_checks.answered_at': 'timestamp with time zone',
    'user_checks.reminded_at': 'timestamp with time zone',
    'user_checks.escalated_at': 'timestamp with time zone',
    'user_checks.dm': 'jsonb',
    'user_checks.requester': 'jsonb',
  },
  open: createUserCheckStore,
  async served(store) {
    const asked = await store.get('contoso', 'UC-ASKED1');
    expect(asked).toEqual({
      ...{ id: 'UC-ASKED1', customerId: 'contoso', incidentId: '101', upn: 'Alex.Wilber@contoso.example' },
      ...{ platform: 'slack', targetUserId: 'U0ALEX', dm, dmMessageId: 'msg-1', requesterId: 'slack:U0DANA' },
      ...{ seen: 'Sign-in to Exchange Online from 203.0.113.7, Lagos, at 03:12 UTC', requester },
      ...{ state: 'asked', answer: null, note: null, answeredAt: null, reason: null },
      ...{ createdAt: '2026-11-20T08:00:00.000Z', remindedAt: '2026-11-20T09:00:00.000Z', escalatedAt: null },
      ...{ comment: 'none', commentAttempts: 0 },
    });
    expect(await store.get('contoso', 'UC-ANSWR1')).toMatchObject({
      ...{
        state: 'answered',
        answer: 'no',
        note: 'not me',
        answeredAt: '2026-11-20T07:30:00.250Z',
        dm: null,
      },
      ...{ comment: 'pending', commentAttempts: 1 },
    });
    expect(await store.get('contoso', 'UC-CANCL1')).toMatchObject({
      ...{ state: 'cancelled', reason: 'withdrawn by Dana', answeredAt: '2026-11-20T08:30:00.000Z' },
    });
    const onIncident = await store.listForIncident('contoso', '101');
    expect(onIncident.map((c) => c.id)).toEqual(['UC-ANSWR1', 'UC-ASKED1']);
    expect((await store.listUncommented(3, 10)).map((c) => c.id)).toEqual(['UC-ANSWR1']);
    const due = async () => (await store.listAskedBefore('2026-11-21T00:00:00.000Z', 10)).map((c) => c.id);
    expect(await due()).toEqual(['UC-ASKED1']);

    // The adopted open question is still the one open question for that person and incident.
    const again = await store.create({
      ...{ id: 'UC-AGAIN1', customerId: 'contoso', incidentId: '101', upn: 'alex.wilber@CONTOSO.example' },
      ...{ platform: 'slack', targetUserId: 'U0ALEX', dm, seen: 'again', requesterId: 'slack:U0DANA' },
      ...{ requester, createdAt: '2026-11-20T10:00:00.000Z' },
    });
    expect(again).toEqual({ check: asked, created: false });
    // Its reminder was stamped by the old code: only the escalation is left, once.
    expect(await store.markStage('contoso', 'UC-ASKED1', 'reminded', '2026-11-20T10:00:00.000Z')).toBe(false);
    expect(await store.markStage('contoso', 'UC-ASKED1', 'escalated', '2026-11-20T12:00:00.000Z')).toBe(true);
    expect(await due()).toEqual([]);
    const answered = await store.answer('contoso', 'UC-ASKED1', 'yes', null, '2026-11-20T12:05:00.000Z');
    expect(answered).toMatchObject({ state: 'answered', answeredAt: '2026-11-20T12:05:00.000Z' });
    expect(await store.answer('contoso', 'UC-ASKED1', 'no', null, '2026-11-20T12:06:00.000Z')).toBeNull();
    expect((await store.listUncommented(3, 10)).map((c) => c.id)).toEqual(['UC-ANSWR1', 'UC-ASKED1']);
  },
});
