import type { ConversationRef } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';

// The SDM feature's own ports (reports, readiness check-ins, SDM contact). Its data lives behind SdmStore,
// not the core Store, so the feature and its tables change without touching the Store port.

// ---- Incident lifecycle, as the sync sees it -----------------------------------------------------------

/**
 * When an incident passed each step of the Defender Experts lifecycle. Graph carries no handoff or
 * resolution time, so these are recorded from the versions the sync saves (bot/sdm/lifecycle.ts).
 */
export interface IncidentTimeline {
  readonly customerId: string;
  readonly incidentId: string;
  readonly expertsStartedAt: string | null;
  readonly handedOffAt: string | null;
  readonly resolvedAt: string | null;
  /** True when the first version seen was already past a step, so its time is that version's time. */
  readonly inferred: boolean;
}

/** What one saved change teaches about an incident's timeline; undefined fields are left as they are. */
export interface TimelinePatch {
  readonly customerId: string;
  readonly incidentId: string;
  /** Kept from the first time it is set. */
  readonly expertsStartedAt?: string;
  /** Kept from the first time it is set: the first handoff is when the customer's clock starts. */
  readonly handedOffAt?: string;
  /** The latest resolution; null clears it (a reopened incident). */
  readonly resolvedAt?: string | null;
  readonly inferred?: boolean;
}

// ---- Reports -------------------------------------------------------------------------------------------

/** A report as computed when it was asked for; the chart and the CSV are rendered from this snapshot. */
export interface StoredReport {
  readonly id: string;
  readonly customerId: string;
  readonly createdAt: string;
  /** ReportFigures as JSON (bot/sdm/report-figures.ts). */
  readonly figures: string;
}

/** One channel's copy of a month's business-review post. */
export interface ReportPostKey {
  readonly customerId: string;
  /** YYYY-MM. */
  readonly month: string;
  readonly bindingId: string;
}

/** Whether a month's report may be posted to a channel now, or why not (with when). */
export type ReportPostClaim =
  | { readonly status: 'claimed' }
  | { readonly status: 'posted'; readonly at: string }
  | { readonly status: 'inProgress'; readonly since: string };

// ---- Readiness check-ins -------------------------------------------------------------------------------

