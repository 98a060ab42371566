import type { AlertSummary, IncidentComment, ResponseAction } from '../../bot/domain/incident.js';
import { cardLine, cardText, LIMITS, plainLine, plainText } from '../escape.js';
import {
  actionKindLabel,
  actionStateColor,
  actionStateLabel,
  categoryLabel,
  formatAge,
  formatWhen,
  plural,
  severityLabel,
  sourceLabel,
} from '../format.js';
import { responsePayload, VERBS } from '../verbs.js';
import { type ExecuteView, execute, md } from '../view.js';

// The repeated sections of the incident card (alerts, guided-response actions, comments) as template
// rows plus their fallback lines. Kept apart so incident-detail.ts reads as the card's outline.

/** Caps per section: beyond these the card says how many more there are and points to the portal. */
export const SECTION_LIMITS = { alerts: 10, responseActions: 12, comments: 20, commentChars: 8000 } as const;

const TARGET_TYPE_LABELS: Record<ResponseAction['target']['type'], string> = {
  device: 'Device',
  file: 'File',
  user: 'User',
  mailMessage: 'Email message',
  app: 'App',
};

export type AlertRow = { readonly title: string; readonly meta: string };

/** Alert rows: title, then severity · category · source, so the reader sees what fired and where. */
export function alertRows(alerts: readonly AlertSummary[]): { rows: AlertRow[]; fallback: string[] } {
  const shown = alerts.slice(0, SECTION_LIMITS.alerts);
  const meta = (a: AlertSummary): string =>
    [
      severityLabel(a.severity),
      a.category ? categoryLabel(a.category) : 'Uncategorised',
      a.serviceSource || a.detectionSource
        ? sourceLabel(a.serviceSource || a.detectionSource)
        : 'Unknown source',
    ]
      .map((p) => plainLine(p, LIMITS.name))
      .join(' · ');
  return {
    rows: shown.map((a) => ({
      title: cardLine(a.title || 'Untitled alert', LIMITS.title),
      meta: md(meta(a)),
    })),
    fallback: shown.map((a) => `- ${plainLine(a.title || 'Untitled alert', LIMITS.title)} (${meta(a)})`),
  };
}

export type ResponseActionRow = {
  readonly kind: string;
  readonly target: string;
  readonly state: string;
  readonly stateColor: string;
  readonly byWhen: string;
  readonly excluded: boolean;
  readonly excludedText: string;
  readonly hasNote: boolean;
  readonly note: string;
  readonly hasButtons: boolean;
  readonly canDone: boolean;
  readonly done: ExecuteView;
  readonly canSkip: boolean;
  readonly skip: ExecuteView;
  readonly canRun: boolean;
  readonly run: ExecuteView;
  readonly hasLock: boolean;
  readonly lockText: string;
};

/**
 * What the viewer may do with one action, decided by bot/response/rules.ts for this viewer: the card
 * shows exactly these buttons, and `lock` says why there are none (a role, an excluded asset…).
 */
export type ActionControls = {
  readonly incidentId: string;
  readonly version: number;
  readonly done: boolean;
  readonly skip: boolean;
  readonly run: boolean;
  readonly lock: string | null;
};

function targetText(a: ResponseAction): string {
  const t = a.target;
  const name = plainLine(t.name || t.id || 'unnamed', LIMITS.name);
  return `${TARGET_TYPE_LABELS[t.type]}: ${name}${t.excluded ? ' (excluded)' : ''}`;
}

function byWhenText(a: ResponseAction, now: Date): string {
  // "In progress by Alice" reads as if Alice were doing it by hand: the person started the run.
  const state =
    a.state === 'inProgress' && a.by !== null ? 'In progress, started' : actionStateLabel(a.state);
  if (a.by === null && a.at === null) return a.state === 'pending' ? 'Not done yet' : state;
  const by = a.by === null ? '' : ` by ${plainLine(a.by, LIMITS.name)}`;
  const at = a.at === null ? '' : ` ${formatAge(a.at, now)}`;
  // "Failed by Alice" blames the person: the run failed, Alice started it.
  if (a.state === 'failed' && a.by !== null) return `Run${by}, failed${at}`;
  return `${state}${by}${at}`;
}

/** Done, skipped or failed: nobody acts on it from chat, so who may act is not worth saying there. */
const settled = (a: ResponseAction): boolean =>
  a.state === 'completed' || a.state === 'skipped' || a.state === 'failed';

