import { createReportLinks } from '../../../../adapters/http/report-files.js';
import { createLinkSigner } from '../../../../adapters/http/signed-links.js';
import { createSimulatedReadinessSource } from '../../../../adapters/simulated/readiness.js';
import { createSqliteSdmStore } from '../../../../adapters/sqlite/sdm-store.js';
import type { SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import type { Platform } from '../../../../bot/domain/actor.js';
import type { ChatPort } from '../../../../bot/ports.js';
import type { SdmContactDelivery, SdmDeps } from '../../../../bot/sdm/deps.js';

// The SDM feature's real parts (SQLite store on the harness's file, simulated readiness, signed links) for
// flow tests through createCoreHarness's `deps` option. `contact` is passed in: tests choose the relay.

export const LINK_SECRET = 's'.repeat(40);

export function sdmDepsFor(
  store: SqliteStore,
  chatFor: (p: Platform) => ChatPort | undefined,
  contact: SdmContactDelivery,
  localBase = 'http://127.0.0.1:3978',
): SdmDeps {
  return {
    store: createSqliteSdmStore(store),
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
