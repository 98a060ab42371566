import { expect } from 'vitest';
import { SDM_SCHEMA } from '../../adapters/store/sdm/sdm-schema.js';
import { createSdmStore } from '../../adapters/store/sdm/sdm-store.js';
import type { ChecklistItem, SdmStore } from '../../bot/sdm/sdm-ports.js';
import { adoptionSuite } from '../support/legacy-feature.js';

// The SDM tables made by the old module runner are adopted on both backends: timelines, reports, checklist,
// check-ins and their posted copies, contact requests and report posts all kept (PostgreSQL's bot-stamped
// instants and JSON become timestamptz and jsonb; the source's timeline text stays as it was) and served.

const conversation = { platform: 'slack', id: 'T1:C0123', threadId: null, kind: 'channel' };
const item = (key: string, priority: number, state: string, updatedAt: string | null) => ({
  customer_id: 'contoso',
  item_key: key,
  kind: key.startsWith('score:') ? 'secureScore' : 'readiness',
  title: `Item ${key}`,
  detail: `detail of ${key}`,
  priority,
  experts_note: 'note',
  owner: updatedAt === null ? null : 'Alex',
  due_date: updatedAt === null ? null : '2026-12-15',
  state,
  note: null,
  updated_by: updatedAt === null ? null : 'slack:U0ALEX',
  updated_at: updatedAt,
});
const snapshot = (state: string): ChecklistItem[] => [
  {
    key: 'readiness:devices',
    kind: 'readiness',
    title: 'Item readiness:devices',
    detail: 'detail of readiness:devices',
    priority: 1,
    expertsNote: 'note',
    owner: null,
    dueDate: null,
    state: state as ChecklistItem['state'],
    note: null,
    updatedBy: null,
    updatedAt: null,
  },
];
const checkin = (n: number, startedAt: string) => ({
  customer_id: 'contoso',
  id: `contoso-checkin-${n}`,
  number: n,
  started_at: startedAt,
  started_by: 'Dana',
  snapshot: JSON.stringify(snapshot(n === 1 ? 'notStarted' : 'planned')),
});
const contact = (id: string, createdAt: string, where: object | null, deliveredAt: string | null) => ({
  customer_id: 'contoso',
  id,
  kind: 'message',
  severity: null,
  text: `text of ${id}`,
  preferred_date: null,
  from_user: 'slack:U0ALEX',
  from_name: 'Alex',
  created_at: createdAt,
  fingerprint: `fp-${id}`,
  conversation: where === null ? null : JSON.stringify(where),
  delivered_at: deliveredAt,
});

