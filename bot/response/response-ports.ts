import type { Customer } from '../domain/customer.js';
import type { KnownActionKind } from '../domain/enums.js';
import type { IncidentComment, ResponseAction } from '../domain/incident.js';

// Guided response's own ports: where decisions and runs are kept (ResponseStore), what executes
// an action remotely (ResponseExecutor), and how a decision is written back to the incident (IncidentWriter).
// Nothing here names a driver, an SDK or a host.

/** What someone decided about one recommended action. */
export type ResponseDecision = 'complete' | 'skip' | 'run';

/** The state the bot records for an action; the source's own state stands until the first decision. */
export type RecordedState = 'inProgress' | 'completed' | 'failed' | 'skipped';

/** The bot's record of one action of one incident: the last decision or run and its remote action. */
export interface ActionRecord {
  readonly customerId: string;
  readonly incidentId: string;
  readonly actionId: string;
  readonly state: RecordedState;
  /** Shown as "by" on the card: the person who decided or ran it (never the provider for a customer's click). */
  readonly by: string;
  readonly at: string;
  readonly note: string | null;
  /** The remote action (Defender machine action id, or the executor's own id) while or after it runs. */
  readonly remoteId: string | null;
  /** Bumped on every write: cards carry it so a stale or repeated click cannot apply twice. */
  readonly version: number;
}

/** One audit line: every decision, run, result and refusal to act, with who and when. */
export interface AuditEntry {
  readonly id: string;
  readonly customerId: string;
  readonly incidentId: string;
  readonly actionId: string;
  /** done, skipped, run requested, run completed, run failed. */
  readonly event: AuditEvent;
  /** Qualified user id ("slack:U0ALICE") or "system" for results the poller saw. */
  readonly actor: string;
  readonly actorName: string;
  readonly at: string;
  /** The comment text written (or to be written) to the incident. */
  readonly text: string;
  /** When the comment reached the incident; null while it is still to be written. */
  readonly commentedAt: string | null;
  readonly commentAttempts: number;
}

export const AUDIT_EVENTS = ['completed', 'skipped', 'runRequested', 'runCompleted', 'runFailed'] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** A write: the new action record (compare-and-set on `expectedVersion`) and its audit line, together. */
export interface RecordDraft {
  readonly record: Omit<ActionRecord, 'version'>;
  /** The version the caller saw (0: no record yet); another version means someone acted first. */
  readonly expectedVersion: number;
  readonly audit: Omit<AuditEntry, 'commentedAt' | 'commentAttempts'>;
}

/**
 * Durable guided-response state (adapters/store/response/response-store.ts, on either database). Every read is
 * scoped by customer; a record and its audit line are written in one transaction.
 */
export interface ResponseStore {
  /** Writes record + audit if the stored version is still `expectedVersion`; null when it moved on. */
  record(draft: RecordDraft): Promise<ActionRecord | null>;
  /**
   * Attaches the remote id of a run that was started, only while the record is still that run (in progress
   * at `expectedVersion`); bumps the version. Null when the record moved on (failed, finished, re-decided):
   * a late start never overwrites it.
   */
  setRemoteId(
    customerId: string,
    incidentId: string,
    actionId: string,
    remoteId: string,
    expectedVersion: number,
  ): Promise<ActionRecord | null>;
  getRecords(customerId: string, incidentId: string): Promise<readonly ActionRecord[]>;
  getRecord(customerId: string, incidentId: string, actionId: string): Promise<ActionRecord | null>;
  /** Runs still in progress, every customer (the status poller), oldest first. */
  listRunning(limit: number): Promise<readonly ActionRecord[]>;
  listAudit(customerId: string, incidentId: string): Promise<readonly AuditEntry[]>;
  /** Audit lines whose comment has not reached the incident yet, with fewer than `maxAttempts` tries. */
  listUncommented(maxAttempts: number, limit: number): Promise<readonly AuditEntry[]>;
  /** Records one attempt to write the comment; `ok` stamps it written. */
  markCommented(customerId: string, auditId: string, ok: boolean, at: string): Promise<void>;
}

/** A remote action's state as the executor reports it. */
export interface RemoteStatus {
  readonly state: 'inProgress' | 'completed' | 'failed';
  /** Why it failed, or what the remote said; plain text, never secrets. */
  readonly detail: string | null;
}

/** What the bot asks an executor to run. */
export interface ExecutionRequest {
  readonly customer: Customer;
  readonly incidentId: string;
  readonly action: ResponseAction;
  /** Goes with the remote action (Defender's "Comment"): who asked, from where, for which incident. */
  readonly comment: string;
}

/** Runs actions remotely: Defender for Endpoint + Entra (adapters/defender) or the simulation. */
export interface ResponseExecutor {
  /** The kinds this executor can run; a kind outside it gets "I've done it"/"Skip" only. */
  readonly kinds: ReadonlySet<KnownActionKind>;
  /** True for the embedded default's stand-in: confirmations say "(simulated)". */
  readonly simulated?: boolean;
  /** Whether this particular target can be run (e.g. a file needs a device and a SHA-1 for Defender). */
  canRun(action: ResponseAction): boolean;
  /** Starts the action; throws ResponseExecutionError when the remote refused or could not be reached. */
  start(request: ExecutionRequest): Promise<{ readonly remoteId: string; readonly status: RemoteStatus }>;
  /** The current state of a started action (the remote id says which service it went to). */
  status(customer: Customer, remoteId: string): Promise<RemoteStatus>;
}

/** Writes a decision back to the incident's "Comments and history" (Graph, or the simulation). */
export interface IncidentWriter {
  addComment(customer: Customer, incidentId: string, comment: string): Promise<readonly IncidentComment[]>;
}

/** A run the remote refused or that could not be started; `message` is safe to show. */
export class ResponseExecutionError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResponseExecutionError';
    this.retryable = retryable;
  }
}
