import type { Customer } from '../../bot/domain/customer.js';
import type { ReadinessSnapshot, ReadinessSource, SecureScoreControl } from '../../bot/sdm/sdm-ports.js';
import type { GraphClient } from './graph-client.js';

// Readiness from Microsoft Graph (v1.0): the tenant's latest Secure Score (`/security/secureScores?$top=1`)
// and its control profiles (`/security/secureScoreControlProfiles`), through the incident source's client
// so the tenant's request budget, throttling and credentials are shared. Graph has no readiness-assessment
// API: identities come from the MFA registration control's count/total; devices are not reported (null).

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
/** Graph spells some numbers as strings (maxScore in older payloads, count/total in controlScores). */
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

const MAX_PROFILE_PAGES = 10;
const MFA_CONTROLS = ['MFARegistrationV2', 'mfaRegistration'];

/** Parses one secureScoreControlProfile joined with the tenant's score for it. */
export function controlFromGraph(
  profile: unknown,
  scores: ReadonlyMap<string, number>,
): SecureScoreControl | null {
  const p = obj(profile);
  const id = str(p.controlName || p.id).trim();
  if (id === '') return null;
  return {
    id,
    title: str(p.title) || id,
    category: str(p.controlCategory),
    score: scores.get(id) ?? 0,
    maxScore: num(p.maxScore) ?? 0,
    rank: num(p.rank) ?? 999,
    userImpact: str(p.userImpact),
    implementationCost: str(p.implementationCost),
    deprecated: p.deprecated === true,
  };
}

/** Builds the snapshot from the two Graph answers (exported for tests of the parsing alone). */
export function readinessFromGraph(secureScores: unknown, profiles: readonly unknown[]): ReadinessSnapshot {
  const latest = obj(arr(obj(secureScores).value)[0]);
  const controlScores = arr(latest.controlScores).map(obj);
  const scores = new Map<string, number>();
  for (const c of controlScores) {
    const score = num(c.score);
    if (str(c.controlName) !== '' && score !== null) scores.set(str(c.controlName), score);
  }
  const mfa = controlScores.find((c) => MFA_CONTROLS.includes(str(c.controlName)));
  const count = num(mfa?.count);
  const total = num(mfa?.total);
  const current = num(latest.currentScore);
  const max = num(latest.maxScore);
  return {
    devices: null,
    identities: count !== null && total !== null && total > 0 ? { protected: count, target: total } : null,
    actions: [],
    secureScore: current !== null && max !== null ? { current, max } : null,
    controls: profiles
      .map((p) => controlFromGraph(p, scores))
      .filter((c): c is SecureScoreControl => c !== null),
  };
}

/** The Graph readiness source over the shared Graph client. */
export function createGraphReadinessSource(client: GraphClient): ReadinessSource {
  return {
    async read(customer: Customer) {
      const scores = await client.send(customer, {
        method: 'GET',
        url: '/v1.0/security/secureScores?$top=1',
        idempotent: true,
      });
      const profiles: unknown[] = [];
      let next: string | null = '/v1.0/security/secureScoreControlProfiles';
      for (let page = 0; next !== null && page < MAX_PROFILE_PAGES; page += 1) {
        const res = await client.send(customer, { method: 'GET', url: next, idempotent: true });
        const body = obj(res.body);
        profiles.push(...arr(body.value));
        const link = body['@odata.nextLink'];
        next = typeof link === 'string' && link !== '' ? link : null;
      }
      return readinessFromGraph(scores.status === 404 ? {} : scores.body, profiles);
    },
  };
}
