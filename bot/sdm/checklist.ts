import type { Checkin, ChecklistItem, ItemSeed, ItemState, ReadinessSnapshot } from './sdm-ports.js';

// The readiness checklist as pure functions: which items a snapshot yields and in what order, what changed
// since the last check-in, what is overdue, and the progress an SDM watches.

/** How many Secure Score controls a check-in carries (the biggest gaps first). */
export const MAX_CONTROLS = 10;

const pct = (a: number, b: number): number => (b === 0 ? 100 : Math.round((a / b) * 100));

/** Items from a readiness snapshot, prioritised: coverage gaps, then the assessment's actions, then controls. */
export function seedsFrom(s: ReadinessSnapshot): readonly ItemSeed[] {
  const out: Omit<ItemSeed, 'priority'>[] = [];
  if (s.devices !== null && s.devices.protected < s.devices.target) {
    out.push({
      key: 'readiness:devices',
      kind: 'readiness',
      title: 'Onboard the remaining devices to Defender for Endpoint',
      detail: `${s.devices.protected} of ${s.devices.target} devices protected (${pct(s.devices.protected, s.devices.target)}%)`,
      expertsNote: 'The experts cannot see or isolate a device that is not onboarded.',
    });
  }
  if (s.identities !== null && s.identities.protected < s.identities.target) {
    out.push({
      key: 'readiness:identities',
      kind: 'readiness',
      title: 'Protect the remaining identities',
      detail: `${s.identities.protected} of ${s.identities.target} identities protected (${pct(s.identities.protected, s.identities.target)}%)`,
      expertsNote: 'Unprotected accounts are where most of the compromised-account incidents start.',
    });
  }
  for (const a of s.actions) {
    out.push({
      key: `readiness:${a.id}`,
      kind: 'readiness',
      title: a.title,
      detail: a.detail,
      expertsNote: a.expertsNote,
    });
  }
  const controls = s.controls
    .filter((c) => !c.deprecated && c.score < c.maxScore)
    .sort(
      (a, b) => b.maxScore - b.score - (a.maxScore - a.score) || a.rank - b.rank || a.id.localeCompare(b.id),
    )
    .slice(0, MAX_CONTROLS);
  for (const c of controls) {
    out.push({
      key: `score:${c.id}`,
      kind: 'secureScore',
      title: c.title,
      detail: `Secure Score: ${c.score} of ${c.maxScore} points · ${c.category || 'General'} · user impact ${c.userImpact || 'unknown'}`,
      expertsNote:
        c.expertsNote ??
        `Microsoft rank ${c.rank}; implementation cost ${c.implementationCost || 'unknown'}.`,
    });
  }
  return out.map((x, i) => ({ ...x, priority: i + 1 }));
}

export interface ItemChange {
  readonly key: string;
  readonly title: string;
  /** null: the item is new since the last check-in. */
  readonly from: ItemState | null;
  readonly to: ItemState;
}

/** What changed between the previous check-in's snapshot and the items now (state changes, new items). */
export function changesSince(
  previous: Checkin | null,
  items: readonly ChecklistItem[],
): readonly ItemChange[] {
  if (previous === null) return [];
  const before = new Map(previous.snapshot.map((i) => [i.key, i]));
  const out: ItemChange[] = [];
  for (const i of items) {
    const b = before.get(i.key);
    if (b === undefined) out.push({ key: i.key, title: i.title, from: null, to: i.state });
    else if (b.state !== i.state) out.push({ key: i.key, title: i.title, from: b.state, to: i.state });
  }
  return out;
}

const OPEN: ReadonlySet<ItemState> = new Set(['notStarted', 'planned']);

/** Items past their due date (UTC day) and not settled. */
export function overdueItems(items: readonly ChecklistItem[], now: Date): readonly ChecklistItem[] {
  const today = now.toISOString().slice(0, 10);
  return items.filter((i) => i.dueDate !== null && i.dueDate < today && OPEN.has(i.state));
}

export interface Progress {
  readonly total: number;
  readonly counts: Readonly<Record<ItemState, number>>;
  /** Done, risk accepted or not applicable: nothing left to do. */
  readonly settled: number;
  readonly percent: number;
  readonly overdue: number;
}

/** The SDM's view of a checklist at a glance. */
export function progressOf(items: readonly ChecklistItem[], now: Date): Progress {
  const counts: Record<ItemState, number> = {
    notStarted: 0,
    planned: 0,
    done: 0,
    riskAccepted: 0,
    notApplicable: 0,
  };
  for (const i of items) counts[i.state] += 1;
  const settled = counts.done + counts.riskAccepted + counts.notApplicable;
  return {
    total: items.length,
    counts,
    settled,
    percent: pct(settled, items.length),
    overdue: overdueItems(items, now).length,
  };
}

/** How far ahead a due date may be set: further than a year is a typo, not a plan. */
export const MAX_DUE_DAYS = 366;

/**
 * Why a due date cannot be saved, or null when it can: it must be a date from today (UTC) to a year ahead.
 * The date the item already has is always accepted, so a form saved again after its date has passed (to
 * mark it done) is not refused for a date the person did not touch.
 */
export function dueDateProblem(due: string, current: string | null, now: Date): string | null {
  if (due === current) return null;
  const today = now.toISOString().slice(0, 10);
  const last = new Date(Date.parse(`${today}T00:00:00.000Z`) + MAX_DUE_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (due < today) return `${due} is in the past. Choose a date from ${today} on.`;
  if (due > last) return `${due} is more than a year ahead. Choose a date up to ${last}.`;
  return null;
}
