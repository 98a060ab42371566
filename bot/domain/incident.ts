import {
  type ActionKind,
  type ActionState,
  type Classification,
  type Determination,
  type IncidentStatus,
  parseActionKind,
  parseActionState,
  parseClassification,
  parseDetermination,
  parseIncidentStatus,
  parseSeverity,
  type Severity,
  TARGET_TYPES,
  type TargetType,
} from './enums.js';
import { isUnrecognised } from './tolerant.js';

// The incident as the bot sees it: the Microsoft Graph security incident resource (v1.0) plus the
// Defender Experts guided response. Every Graph incident field the bot shows or reasons about is here.

export interface IncidentComment {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdDateTime: string;
}

export interface AlertSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: string;
  readonly category: string;
  readonly serviceSource: string;
  readonly detectionSource: string;
  readonly createdDateTime: string;
  /** Entities named by the alert (device names, user principals, file names) for "most impacted assets". */
  readonly assets: readonly string[];
  /** People the alert's evidence names, with their Entra object id when it carries one; absent in older records. */
  readonly users?: readonly UserEvidence[];
  /** The sign-in the alert's evidence describes, when it describes one. */
  readonly signIn?: SignInEvidence;
}

/** A sign-in the evidence describes, in the words a person recognises. */
export interface SignInEvidence {
  readonly app: string | null;
  readonly ip: string | null;
  readonly location: string | null;
  readonly at: string | null;
  readonly newDevice: boolean;
}

/** A person the evidence names. */
export interface UserEvidence {
  readonly upn: string;
  /** Entra object id when the evidence carries it (Graph userEvidence.userAccount.azureAdUserId). */
  readonly objectId: string | null;
}

export interface ActionTarget {
  readonly type: TargetType;
  /** Stable id at the source (machine id, user object id, SHA-256, network message id, app id). */
  readonly id: string;
  /** What a person recognises: device name, UPN, file name with hash, subject line, app name. */
  readonly name: string;
  /** Excluded assets get guidance only, never a button. */
  readonly excluded: boolean;
}

export interface ResponseAction {
  readonly id: string;
  readonly kind: ActionKind;
  readonly target: ActionTarget;
  readonly state: ActionState;
  /** Who performed, skipped or ran it ("Defender Experts" for operator access); null while pending. */
  readonly by: string | null;
  readonly at: string | null;
  readonly note: string | null;
}

export interface GuidedResponse {
  readonly investigationSummary: string;
  readonly actions: readonly ResponseAction[];
}

export interface Incident {
  readonly id: string;
  readonly customerId: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  /** Free text in Graph: "Defender Experts", "Customer", a UPN, or empty for Unassigned. */
  readonly assignedTo: string | null;
  readonly classification: Classification;
  readonly determination: Determination;
  readonly createdDateTime: string;
  readonly lastUpdateDateTime: string;
  readonly systemTags: readonly string[];
  readonly customTags: readonly string[];
  readonly priorityScore: number | null;
  readonly incidentWebUrl: string;
  readonly redirectIncidentId: string | null;
  readonly summary: string | null;
  readonly resolvingComment: string | null;
  readonly comments: readonly IncidentComment[];
  readonly alerts: readonly AlertSummary[];
  readonly guidedResponse: GuidedResponse | null;
  /**
   * "Was this you?" questions about this incident, laid over it by the bot before its alert card is drawn
   * (never read from the source, never stored with the incident): the card shows what the person said.
   */
  readonly userChecks?: readonly AffectedUserAnswer[];
}

/** What the alert card shows of one "Was this you?" question: open, or answered and how. */
export interface AffectedUserAnswer {
  readonly upn: string;
  readonly state: 'asked' | 'answered';
  readonly answer: 'yes' | 'no' | 'unsure' | null;
  readonly answeredAt: string | null;
}

export type AssigneeKind = 'experts' | 'customer' | 'unassigned' | 'person';

/** Classifies Graph's free-text assignedTo into the portal's display vocabulary. */
export function assigneeKind(assignedTo: string | null): AssigneeKind {
  const text = (assignedTo ?? '').trim().toLowerCase();
  if (text === '' || text === 'unassigned') return 'unassigned';
  if (text === 'defender experts' || text === 'microsoft defender experts') return 'experts';
  if (text === 'customer') return 'customer';
  return 'person';
}

export function assigneeLabel(assignedTo: string | null): string {
  switch (assigneeKind(assignedTo)) {
    case 'experts':
      return 'Defender Experts';
    case 'customer':
      return 'Customer';
    case 'unassigned':
      return 'Unassigned';
    case 'person':
      return (assignedTo ?? '').trim();
  }
}

/** Defender Experts incidents are recognised by system tag, assignee or title. */
export function isExpertsIncident(
  incident: Pick<Incident, 'systemTags' | 'assignedTo' | 'displayName'>,
): boolean {
  return (
    incident.systemTags.some((t) => t.trim().toLowerCase() === 'defender experts') ||
    assigneeKind(incident.assignedTo) === 'experts' ||
    /defender experts/i.test(incident.displayName)
  );
}

export const INCIDENT_VIEWS = ['open', 'awaiting', 'investigating', 'resolved', 'all'] as const;
export type IncidentView = (typeof INCIDENT_VIEWS)[number];

