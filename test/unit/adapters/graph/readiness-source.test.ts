import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphReadinessSource } from '../../../../adapters/graph/readiness-source.js';
import { seedsFrom } from '../../../../bot/sdm/checklist.js';
import { type GraphHarness, startGraphHarness } from '../../../support/graph-stand-in/harness.js';

// The Graph readiness source against the HTTPS Graph stand-in: the latest Secure Score and every page of
// control profiles read through the incident source's client (same tokens, same tenant budget).

let h: GraphHarness;

beforeAll(async () => {
  h = await startGraphHarness({ customers: { contoso: 0, fabrikam: 0 } });
  h.standIn.secureScores.set(h.tenantOf('contoso'), [
    {
      controlName: 'AdminMFAV2',
      title: 'Require MFA for administrative roles',
      controlCategory: 'Identity',
      maxScore: 10,
      rank: 1,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 10,
    },
    {
      controlName: 'MFARegistrationV2',
      title: 'Ensure all users can complete MFA',
      controlCategory: 'Identity',
      maxScore: 9,
      rank: 2,
      userImpact: 'Moderate',
      implementationCost: 'Moderate',
      score: 3,
      count: 31,
      total: 50,
    },
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
      controlName: 'scid_2010',
      title: 'Turn on real-time protection',
      controlCategory: 'Device',
      maxScore: 9,
      rank: 4,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 9,
    },
    {
      controlName: 'scid_2090',
      title: 'Turn on tamper protection',
      controlCategory: 'Device',
      maxScore: 8,
      rank: 5,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 2,
    },
    {
      controlName: 'OldControl',
      title: 'Retired',
      controlCategory: 'Apps',
      maxScore: 5,
      rank: 90,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 0,
      deprecated: true,
    },
    {
      controlName: 'OneAdmin',
      title: 'Designate more than one global admin',
      controlCategory: 'Identity',
      maxScore: 1,
      rank: 30,
      userImpact: 'Low',
      implementationCost: 'Low',
      score: 0,
    },
  ]);
});

afterAll(async () => {
  await h.close();
});

describe('Graph readiness source', () => {
  it('reads the score and every control profile page, and derives identities from the MFA control', async () => {
    const contoso = h.customers.find((c) => c.id === 'contoso');
    if (contoso === undefined) throw new Error('no customer');
    const snapshot = await createGraphReadinessSource(h.source.client).read(contoso);
    expect(snapshot.secureScore).toEqual({ current: 24, max: 45 });
    expect(snapshot.identities).toEqual({ protected: 31, target: 50 });
    expect(snapshot.devices).toBeNull();
    expect(snapshot.controls).toHaveLength(7);
    const paths = h.standIn
      .graphRequests(h.tenantOf('contoso'))
      .map((r) => `${r.path}?${r.query.toString()}`);
    expect(paths.filter((p) => p.startsWith('/v1.0/security/secureScoreControlProfiles'))).toHaveLength(3);
    expect(paths).toContain('/v1.0/security/secureScores?%24top=1');
  });

  it('prioritises the biggest gaps and skips done and deprecated controls', async () => {
    const contoso = h.customers.find((c) => c.id === 'contoso');
    if (contoso === undefined) throw new Error('no customer');
    const seeds = seedsFrom(await createGraphReadinessSource(h.source.client).read(contoso));
    expect(seeds.map((s) => s.key)).toEqual([
      'readiness:identities',
      'score:BlockLegacyAuthentication', // gap 8
      'score:MFARegistrationV2', // gap 6, rank 2
      'score:scid_2090', // gap 6, rank 5
      'score:OneAdmin', // gap 1
    ]);
    expect(seeds.map((s) => s.priority)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers a tenant without Secure Score data with an empty snapshot', async () => {
    const fabrikam = h.customers.find((c) => c.id === 'fabrikam');
    if (fabrikam === undefined) throw new Error('no customer');
    const snapshot = await createGraphReadinessSource(h.source.client).read(fabrikam);
    expect(snapshot).toEqual({
      devices: null,
      identities: null,
      actions: [],
      secureScore: null,
      controls: [],
    });
  });
});