export const ITEM_STATES = ['notStarted', 'planned', 'done', 'riskAccepted', 'notApplicable'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const ITEM_STATE_LABELS: Readonly<Record<ItemState, string>> = {
  notStarted: 'Not started',
  planned: 'Planned',
  done: 'Done',
  riskAccepted: 'Risk accepted',
  notApplicable: 'Not applicable',
};

/** What the readiness source says an item is; the customer's own fields are kept apart. */
export interface ItemSeed {
  /** Stable per customer: "readiness:<id>" or "score:<control id>". */
  readonly key: string;
  readonly kind: 'readiness' | 'secureScore';
  readonly title: string;
  /** What is measured now, e.g. "412 of 500 devices onboarded" or "3 of 10 points". */
  readonly detail: string;
  /** 1 first; lower is more urgent. */
  readonly priority: number;
  /** The experts' customisation note for this customer. */
  readonly expertsNote: string;
}

export interface ChecklistItem extends ItemSeed {
  readonly owner: string | null;
  /** YYYY-MM-DD. */
  readonly dueDate: string | null;
  readonly state: ItemState;
  readonly note: string | null;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

/** A customer's edit of one item; undefined fields are left as they are, null clears. */
export interface ItemPatch {
  readonly owner?: string | null;
  readonly dueDate?: string | null;
  readonly state?: ItemState;
  readonly note?: string | null;
}

export interface Checkin {
  readonly id: string;
  readonly customerId: string;
  /** 1, 2, 3… per customer. */
  readonly number: number;
  readonly startedAt: string;
  readonly startedBy: string;
  /** The items as they stood when this check-in started: the next one diffs against it. */
  readonly snapshot: readonly ChecklistItem[];
}

/** What startCheckin did: `checkin` is the new one, or (created false) the one still open. */
export interface StartedCheckin {
  readonly checkin: Checkin;
  /** The check-in before `checkin`. */
  readonly previous: Checkin | null;
  readonly created: boolean;
}

/** One posted copy of a check-in card (a service channel). */
export interface CheckinPost {
  readonly customerId: string;
  readonly checkinId: string;
  readonly conversation: ConversationRef;
  readonly messageId: string;
}

// ---- SDM contact ---------------------------------------------------------------------------------------

export const CONTACT_KINDS = ['message', 'escalation', 'feedback', 'optOut', 'bookReview'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const ESCALATION_SEVERITIES = ['low', 'medium', 'high'] as const;
export type EscalationSeverity = (typeof ESCALATION_SEVERITIES)[number];

export interface ContactRequest {
  readonly id: string;
  readonly customerId: string;
  readonly kind: ContactKind;
  readonly severity: EscalationSeverity | null;
  readonly text: string;
  /** For a review booking: the preferred date (YYYY-MM-DD). */
  readonly preferredDate: string | null;
  readonly fromUser: string;
  readonly fromName: string;
  readonly createdAt: string;
  /** Where it was sent from: the customer side of the thread, kept so an undelivered request can be retried. */
  readonly conversation: ConversationRef | null;
  /** When the SDM's thread was opened (the relay carries it from there); null until then. */
  readonly deliveredAt: string | null;
}

/**
 * Durable state of the SDM feature. Every method is scoped by customer; none returns another customer's
 * rows. Implementation: adapters/store/sdm/sdm-store.ts (contract: test/contract/sdm-store-contract.ts).
 */
export interface SdmStore {
  /** Applies timeline patches in one transaction (see TimelinePatch for the merge rules). */
  recordTimelines(patches: readonly TimelinePatch[]): Promise<void>;
  listTimelines(customerId: string, incidentIds: readonly string[]): Promise<readonly IncidentTimeline[]>;

  saveReport(report: StoredReport): Promise<void>;
  getReport(customerId: string, reportId: string): Promise<StoredReport | null>;
  /** Deletes report snapshots created before `cutoff` (their links have expired); returns how many. */
  purgeReportsBefore(cutoff: string): Promise<number>;
  /**
   * Claims posting a month's report to one channel, once: 'posted' when it already was (and when), and
   * 'inProgress' while another claim is fresh. A claim made before `staleBefore` that never completed (the
   * process died mid-post) is taken over.
   */
  claimReportPost(key: ReportPostKey, at: string, staleBefore: string): Promise<ReportPostClaim>;
  /** The post went out: later claims answer 'posted' with this time. */
  completeReportPost(key: ReportPostKey, at: string): Promise<void>;
  /** The post failed: drops the claim so it can be tried again. */
  releaseReportPost(key: ReportPostKey): Promise<void>;

  /**
   * Starts check-in N+1: refreshes the items from the seeds (new ones start "not started"; the customer's
   * owner, due date, state and note are kept), snapshots them, and returns it with the previous check-in.
   * With `openAfter`, a latest check-in started after that instant is still open: nothing is written and it
   * comes back with `created: false`. Atomic: of two starts at once, one creates and the other sees it.
   */
  startCheckin(
    customerId: string,
    seeds: readonly ItemSeed[],
    startedBy: string,
    at: string,
    openAfter?: string,
  ): Promise<StartedCheckin>;
  latestCheckin(customerId: string): Promise<Checkin | null>;
  /** Check-in number `n` of the customer (1 first), or null. */
  getCheckin(customerId: string, n: number): Promise<Checkin | null>;
  listItems(customerId: string): Promise<readonly ChecklistItem[]>;
  /** Updates one item; null when the customer has no such item (nothing written). */
  updateItem(
    customerId: string,
    key: string,
    patch: ItemPatch,
    by: string,
    at: string,
  ): Promise<ChecklistItem | null>;

  /** Remembers a posted copy of a check-in card, so an edit from one copy can redraw the others. */
  recordCheckinPost(post: CheckinPost): Promise<void>;
  listCheckinPosts(customerId: string, checkinId: string): Promise<readonly CheckinPost[]>;

  /**
   * Records a request, unless one with the same `fingerprint` (sender + content) was recorded for the
   * customer at or after `since`: then that one is returned with `created: false`. Atomic, so a retried or
   * double-clicked send is recorded once and the caller can finish delivering the stored one.
   */
  recordContactRequest(
    request: ContactRequest,
    fingerprint: string,
    since: string,
  ): Promise<{ readonly request: ContactRequest; readonly created: boolean }>;
  /** Marks a request delivered (first time wins); false when the customer has no such request. */
  markContactDelivered(customerId: string, id: string, at: string): Promise<boolean>;
  /** Newest first. */
  listContactRequests(customerId: string, limit: number): Promise<readonly ContactRequest[]>;
  /** Undelivered requests created at or after `since` that know their conversation, oldest first. */
  listUndeliveredContactRequests(
    customerId: string,
    since: string,
    limit: number,
  ): Promise<readonly ContactRequest[]>;
  /** Deletes contact requests created before `cutoff` (the relay's retention); returns how many. */
  purgeContactRequestsBefore(cutoff: string): Promise<number>;
}

// ---- Readiness source ----------------------------------------------------------------------------------

/** Protected versus target counts of the readiness assessment. */
export interface Coverage {
  readonly protected: number;
  readonly target: number;
}

export interface ReadinessAction {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly expertsNote: string;
}

export interface SecureScoreControl {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly score: number;
  readonly maxScore: number;
  /** Microsoft's rank (1 first); used to break ties. */
  readonly rank: number;
  readonly userImpact: string;
  readonly implementationCost: string;
  /** Deprecated controls are skipped. */
  readonly deprecated: boolean;
  /** The experts' customisation note for this customer, when the source has one. */
  readonly expertsNote?: string;
}

export interface ReadinessSnapshot {
  readonly devices: Coverage | null;
  readonly identities: Coverage | null;
  readonly actions: readonly ReadinessAction[];
  readonly secureScore: { readonly current: number; readonly max: number } | null;
  readonly controls: readonly SecureScoreControl[];
}

/** Readiness assessment + Secure Score: Graph (adapters/graph/readiness-source.ts) or the simulation. */
export interface ReadinessSource {
  read(customer: Customer): Promise<ReadinessSnapshot>;
}
