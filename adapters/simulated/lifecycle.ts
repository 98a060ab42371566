import type { KnownSeverity } from '../../bot/domain/enums.js';
import type { ActionSpec, AssetContext, GraphAction, GraphAlert, GraphIncident } from './graph-json.js';
import type { Random } from './random.js';
import { onDevice, onUser, type Scenario } from './scenario-kit.js';

// The Defender Experts service's incident lifecycle as pure functions on the Graph wire shape: each takes an
// incident and the change's timestamp and returns the next version. No validation here: the source checks
// that a transition is allowed before calling one of these.

/** Graph's free-text assignedTo values the portal shows as "Defender Experts" and "Customer". */
export const EXPERTS = 'Defender Experts';
export const CUSTOMER = 'Customer';
/** The system tag Microsoft puts on incidents the experts handle. */
export const EXPERTS_TAG = 'Defender Experts';

const SOURCE_PREFIX: Readonly<Record<string, string>> = {
  microsoftDefenderForEndpoint: 'da',
  microsoftDefenderForOffice365: 'fa',
  microsoftDefenderForIdentity: 'aa',
  microsoftDefenderForCloudApps: 'ca',
  microsoftEntraIdProtection: 'ad',
};

const PRIORITY: Readonly<Record<KnownSeverity, readonly [number, number]>> = {
  high: [70, 96],
  medium: [40, 69],
  low: [12, 39],
  informational: [1, 11],
};

const MINUTE = 60_000;

const PLACES: Readonly<Record<string, string>> = {
  NL: 'Amsterdam, Netherlands',
  RO: 'Bucharest, Romania',
  BR: 'São Paulo, Brazil',
  VN: 'Hanoi, Vietnam',
  NG: 'Lagos, Nigeria',
  US: 'Ashburn, United States',
  DE: 'Frankfurt, Germany',
};

/**
 * The user and sign-in evidence of one alert, from the context already drawn (no extra draws, so every
 * seeded stream stays as it was): the people it names with their object ids, and for sign-in alerts where from.
 */
function evidence(a: GraphAlert, ctx: AssetContext): Pick<GraphAlert, 'users' | 'signIn'> {
  const people = [ctx.user, ctx.user2, ctx.breakGlass].filter((u) => a.assets.includes(u.upn));
  const users = people.map((u) => ({ upn: u.upn, objectId: u.id }));
  const signIn = /sign-in|sign in|logon/i.test(a.title)
    ? {
        app: 'Exchange Online',
        ip: ctx.ip,
        location: PLACES[ctx.country] ?? ctx.country,
        at: a.createdDateTime,
        newDevice: /unfamiliar|new device|anonymous/i.test(a.title),
      }
    : undefined;
  return { ...(users.length > 0 ? { users } : {}), ...(signIn === undefined ? {} : { signIn }) };
}

