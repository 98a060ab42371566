import type { ExpertsAccess } from '../domain/customer.js';
import { ACTION_KIND_LABELS } from '../domain/enums.js';
import type { Incident, ResponseAction } from '../domain/incident.js';
import { tolerantLabel } from '../domain/tolerant.js';
import type { ActionRecord, AuditEvent } from './response-ports.js';

// How the bot's records meet the source's incident: a decision made in chat is the record for that
// action (the source may not know it yet — Graph has no guided-response field), and the audit comment
// that goes to "Comments and history" says who did what and when.

/**
 * Whether the source has moved past the bot's record: it shows a state other than pending, stamped later
 * than the record (e.g. the experts completed in the portal an action someone skipped or failed to run).
 */
export function sourceIsNewer(action: ResponseAction, record: ActionRecord): boolean {
  if (action.state === 'pending' || action.at === null) return false;
  const source = Date.parse(action.at);
  const ours = Date.parse(record.at);
  return Number.isFinite(source) && Number.isFinite(ours) && source > ours;
}

/** The incident with the bot's records laid over its guided-response actions, unless the source is newer (pure). */
export function withRecords(incident: Incident, records: readonly ActionRecord[]): Incident {
  const guided = incident.guidedResponse;
  if (guided === null || records.length === 0) return incident;
  const byId = new Map(records.map((r) => [r.actionId, r]));
  let changed = false;
  const actions = guided.actions.map((a): ResponseAction => {
    const r = byId.get(a.id);
    if (r === undefined || sourceIsNewer(a, r)) return a;
    changed = true;
    return { ...a, state: r.state, by: r.by, at: r.at, note: r.note };
  });
  return changed ? { ...incident, guidedResponse: { ...guided, actions } } : incident;
}

const TARGET_WORDS: Record<ResponseAction['target']['type'], string> = {
  device: 'device',
  file: 'file',
  user: 'user',
  mailMessage: 'email message',
  app: 'app',
};

/** "device WS-0042 (id 7f3a…)": what a person checks before acting, in plain text. */
export function targetPhrase(action: ResponseAction): string {
  const t = action.target;
  const name = (t.name || t.id || 'unnamed').replace(/\s+/g, ' ').trim();
  const id = t.id && t.id !== t.name && !name.includes(t.id) ? ` (id ${t.id})` : '';
  return `${TARGET_WORDS[t.type]} ${name}${id}${t.excluded ? ' — excluded asset' : ''}`;
}

const EVENT_WORDS: Record<AuditEvent, string> = {
  completed: 'marked completed',
  skipped: 'skipped',
  runRequested: 'run requested',
  runCompleted: 'run completed',
  runFailed: 'run failed',
};

/** A person's name as chat gave it (user-editable: never the only thing an audit line names). */
export function personName(principal: { readonly displayName: string; readonly userId: string }): string {
  const name = principal.displayName.replace(/\s+/g, ' ').trim().slice(0, 80);
  return name === '' ? principal.userId : name;
}

/** Who an audit line names: the display name and the stable qualified id ("Alice (slack:U0ALICE)"). */
export interface AuditPerson {
  readonly name: string;
  /** The qualified user id ("slack:U0ALICE", "teams:<aad object id>"): stable, not user-editable. */
  readonly id: string;
}

const named = (p: AuditPerson): string => (p.name === p.id ? p.id : `${p.name} (${p.id})`);

/**
 * The comment written to the incident for one audit event (plain text; Graph stores it as given). A person's
 * decision names them by display name and qualified id; a run's end names who requested it. `via` says
 * what credential a run uses (the bot's app registration, and under which access model).
 */
export function auditComment(args: {
  readonly event: AuditEvent;
  readonly action: ResponseAction;
  /** Who decided; for runCompleted/runFailed, who requested the run (null: unknown). */
  readonly who: AuditPerson | null;
  readonly at: string;
  readonly note: string | null;
  readonly via?: string | null;
}): string {
  const kind = tolerantLabel(args.action.kind, ACTION_KIND_LABELS);
  const note = args.note === null || args.note.trim() === '' ? '' : ` — ${args.note.trim()}`;
  const via = args.via ? `; ${args.via}` : '';
  const head = `[Guided response] ${kind} on ${targetPhrase(args.action)}: ${EVENT_WORDS[args.event]}`;
  if (args.event === 'runCompleted' || args.event === 'runFailed') {
    const requester = args.who === null ? '' : `requested by ${named(args.who)} `;
    return `${head} at ${args.at} (${requester}from chat${via})${note}`;
  }
  const who = args.who === null ? 'someone' : named(args.who);
  return `${head} by ${who} at ${args.at} (from chat${via})${note}`;
}

/** What a run's audit line says about the credential it used (the bot's app, not the experts' access). */
export function runVia(expertsAccess: ExpertsAccess): string {
  return expertsAccess === 'operator'
    ? "runs with the bot's app registration under operator access"
    : "runs with the bot's app registration";
}