function buttons(a: ResponseAction, c: ActionControls | undefined, said: Set<string>) {
  const button = (title: string, verb: Parameters<typeof responsePayload>[0], on: boolean): ExecuteView =>
    execute(title, responsePayload(verb, on && c ? c.incidentId : '0', a.id, c?.version ?? 0));
  // An excluded asset never gets a button, whatever the controls say (guidance only).
  const allowedHere = !a.target.excluded;
  const done = allowedHere && c?.done === true;
  const skip = allowedHere && c?.skip === true;
  const run = allowedHere && c?.run === true;
  const raw = c?.lock ?? null;
  // Who may act is said once per card, under the first action still open that it applies to.
  const lock = raw === null || a.target.excluded || settled(a) || said.has(raw) ? null : raw;
  if (lock !== null) said.add(lock);
  return {
    hasButtons: done || skip || run,
    canDone: done,
    done: button('I’ve completed this action', VERBS.responseDone, done),
    canSkip: skip,
    skip: button('Skip', VERBS.responseSkip, skip),
    canRun: run,
    run: button('Run now', VERBS.responseRun, run),
    hasLock: lock !== null,
    lockText: md(plainLine(lock ?? '', LIMITS.line)),
  };
}

/**
 * Guided-response actions: kind, target (with "excluded"), state, who and when, and — when `controls`
 * says the viewer may act — the buttons for "done", "skip" and "run".
 */
export function responseActionRows(
  actions: readonly ResponseAction[],
  now: Date,
  controls?: ReadonlyMap<string, ActionControls>,
): { rows: ResponseActionRow[]; fallback: string[] } {
  const shown = actions.slice(0, SECTION_LIMITS.responseActions);
  const said = new Set<string>();
  return {
    rows: shown.map((a) => ({
      ...buttons(a, controls?.get(a.id), said),
      kind: cardLine(actionKindLabel(a.kind), LIMITS.name),
      target: md(targetText(a)),
      state: cardLine(actionStateLabel(a.state), LIMITS.name),
      stateColor: actionStateColor(a.state),
      byWhen: md(byWhenText(a, now)),
      excluded: a.target.excluded,
      excludedText: md(
        'Excluded asset: no action from chat. Follow the experts’ guidance in the Microsoft Defender portal.',
      ),
      hasNote: a.note !== null && a.note.trim() !== '',
      note: cardText(a.note, LIMITS.name * 2),
    })),
    fallback: shown.map((a) => {
      const note = a.note === null || a.note.trim() === '' ? '' : ` — ${plainLine(a.note, LIMITS.name * 2)}`;
      return `- ${actionKindLabel(a.kind)} — ${targetText(a)} — ${actionStateLabel(a.state)} (${byWhenText(a, now)})${note}`;
    }),
  };
}

export type CommentRow = { readonly byWhen: string; readonly text: string };

/** Newest first; comments with an unreadable date sink to the end in their original order. */
export function newestFirst(comments: readonly IncidentComment[]): IncidentComment[] {
  const time = (c: IncidentComment): number => {
    const t = Date.parse(c.createdDateTime);
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return comments
    .map((c, i) => ({ c, i }))
    .sort((a, b) => time(b.c) - time(a.c) || b.i - a.i)
    .map(({ c }) => c);
}

/**
 * The latest `shown` comments as rows (at most SECTION_LIMITS.comments). Many comments share one text
 * budget, so "Show all" stays within the card size limit; each still gets at least 200 characters.
 */
export function commentRows(
  comments: readonly IncidentComment[],
  shown: number,
  now: Date,
): { rows: CommentRow[]; fallback: string[] } {
  const latest = newestFirst(comments).slice(0, Math.min(shown, SECTION_LIMITS.comments));
  const each = Math.max(
    200,
    Math.min(LIMITS.comment, Math.floor(SECTION_LIMITS.commentChars / latest.length)),
  );
  const byWhen = (c: IncidentComment): string =>
    `${plainLine(c.createdBy || 'Unknown author', LIMITS.name)} · ${formatWhen(c.createdDateTime, now)}`;
  return {
    rows: latest.map((c) => ({ byWhen: md(byWhen(c)), text: cardText(c.comment, each) })),
    fallback: latest
      .slice(0, 3)
      .map((c) => `- ${byWhen(c)}: ${plainText(c.comment, 200).replace(/\s+/g, ' ')}`),
  };
}

/** "…and 4 more alerts in the Microsoft Defender portal." when a section was capped, else ''. */
export function moreText(total: number, shown: number, what: string): string {
  return total > shown
    ? `…and ${plural(total - shown, `more ${what}`)} in the Microsoft Defender portal.`
    : '';
}