/** Builds a brand-new Active, unassigned incident from a scenario (alerts slightly precede it). */
export function newIncident(args: {
  readonly id: string;
  readonly scenario: Scenario;
  readonly ctx: AssetContext;
  readonly rng: Random;
  readonly at: string;
  readonly tenantId: string;
}): GraphIncident {
  const { id, scenario, ctx, rng, at } = args;
  const created = Date.parse(at);
  const n = scenario.alerts.length;
  const alerts: GraphAlert[] = scenario.alerts
    .map((t, i) => ({
      id: `${SOURCE_PREFIX[t.serviceSource] ?? 'ma'}${rng.int(100000000, 999999999)}${rng.int(100000000, 999999999)}_${rng.int(100000000, 2147483647)}`,
      title: t.title,
      severity: t.severity,
      status: 'new',
      category: t.category,
      serviceSource: t.serviceSource,
      detectionSource: t.detectionSource,
      createdDateTime: new Date(created - (n - 1 - i) * rng.int(1, 6) * MINUTE).toISOString(),
      assets: t.assets(ctx),
    }))
    .map((a) => ({ ...a, ...evidence(a, ctx) }));
  const [lo, hi] = PRIORITY[scenario.severity];
  return {
    id,
    displayName: scenario.title,
    description: scenario.description(ctx),
    status: 'active',
    severity: scenario.severity,
    assignedTo: null,
    classification: 'unknown',
    determination: 'unknown',
    createdDateTime: at,
    lastUpdateDateTime: at,
    systemTags: [],
    customTags: [],
    priorityScore: rng.int(lo, hi),
    incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${args.tenantId}`,
    redirectIncidentId: null,
    summary: null,
    resolvingComment: null,
    comments: [],
    alerts,
    guidedResponse: null,
  };
}

const withComment = (inc: GraphIncident, by: string, text: string, at: string): GraphIncident => ({
  ...inc,
  comments: [...inc.comments, { comment: text, createdBy: by, createdDateTime: at }],
  lastUpdateDateTime: at,
});

const alertsIn = (inc: GraphIncident, status: string): GraphIncident => ({
  ...inc,
  alerts: inc.alerts.map((a) => ({ ...a, status })),
});

/** Step 1: the experts pick the incident up (In progress, assigned to Defender Experts, tagged). */
export function startInvestigation(inc: GraphIncident, by: string, text: string, at: string): GraphIncident {
  const tags = inc.systemTags.includes(EXPERTS_TAG) ? inc.systemTags : [...inc.systemTags, EXPERTS_TAG];
  return withComment(
    alertsIn({ ...inc, status: 'inProgress', assignedTo: EXPERTS, systemTags: tags }, 'inProgress'),
    by,
    text,
    at,
  );
}

/** Step 2 (and 3): the verdict; false positives and informational incidents are resolved at once. */
export function conclude(
  inc: GraphIncident,
  verdict: { classification: string; determination: string; summary: string },
  by: string,
  at: string,
): GraphIncident {
  const next = withComment(
    {
      ...inc,
      classification: verdict.classification,
      determination: verdict.determination,
      summary: verdict.summary,
    },
    by,
    verdict.summary,
    at,
  );
  return verdict.classification === 'truePositive' ? next : closed(next, verdict.summary);
}

const closed = (inc: GraphIncident, resolvingComment: string): GraphIncident =>
  alertsIn({ ...inc, status: 'resolved', assignedTo: null, resolvingComment }, 'resolved');

/** Numbers recommended actions within the incident and leaves them pending for the customer. */
export function pendingActions(incidentId: string, specs: readonly ActionSpec[]): GraphAction[] {
  return specs.map((s, i) => ({
    id: `${incidentId}-${i + 1}`,
    kind: s.kind,
    target: s.target,
    state: 'pending',
    by: null,
    at: null,
    note: null,
  }));
}

/** Step 4, Security Reader: the handoff (Awaiting customer action, assigned to Customer). */
export function handOff(
  inc: GraphIncident,
  guided: { investigationSummary: string; actions: readonly GraphAction[] },
  by: string,
  text: string,
  at: string,
): GraphIncident {
  return withComment(
    { ...inc, status: 'awaitingAction', assignedTo: CUSTOMER, guidedResponse: guided },
    by,
    text,
    at,
  );
}

/**
 * Step 4, Security Operator: the experts run every action themselves. Excluded assets cannot be acted on
 * automatically, so those are recorded as skipped with guidance.
 */
export function performActions(
  inc: GraphIncident,
  guided: { investigationSummary: string; actions: readonly GraphAction[] },
  text: string,
  at: string,
): GraphIncident {
  const actions = guided.actions.map((a) =>
    a.state !== 'pending' && a.state !== 'inProgress'
      ? a
      : a.target.excluded
        ? {
            ...a,
            state: 'skipped',
            by: EXPERTS,
            at,
            note: 'Excluded asset: follow the guidance in the summary.',
          }
        : { ...a, state: 'completed', by: EXPERTS, at, note: null },
  );
  return withComment(
    { ...inc, guidedResponse: { investigationSummary: guided.investigationSummary, actions } },
    EXPERTS,
    text,
    at,
  );
}

/** The customer (or experts) record the outcome of one guided-response action. */
export function setActionState(
  inc: GraphIncident,
  actionId: string,
  change: { state: string; by: string; note: string | null },
  at: string,
): GraphIncident {
  const guided = inc.guidedResponse;
  if (!guided) return inc;
  const actions = guided.actions.map((a) =>
    a.id === actionId ? { ...a, state: change.state, by: change.by, at, note: change.note } : a,
  );
  return { ...inc, guidedResponse: { ...guided, actions }, lastUpdateDateTime: at };
}

/** Resolved and back to Unassigned, with the resolving comment also added to the history. */
export function resolve(inc: GraphIncident, by: string, text: string, at: string): GraphIncident {
  return closed(withComment(inc, by, text, at), text);
}

/** A line in Comments and history; nothing else changes. */
export function addComment(inc: GraphIncident, by: string, text: string, at: string): GraphIncident {
  return withComment(inc, by, text, at);
}

/** Actions still waiting for someone. */
export const pendingCount = (inc: GraphIncident): number =>
  inc.guidedResponse?.actions.filter((a) => a.state === 'pending' || a.state === 'inProgress').length ?? 0;

/**
 * The scenario's recommended actions, or, when it has none (an incident handed off by hand), a generic
 * endpoint + identity set on the device and the user its own alerts name: never on an asset of the drawn
 * context that this incident does not involve.
 */
export function recommendedActions(scenario: Scenario, ctx: AssetContext): readonly ActionSpec[] {
  const specs = scenario.actions(ctx);
  if (specs.length > 0) return specs;
  const named = new Set(scenario.alerts.flatMap((a) => a.assets(ctx)));
  const device = [ctx.device, ctx.device2, ctx.server, ctx.domainController].find((d) => named.has(d.name));
  const user = [ctx.user, ctx.user2].find((u) => named.has(u.upn));
  return [
    ...(device === undefined
      ? []
      : [onDevice('collectInvestigationPackage', device), onDevice('runAntivirusScan', device)]),
    ...(user === undefined ? [] : [onUser('forcePasswordReset', user)]),
  ];
}

/** The scenario's investigation summary, or one built from the verdict when it has none. */
export function investigationSummaryOf(scenario: Scenario, ctx: AssetContext, fallback: string): string {
  const text = scenario.investigationSummary(ctx);
  return text !== '' ? text : fallback;
}