adoptionSuite<SdmStore>({
  schema: SDM_SCHEMA,
  fixtures: { sqlite: 'sqlite-sdm-v3.sql', postgres: 'postgres-sdm-v3.sql' },
  rows: {
    sdm_timelines: [
      {
        customer_id: 'contoso',
        incident_id: '101',
        experts_started_at: '2026-11-20T09:00:00.1234567Z',
        handed_off_at: '2026-11-20T10:00:00Z',
        resolved_at: null,
        inferred: 1,
      },
    ],
    sdm_reports: [
      {
        customer_id: 'contoso',
        id: 'rep-1',
        created_at: '2026-11-01T08:00:00.000Z',
        figures: JSON.stringify({ customerId: 'contoso', totals: { incidents: 4 }, rows: [] }),
      },
    ],
    sdm_checklist_items: [
      item('readiness:devices', 1, 'planned', '2026-11-21T10:00:00.500Z'),
      item('score:MFA', 2, 'notStarted', null),
    ],
    sdm_checkins: [checkin(1, '2026-10-01T09:00:00.000Z'), checkin(2, '2026-11-01T09:00:00.000Z')],
    sdm_checkin_posts: [
      {
        customer_id: 'contoso',
        checkin_id: 'contoso-checkin-2',
        conversation_id: conversation.id,
        conversation: JSON.stringify(conversation),
        message_id: '1700000000.000100',
      },
    ],
    sdm_contact_requests: [
      contact('req-1', '2026-11-20T08:00:00.000Z', conversation, '2026-11-20T08:00:01.000Z'),
      contact('req-2', '2026-11-21T08:00:00.000Z', conversation, null),
      contact('req-3', '2026-11-22T08:00:00.000Z', null, null),
    ],
    sdm_report_posts: [
      {
        customer_id: 'contoso',
        month: '2026-10',
        binding_id: 'bind-1',
        claimed_at: '2026-11-02T10:00:00.000Z',
        posted_at: '2026-11-02T10:00:03.000Z',
      },
    ],
  },
  keys: {
    sdm_timelines: 'customer_id, incident_id',
    sdm_reports: 'customer_id, id',
    sdm_checklist_items: 'customer_id, item_key',
    sdm_checkins: 'customer_id, number',
    sdm_checkin_posts: 'customer_id, checkin_id, conversation_id',
    sdm_contact_requests: 'customer_id, id',
    sdm_report_posts: 'customer_id, month, binding_id',
  },
  postgresTypes: {
    'sdm_timelines.experts_started_at': 'text',
    'sdm_reports.created_at': 'timestamp with time zone',
    'sdm_reports.figures': 'jsonb',
    'sdm_checklist_items.updated_at': 'timestamp with time zone',
    'sdm_checklist_items.due_date': 'text',
    'sdm_checkins.started_at': 'timestamp with time zone',
    'sdm_checkins.snapshot': 'jsonb',
    'sdm_checkin_posts.conversation': 'jsonb',
    'sdm_contact_requests.created_at': 'timestamp with time zone',
    'sdm_contact_requests.conversation': 'jsonb',
    'sdm_contact_requests.delivered_at': 'timestamp with time zone',
    'sdm_report_posts.claimed_at': 'timestamp with time zone',
    'sdm_report_posts.posted_at': 'timestamp with time zone',
  },
  open: createSdmStore,
  async served(store) {
    expect(await store.listTimelines('contoso', ['101'])).toEqual([
      {
        customerId: 'contoso',
        incidentId: '101',
        expertsStartedAt: '2026-11-20T09:00:00.1234567Z',
        handedOffAt: '2026-11-20T10:00:00Z',
        resolvedAt: null,
        inferred: true,
      },
    ]);
    const report = await store.getReport('contoso', 'rep-1');
    expect(report?.createdAt).toBe('2026-11-01T08:00:00.000Z');
    expect(JSON.parse(report?.figures ?? 'null')).toEqual({
      customerId: 'contoso',
      totals: { incidents: 4 },
      rows: [],
    });
    const items = await store.listItems('contoso');
    expect(items.map((i) => [i.key, i.state, i.owner, i.dueDate, i.updatedAt])).toEqual([
      ['readiness:devices', 'planned', 'Alex', '2026-12-15', '2026-11-21T10:00:00.500Z'],
      ['score:MFA', 'notStarted', null, null, null],
    ]);
    const latest = await store.latestCheckin('contoso');
    expect([latest?.number, latest?.startedAt, latest?.snapshot]).toEqual([
      2,
      '2026-11-01T09:00:00.000Z',
      snapshot('planned'),
    ]);
    expect((await store.getCheckin('contoso', 1))?.snapshot).toEqual(snapshot('notStarted'));
    expect(await store.listCheckinPosts('contoso', 'contoso-checkin-2')).toEqual([
      { customerId: 'contoso', checkinId: 'contoso-checkin-2', conversation, messageId: '1700000000.000100' },
    ]);
    const requests = await store.listContactRequests('contoso', 10);
    expect(requests.map((r) => [r.id, r.createdAt, r.conversation, r.deliveredAt])).toEqual([
      ['req-3', '2026-11-22T08:00:00.000Z', null, null],
      ['req-2', '2026-11-21T08:00:00.000Z', conversation, null],
      ['req-1', '2026-11-20T08:00:00.000Z', conversation, '2026-11-20T08:00:01.000Z'],
    ]);
    expect(
      (await store.listUndeliveredContactRequests('contoso', '2026-11-01T00:00:00.000Z', 10)).map(
        (r) => r.id,
      ),
    ).toEqual(['req-2']);
    expect(
      await store.claimReportPost(
        { customerId: 'contoso', month: '2026-10', bindingId: 'bind-1' },
        '2026-12-01T00:00:00.000Z',
        '2026-11-30T23:50:00.000Z',
      ),
    ).toEqual({ status: 'posted', at: '2026-11-02T10:00:03.000Z' });
    // The next check-in follows the adopted ones and diffs against the last snapshot.
    const next = await store.startCheckin('contoso', [], 'Dana', '2026-12-01T09:00:00.000Z');
    expect([next.checkin.number, next.previous?.number, next.created]).toEqual([3, 2, true]);
  },
});
