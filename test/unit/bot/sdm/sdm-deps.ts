import { createReportLinks } from '../../../../adapters/http/report-files.js';
import { createLinkSigner } from '../../../../adapters/http/signed-links.js';
import { createSimulatedReadinessSource } from '../../../../adapters/simulated/readiness.js';
import type { SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { createSdmStore } from '../../../../adapters/store/sdm/sdm-store.js';
import type { Platform } from '../../../../bot/domain/actor.js';
import type { ChannelBinding } from '../../../../bot/domain/conversation.js';
import type { ChatPort } from '../../../../bot/ports.js';
import type { SdmContactDelivery, SdmDeps } from '../../../../bot/sdm/deps.js';
import { type CoreHarness, createCoreHarness } from '../../../support/core-harness.js';
import { createRecordingChat, type RecordingChat } from '../../../support/recording-chat.js';

// The SDM feature's real parts (SQLite store on the harness's file, simulated readiness, signed links) for
// flow tests through createCoreHarness's `deps` option. `contact` is passed in: tests choose the relay.

export const LINK_SECRET = 's'.repeat(40);

export async function sdmDepsFor(
  store: SqliteStore,
  chatFor: (p: Platform) => ChatPort | undefined,
  contact: SdmContactDelivery,
  localBase = 'http://127.0.0.1:3978',
): Promise<SdmDeps> {
  return {
    store: await createSdmStore(store.host),
    readiness: createSimulatedReadinessSource(),
    links: createReportLinks({
      signer: createLinkSigner(LINK_SECRET),
      publicBase: undefined,
      localBase: () => localBase,
    }),
    chatFor,
    contact,
  };
}

/** A core harness with the SDM feature (no contact relay) and Contoso's console alert channel bound. */
export async function createSdmFlowHarness(): Promise<{
  readonly h: CoreHarness;
  readonly chat: RecordingChat;
  readonly sdm: SdmDeps;
}> {
  let chat: RecordingChat | undefined;
  let sdm: SdmDeps | undefined;
  const h = await createCoreHarness({
    deps: async ({ store, clock }) => {
      const recording = createRecordingChat(clock);
      chat = recording;
      sdm = await sdmDepsFor(store, (p) => (p === 'web' ? recording : undefined), {
        deliver: async () => ({ delivered: false, where: 'not used here' }),
      });
      return { sdm };
    },
  });
  if (chat === undefined || sdm === undefined) throw new Error('SDM deps were not built');
  const binding: ChannelBinding = {
    id: 'b-contoso',
    customerId: 'contoso',
    conversation: { platform: 'web', id: 'web:alerts:contoso', threadId: null, kind: 'channel' },
    events: ['handedOff'],
    onCall: null,
    createdBy: 'web:contoso-admin',
    createdAt: '2026-11-01T00:00:00.000Z',
    paused: false,
  };
  await h.store.saveBinding(binding);
  return { h, chat, sdm };
}
