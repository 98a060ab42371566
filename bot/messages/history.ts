import type { Directory } from '../domain/customer.js';
import { STATUS_LABELS } from '../domain/enums.js';
import { WAITING_STATES } from '../domain/question.js';
import type { Store } from '../ports.js';
import type { QuestionsStore } from '../questions/questions-ports.js';
import type { RelayStore } from '../relay/relay-ports.js';
import type { RelayPair } from '../relay/types.js';

// The conversation history behind `messages`: the managed-response threads (one per handed-off incident and
// channel) and the Ask Defender Experts requests of one customer, or of every customer for the provider,
// each with its state, incident, last activity and whether the viewer has seen its latest activity.

export const MESSAGE_FILTERS = ['7d', '30d', 'open'] as const;
export type MessagesFilter = (typeof MESSAGE_FILTERS)[number];

/** The two lists of Defender Experts' Messages page, in its order. */
export const THREAD_GROUPS = ['managedResponse', 'askExperts'] as const;
export type ThreadGroup = (typeof THREAD_GROUPS)[number];
export const GROUP_LABELS: Readonly<Record<ThreadGroup, string>> = {
  managedResponse: 'Managed response',
  askExperts: 'Ask Defender Experts',
};

export const FILTER_LABELS: Readonly<Record<MessagesFilter, string>> = {
  '7d': 'Active in the last 7 days',
  '30d': 'Active in the last 30 days',
  open: 'Open',
};

const QUESTION_STATE_LABELS: Readonly<Record<string, string>> = {
  open: 'Waiting for an expert',
  claimed: 'An expert is on it',
  answered: 'Answered',
  resolved: 'Resolved',
  reopened: 'Reopened',
};

/** At most this many threads are listed; the card says when there were more. */
export const MAX_THREADS = 200;

export interface ThreadRow {
  readonly pairId: string;
  readonly group: ThreadGroup;
  readonly customerId: string;
  readonly customerName: string;
  /** The request id (Q-…) or null for a managed-response thread. */
  readonly requestId: string | null;
  readonly incidentId: string | null;
  readonly title: string;
  /** Display wording; `stateRaw` is the stored value for tools. */
  readonly state: string;
  readonly stateRaw: string;
  readonly open: boolean;
  readonly lastActivityAt: string;
  readonly unread: boolean;
}

export interface HistoryDeps {
  readonly relay: RelayStore;
  readonly questions: QuestionsStore | undefined;
  readonly store: Store;
  readonly directory: Directory;
}

const DAY = 86_400_000;

/** `<bindingId>:<incidentId>`: the incident is what follows the binding id's last colon. */
const handoffIncident = (subjectId: string): string => subjectId.slice(subjectId.lastIndexOf(':') + 1);

async function handoffRow(deps: HistoryDeps, p: RelayPair) {
  const incidentId = handoffIncident(p.subjectId);
  const incident = await deps.store.getIncident(p.customerId, incidentId);
  const status = incident === null ? 'unknown' : String(incident.status);
  return {
    group: 'managedResponse' as const,
    requestId: null,
    incidentId,
    title: incident === null ? `Incident ${incidentId}` : `Incident ${incidentId} · ${incident.displayName}`,
    state: (STATUS_LABELS as Readonly<Record<string, string>>)[status] ?? 'No longer in Microsoft Defender',
    stateRaw: status,
    open: status !== 'resolved' && status !== 'redirected' && status !== 'unknown',
  };
}

async function questionRow(deps: HistoryDeps, p: RelayPair) {
  const q = deps.questions === undefined ? null : await deps.questions.get(p.customerId, p.subjectId);
  const state = q === null ? 'unknown' : q.state;
  return {
    group: 'askExperts' as const,
    requestId: p.subjectId,
    incidentId: q?.incidentId ?? null,
    title: q === null ? p.title || p.subjectId : `${q.id} · ${q.text.replace(/\s+/g, ' ')}`,
    state: QUESTION_STATE_LABELS[state] ?? 'No longer kept',
    stateRaw: state,
    open: q !== null && (WAITING_STATES.includes(q.state) || q.state === 'answered'),
  };
}

/**
 * The threads of `customerIds` (null: every customer) for `reader`, most recently active first. Unread: the
 * thread moved since the reader last saw it (marked read, or posted in it); never seen, since it opened.
 */
export async function listThreads(
  deps: HistoryDeps,
  args: {
    readonly customerIds: readonly string[] | null;
    readonly filter: MessagesFilter;
    readonly reader: string;
    readonly now: Date;
  },
): Promise<{ readonly rows: readonly ThreadRow[]; readonly more: boolean }> {
  const days = args.filter === '7d' ? 7 : args.filter === '30d' ? 30 : null;
  const activeSince = days === null ? null : new Date(args.now.getTime() - days * DAY).toISOString();
  const query = { kinds: ['handoff', 'question'] as const, activeSince, limit: MAX_THREADS + 1 };
  const pairs =
    args.customerIds === null
      ? await deps.relay.listPairs({ ...query, customerId: null })
      : (await Promise.all(args.customerIds.map((c) => deps.relay.listPairs({ ...query, customerId: c }))))
          .flat()
          .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id));
  const marks = await deps.relay.readMarks(
    args.reader,
    pairs.map((p) => p.id),
  );
  const names = new Map(deps.directory.customers.map((c) => [c.id, c.name]));
  const rows: ThreadRow[] = [];
  for (const p of pairs) {
    const name = names.get(p.customerId);
    if (name === undefined) continue; // a customer no longer configured: nobody may see its threads
    const row = p.kind === 'handoff' ? await handoffRow(deps, p) : await questionRow(deps, p);
    if (args.filter === 'open' && !row.open) continue;
    const seen = marks.get(p.id) ?? p.createdAt;
    rows.push({
      ...row,
      pairId: p.id,
      customerId: p.customerId,
      customerName: name,
      lastActivityAt: p.lastActivityAt,
      unread: p.lastActivityAt > seen,
    });
  }
  return { rows: rows.slice(0, MAX_THREADS), more: rows.length > MAX_THREADS };
}

/** Groups rows as the portal does, keeping each group's order (most recent first). */
export function groupThreads(rows: readonly ThreadRow[]): { group: ThreadGroup; rows: ThreadRow[] }[] {
  return THREAD_GROUPS.map((group) => ({ group, rows: rows.filter((r) => r.group === group) }));
}
