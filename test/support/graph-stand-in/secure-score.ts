import { type GraphAnswer, graphError } from './graph-api.js';

// Microsoft Secure Score on the Graph stand-in, for readiness check-ins: GET /v1.0/security/secureScores
// (newest day first, $top) and GET /v1.0/security/secureScoreControlProfiles (paged with @odata.nextLink),
// in the v1.0 JSON shapes (secureScore with controlScores; secureScoreControlProfile).

export interface StandInControl {
  readonly controlName: string;
  readonly title: string;
  readonly controlCategory: string;
  readonly maxScore: number;
  readonly rank: number;
  readonly userImpact: string;
  readonly implementationCost: string;
  readonly deprecated?: boolean;
  /** The tenant's score for it today. */
  readonly score: number;
  /** controlScores' count/total (users registered for MFA, for example), as Graph spells them: strings. */
  readonly count?: number;
  readonly total?: number;
}

/** Secure Score per tenant; tests set the controls and read how often the stand-in was asked. */
export class SecureScoreBook {
  private readonly tenants = new Map<
    string,
    { controls: StandInControl[]; activeUsers: number; licensed: number }
  >();
  /** Profiles per page, small so the reader must follow nextLink. */
  pageSize = 3;

  set(tenantId: string, controls: StandInControl[], users = { active: 40, licensed: 50 }): void {
    this.tenants.set(tenantId, { controls, activeUsers: users.active, licensed: users.licensed });
  }

  scores(tenantId: string, createdDateTime: string): unknown[] {
    const t = this.tenants.get(tenantId);
    if (t === undefined) return [];
    const live = t.controls.filter((c) => c.deprecated !== true);
    return [
      {
        id: `${tenantId}_${createdDateTime.slice(0, 10)}`,
        azureTenantId: tenantId,
        activeUserCount: t.activeUsers,
        createdDateTime,
        currentScore: live.reduce((n, c) => n + c.score, 0),
        maxScore: live.reduce((n, c) => n + c.maxScore, 0),
        enabledServices: ['HasAADP1', 'HasMDEP2'],
        licensedUserCount: t.licensed,
        averageComparativeScores: [{ basis: 'AllTenants', averageScore: 47.96 }],
        controlScores: t.controls.map((c) => ({
          controlCategory: c.controlCategory,
          controlName: c.controlName,
          description: c.title,
          score: c.score,
          ...(c.count === undefined ? {} : { count: String(c.count), total: String(c.total ?? 0) }),
        })),
        vendorInformation: {
          provider: 'SecureScore',
          providerVersion: null,
          subProvider: null,
          vendor: 'Microsoft',
        },
      },
    ];
  }

  profiles(tenantId: string): unknown[] {
    return (this.tenants.get(tenantId)?.controls ?? []).map((c) => ({
      id: c.controlName,
      azureTenantId: tenantId,
      controlName: c.controlName,
      title: c.title,
      controlCategory: c.controlCategory,
      actionType: 'Config',
      service: 'AzureAD',
      maxScore: c.maxScore,
      tier: 'Core',
      userImpact: c.userImpact,
      implementationCost: c.implementationCost,
      rank: c.rank,
      threats: ['Account breach'],
      deprecated: c.deprecated === true,
      remediation: '<p>Do it.</p>',
      remediationImpact: '',
      actionUrl: 'https://security.microsoft.com/securescore',
      controlStateUpdates: [],
      vendorInformation: {
        provider: 'SecureScore',
        providerVersion: null,
        subProvider: null,
        vendor: 'Microsoft',
      },
    }));
  }
}

/** Answers the two Secure Score endpoints; null for any other request. */
export function secureScoreAnswer(
  book: SecureScoreBook,
  tenantId: string,
  method: string,
  url: URL,
  origin: string,
  now: number,
): GraphAnswer | null {
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '/v1.0/security/secureScores' && path !== '/v1.0/security/secureScoreControlProfiles')
    return null;
  if (method !== 'GET') return graphError(405, 'MethodNotAllowed', 'Only GET is supported.');
  if (path === '/v1.0/security/secureScores') {
    const top = Number(url.searchParams.get('$top') ?? '90');
    const today = new Date(now).toISOString().slice(0, 10);
    return {
      status: 200,
      body: {
        '@odata.context': `${origin}/v1.0/$metadata#security/secureScores`,
        value: book.scores(tenantId, `${today}T00:00:00Z`).slice(0, top),
      },
    };
  }
  const skip = Number(url.searchParams.get('$skip') ?? '0');
  const all = book.profiles(tenantId);
  const page = all.slice(skip, skip + book.pageSize);
  const next = skip + book.pageSize < all.length;
  return {
    status: 200,
    body: {
      '@odata.context': `${origin}/v1.0/$metadata#security/secureScoreControlProfiles`,
      value: page,
      ...(next
        ? {
            '@odata.nextLink': `${origin}/v1.0/security/secureScoreControlProfiles?$skip=${skip + book.pageSize}`,
          }
        : {}),
    },
  };
}
