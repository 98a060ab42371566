import type { KnownActionKind, KnownSeverity, TargetType } from '../../bot/domain/enums.js';

// The simulation keeps each incident in the Microsoft Graph v1.0 wire shape (plus our guidedResponse
// extension) and hands it out only through parseIncident, so the tolerant parser is exercised exactly as
// the Graph client exercises it. Enum fields are plain strings here on purpose: unknown values must fit.

export interface GraphComment {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdDateTime: string;
}

export interface GraphAlert {
  readonly id: string;
  readonly title: string;
  readonly severity: KnownSeverity;
  readonly status: string;
  readonly category: string;
  readonly serviceSource: string;
  readonly detectionSource: string;
  readonly createdDateTime: string;
  readonly assets: readonly string[];
  /** The people the alert names, with their Entra object ids (Graph's userEvidence, flattened). */
  readonly users?: readonly { readonly upn: string; readonly objectId: string }[];
  /** A sign-in alert's ipEvidence and cloudApplicationEvidence, flattened. */
  readonly signIn?: {
    readonly app: string;
    readonly ip: string;
    readonly location: string;
    readonly at: string;
    readonly newDevice: boolean;
  };
}

export interface GraphActionTarget {
  readonly type: TargetType;
  readonly id: string;
  readonly name: string;
  readonly excluded: boolean;
}

export interface GraphAction {
  readonly id: string;
  readonly kind: string;
  readonly target: GraphActionTarget;
  readonly state: string;
  readonly by: string | null;
  readonly at: string | null;
  readonly note: string | null;
}

export interface GraphGuidedResponse {
  readonly investigationSummary: string;
  readonly actions: readonly GraphAction[];
}

/** One incident as Graph would return it (`/security/incidents/{id}?$expand=alerts`). */
export interface GraphIncident {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly status: string;
  readonly severity: string;
  readonly assignedTo: string | null;
  readonly classification: string;
  readonly determination: string;
  readonly createdDateTime: string;
  readonly lastUpdateDateTime: string;
  readonly systemTags: readonly string[];
  readonly customTags: readonly string[];
  readonly priorityScore: number | null;
  readonly incidentWebUrl: string;
  readonly redirectIncidentId: string | null;
  readonly summary: string | null;
  readonly resolvingComment: string | null;
  readonly comments: readonly GraphComment[];
  readonly alerts: readonly GraphAlert[];
  readonly guidedResponse: GraphGuidedResponse | null;
}

// ---- The assets one incident talks about ---------------------------------------------------------------

export interface DeviceAsset {
  readonly name: string;
  /** Defender for Endpoint machine id (40 hex characters). */
  readonly id: string;
}

export interface UserAsset {
  readonly upn: string;
  readonly displayName: string;
  /** Entra object id. */
  readonly id: string;
}

export interface FileAsset {
  readonly name: string;
  readonly sha256: string;
}

export interface MailAsset {
  readonly subject: string;
  readonly sender: string;
  /** Network message id. */
  readonly id: string;
}

export interface AppAsset {
  readonly name: string;
  readonly id: string;
}

/**
 * Everything a scenario's texts and targets refer to, drawn once per incident from the customer's seeded
 * stream so titles, alerts, comments and action targets all name the same device, user and file.
 */
export interface AssetContext {
  readonly customerName: string;
  readonly domain: string;
  readonly device: DeviceAsset;
  readonly device2: DeviceAsset;
  readonly server: DeviceAsset;
  readonly domainController: DeviceAsset;
  readonly user: UserAsset;
  readonly user2: UserAsset;
  readonly breakGlass: UserAsset;
  readonly file: FileAsset;
  readonly mail: MailAsset;
  readonly app: AppAsset;
  /** An address from the documentation ranges (RFC 5737). */
  readonly ip: string;
  readonly country: string;
}

/** A recommended action before it is given an id and a state. */
export interface ActionSpec {
  readonly kind: KnownActionKind;
  readonly target: GraphActionTarget;
}
