import { expect } from 'vitest';
import type { CoreStore } from '../../adapters/store/core/core-store.js';
import type { FeatureHost } from '../../adapters/store/host.js';
import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import { createSdmStore } from '../../adapters/store/sdm/sdm-store.js';
import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import type { Question } from '../../bot/domain/question.js';
import { makeIncident } from './make-incident.js';

// The database a released build leaves: every feature opened on a fresh store, and a few rows written
// through the stores (test/fixtures/release-store holds its description and dump, made by that build).

export const RELEASE_INCIDENT = makeIncident('contoso', {
  id: '101',
  lastUpdateDateTime: '2026-11-20T09:00:00.000Z',
});
export const RELEASE_BINDING: ChannelBinding = {
  id: 'bind-1',
  customerId: 'contoso',
  conversation: { platform: 'teams', id: '19:abc@thread.tacv2', threadId: null, kind: 'channel' },
  events: ['new', 'update'],
  onCall: null,
  createdBy: 'alice@contoso.example',
  createdAt: '2026-11-20T08:00:00.000Z',
  paused: false,
};
export const RELEASE_QUESTION: Question = {
  id: 'Q-REL1',
  customerId: 'contoso',
  askerId: 'slack:U0ALICE',
  askerName: 'Alice',
  topic: 'other',
  text: 'Is this expected?',
  context: null,
  incidentId: '101',
  state: 'open',
  claimedBy: null,
  claimedByName: null,
  createdAt: '2026-11-20T08:00:00.000Z',
  firstResponseAt: null,
  resolvedAt: null,
  resolvedBy: null,
  reopenCount: 0,
  lastActivityAt: '2026-11-20T08:00:00.000Z',
};

/** Opens every feature store on the host (each migrates its tables), as start-up does. */
export async function openAllFeatures(host: FeatureHost) {
  return {
    relay: await createRelayStore(host, { instanceTimeoutMs: 15_000 }),
    questions: await createQuestionsStore(host),
    responses: await createResponseStore(host),
    sdm: await createSdmStore(host),
    userChecks: await createUserCheckStore(host),
  };
}

export async function writeReleaseRows(store: CoreStore): Promise<void> {
  const features = await openAllFeatures(store.host);
  await store.saveBinding(RELEASE_BINDING);
  await store.saveIncidentChanges('contoso', [RELEASE_INCIDENT], 'cursor-1');
  await store.enqueueOutbox([
    {
      bindingId: 'bind-1',
      customerId: 'contoso',
      incidentId: '101',
      kind: 'new',
      version: 'v1',
      payload: { n: 1 },
    },
  ]);
  await store.saveInstallation('slack', 'T1', { team: { id: 'T1' } });
  // Far in the future (the committed fixtures hold 2100-01-01): a live claim must hold whatever the clock says.
  await store.claimOnce('teams:activity:1', CLAIM_RETAIN_SECONDS);
  if (!(await features.questions.create(RELEASE_QUESTION, null)).ok) throw new Error('question refused');
}

const CLAIM_RETAIN_SECONDS = (Date.UTC(2100, 0, 1) - Date.UTC(2026, 11, 6)) / 1000;

/** What a store opened on that database must serve. */
export async function expectReleaseRowsServed(store: CoreStore): Promise<void> {
  const features = await openAllFeatures(store.host);
  expect(await store.getBinding('bind-1')).toEqual(RELEASE_BINDING);
  expect(await store.getIncident('contoso', '101')).toEqual(RELEASE_INCIDENT);
  expect(await store.getCursor('contoso')).toBe('cursor-1');
  expect(await store.getInstallation('slack', 'T1')).toEqual({ team: { id: 'T1' } });
  expect(await store.countPendingOutbox()).toBe(1);
  expect(await store.claimOnce('teams:activity:1', 3600)).toBe(false);
  expect(await features.questions.get('contoso', 'Q-REL1')).toEqual(RELEASE_QUESTION);
}
