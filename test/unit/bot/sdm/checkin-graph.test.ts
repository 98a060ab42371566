import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphReadinessSource } from '../../../../adapters/graph/readiness-source.js';
import { CHECKIN_OPEN_MS } from '../../../../bot/flows/readiness-checkin.js';
import type { Reply } from '../../../../bot/ports.js';
import type { SdmDeps } from '../../../../bot/sdm/deps.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';
import { type GraphHarness, startGraphHarness } from '../../../support/graph-stand-in/harness.js';
import { sdmDepsFor } from './sdm-deps.js';

// `checkin start` with INCIDENT_SOURCE=graph: the checklist comes from the customer's tenant's Secure Score
// on the HTTPS Graph stand-in; a tenant that refuses the app starts no check-in and says so.

const dana = webUser('dana@provider.example', 'experts');
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
let g: GraphHarness;
let h: CoreHarness;
let sdm: SdmDeps;

beforeAll(async () => {
  g = await startGraphHarness({ customers: {} });
  h = await createCoreHarness({
    deps: async ({ store }) => {
      sdm = {
        ...(await sdmDepsFor(store, () => undefined, {
          deliver: async () => ({ delivered: false, where: 'unused' }),
        })),
        readiness: createGraphReadinessSource(g.source.client),
      };
      return { sdm };
    },
  });
  const contoso = h.directory.customers.find((c) => c.id === 'contoso')?.entraTenantId ?? '';
  g.standIn.addTenant(contoso);
  g.standIn.secureScores.set(contoso, [
    {
      controlName: 'BlockLegacyAuthentication',
      title: 'Block legacy authentication',
      controlCategory: 'Identity',
      maxScore: 8,
      rank: 3,
      userImpact: 'Moderate',
      implementationCost: 'Moderate',
      score: 0,
    },
    {
      controlName: 'AdminMFAV2',
      title: 'Require MFA for admins',
      controlCategory: 'Identity',
      maxScore: 10,
      rank: 1,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 10,
    },
  ]);
}, 30_000);

afterAll(async () => {
  await h.cleanup();
  await g.close();
});

describe('check-in from Microsoft Graph', () => {
  it('builds the checklist from the tenant’s Secure Score', async () => {
    expect(texts(await h.say(dana, 'checkin start contoso'))).toMatch(/Readiness check-in #1 — Contoso Ltd/);
    expect((await sdm.store.listItems('contoso')).map((i) => i.key)).toEqual([
      'score:BlockLegacyAuthentication',
    ]);
  });

  it('starts nothing when the tenant refuses the app, and says so', async () => {
    const contoso = h.directory.customers.find((c) => c.id === 'contoso')?.entraTenantId ?? '';
    g.standIn.revoke(contoso, 'api');
    h.clock.advance(CHECKIN_OPEN_MS); // past the first check-in's open week, so a new one is attempted
    expect(texts(await h.say(dana, 'checkin start contoso'))).toMatch(/could not be read right now/);
    expect((await sdm.store.latestCheckin('contoso'))?.number).toBe(1);
  });
});