/** What a view looks at: the status when known (null when the source sent one we do not know) and the assignee. */
export interface ViewFacts {
  readonly status: string | null;
  readonly assignee: AssigneeKind;
}

/** The view predicate on the facts alone (the store counts groups of rows with it). */
export function factsInView({ status, assignee }: ViewFacts, view: IncidentView): boolean {
  const closed = status === 'resolved' || status === 'redirected';
  switch (view) {
    case 'all':
      return true;
    case 'open':
      return !closed;
    case 'awaiting':
      return status === 'awaitingAction';
    case 'investigating':
      return !closed && status !== 'awaitingAction' && assignee === 'experts';
    case 'resolved':
      return status === 'resolved';
  }
}

/**
 * The specification of each list view. Stores implement the same predicate in SQL; the store contract
 * suite checks them against this function.
 */
export function incidentInView(
  incident: Pick<Incident, 'status' | 'assignedTo'>,
  view: IncidentView,
): boolean {
  const status = isUnrecognised(incident.status) ? null : incident.status;
  return factsInView({ status, assignee: assigneeKind(incident.assignedTo) }, view);
}

// ---- Parsing the Graph wire form, tolerantly -------------------------------------------------------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : v == null ? fallback : String(v);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parseTarget(raw: unknown): ActionTarget {
  const t = obj(raw);
  const type = (TARGET_TYPES as readonly string[]).includes(str(t.type))
    ? (str(t.type) as TargetType)
    : 'device';
  return { type, id: str(t.id), name: str(t.name, str(t.id)), excluded: t.excluded === true };
}

function parseGuidedResponse(raw: unknown): GuidedResponse | null {
  if (raw == null) return null;
  const g = obj(raw);
  return {
    investigationSummary: str(g.investigationSummary),
    actions: arr(g.actions).map((a, i) => {
      const x = obj(a);
      return {
        id: str(x.id, String(i + 1)),
        kind: parseActionKind(x.kind),
        target: parseTarget(x.target),
        state: parseActionState(x.state ?? 'pending'),
        by: strOrNull(x.by),
        at: strOrNull(x.at),
        note: strOrNull(x.note),
      } satisfies ResponseAction;
    }),
  };
}

function parseAlert(raw: unknown): AlertSummary {
  const a = obj(raw);
  return {
    id: str(a.id),
    title: str(a.title),
    severity: parseSeverity(a.severity),
    status: str(a.status),
    category: str(a.category),
    serviceSource: str(a.serviceSource),
    detectionSource: str(a.detectionSource),
    createdDateTime: str(a.createdDateTime),
    assets: arr(a.assets).map((x) => str(x)),
    ...evidenceOf(a),
  };
}

// Optional keys stay absent when the source gave none, so records written before them compare equal.
function evidenceOf(a: Json): { users?: UserEvidence[]; signIn?: SignInEvidence } {
  const users = arr(a.users)
    .map((u) => obj(u))
    .filter((u) => typeof u.upn === 'string' && u.upn !== '')
    .map((u) => ({ upn: str(u.upn), objectId: strOrNull(u.objectId) }));
  const s = a.signIn == null ? null : obj(a.signIn);
  return {
    ...(users.length > 0 ? { users } : {}),
    ...(s === null
      ? {}
      : {
          signIn: {
            app: strOrNull(s.app),
            ip: strOrNull(s.ip),
            location: strOrNull(s.location),
            at: strOrNull(s.at),
            newDevice: s.newDevice === true,
          },
        }),
  };
}

/**
 * Parses a Graph security incident (v1.0 JSON, optionally with `alerts` expanded and our `guidedResponse`
 * extension). Never throws on unexpected values: unknown enum values are kept as text, missing lists are
 * empty. Throws only when the id is missing, because an incident without an id cannot be addressed.
 */
export function parseIncident(raw: unknown, customerId: string): Incident {
  const r = obj(raw);
  const id = str(r.id).trim();
  if (id === '') throw new Error('incident without an id');
  return {
    id,
    customerId,
    displayName: str(r.displayName, `Incident ${id}`),
    description: strOrNull(r.description),
    status: parseIncidentStatus(r.status),
    severity: parseSeverity(r.severity),
    assignedTo: strOrNull(r.assignedTo),
    classification: parseClassification(r.classification ?? 'unknown'),
    determination: parseDetermination(r.determination ?? 'unknown'),
    createdDateTime: str(r.createdDateTime),
    lastUpdateDateTime: str(r.lastUpdateDateTime, str(r.createdDateTime)),
    systemTags: arr(r.systemTags).map((x) => str(x)),
    customTags: arr(r.customTags).map((x) => str(x)),
    priorityScore: num(r.priorityScore),
    incidentWebUrl: str(r.incidentWebUrl),
    redirectIncidentId: strOrNull(r.redirectIncidentId),
    summary: strOrNull(r.summary),
    resolvingComment: strOrNull(r.resolvingComment),
    comments: arr(r.comments).map((c) => {
      const x = obj(c);
      return {
        comment: str(x.comment),
        createdBy: str(x.createdBy),
        createdDateTime: str(x.createdDateTime),
      };
    }),
    alerts: arr(r.alerts).map(parseAlert),
    guidedResponse: parseGuidedResponse(r.guidedResponse),
  };
}
