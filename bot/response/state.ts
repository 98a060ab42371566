import { ACTION_KIND_LABELS } from '../domain/enums.js';
import type { Incident, ResponseAction } from '../domain/incident.js';
import { tolerantLabel } from '../domain/tolerant.js';
import type { ActionRecord, AuditEvent } from './ports.js';

// How the bot's records meet the source's incident: a decision made in chat is the record for that
// action (the source may not know it yet — Graph has no guided-response field), and the audit comment
// that goes to "Comments and history" says who did what and when.

/** The incident with the bot's records laid over its guided-response actions (pure). */
export function withRecords(incident: Incident, records: readonly ActionRecord[]): Incident {
  const guided = incident.guidedResponse;
  if (guided === null || records.length === 0) return incident;
  const byId = new Map(records.map((r) => [r.actionId, r]));
  let changed = false;
  const actions = guided.actions.map((a): ResponseAction => {
    const r = byId.get(a.id);
    if (r === undefined) return a;
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

/** The comment written to the incident for one audit event (plain text; Graph stores it as given). */
export function auditComment(args: {
  readonly event: AuditEvent;
  readonly action: ResponseAction;
  readonly who: string;
  readonly at: string;
  readonly note: string | null;
}): string {
  const kind = tolerantLabel(args.action.kind, ACTION_KIND_LABELS);
  const note = args.note === null || args.note.trim() === '' ? '' : ` — ${args.note.trim()}`;
  return `[Guided response] ${kind} on ${targetPhrase(args.action)}: ${EVENT_WORDS[args.event]} by ${args.who} at ${args.at} (from chat)${note}`;
}
