import type { ItemChange, Progress } from '../../bot/sdm/checklist.js';
import { type Checkin, type ChecklistItem, ITEM_STATE_LABELS, ITEM_STATES } from '../../bot/sdm/sdm-ports.js';
import { LIMITS, plainLine, plainText } from '../escape.js';
import { SDM_INPUTS, SDM_LIMITS, SDM_VERBS } from '../sdm-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, type ExecuteView, md } from '../view.js';

// The readiness check-in: the prioritised checklist with each item's experts' note, owner, due
// date, state and note, what changed since the last check-in, and an "Update" form per item.

export interface CheckinCardInput {
  readonly customerId: string;
  readonly customerName: string;
  readonly checkin: Checkin | null;
  readonly previous: { readonly number: number; readonly startedAt: string } | null;
  readonly changes: readonly ItemChange[];
  readonly items: readonly ChecklistItem[];
  readonly progress: Progress;
  readonly overdueKeys: ReadonlySet<string>;
  /** Whether the viewer may edit (the customer's people and their SDM); others see the state only. */
  readonly canEdit: boolean;
  /** The SDM is told how to start a check-in; the customer's people that their SDM starts it. */
  readonly viewerIsSdm?: boolean;
  readonly now: Date;
}

/** How many items the card lists; the rest are counted (Teams cards stay under ~28 KB). */
export const CHECKIN_TOP = 12;

const button = (title: string, verb: string, data: { [k: string]: string }): ExecuteView => ({
  title: plainLine(title, 60),
  verb,
  data,
});

const changeLine = (c: ItemChange): string =>
  c.from === null
    ? `New: ${plainLine(c.title, LIMITS.title)} (${ITEM_STATE_LABELS[c.to]})`
    : `${plainLine(c.title, LIMITS.title)}: ${ITEM_STATE_LABELS[c.from]} → ${ITEM_STATE_LABELS[c.to]}`;

/** The checklist card. */
export function checkinCard(input: CheckinCardInput): CardMessage {
  const customer = plainLine(input.customerName, LIMITS.name);
  const c = input.checkin;
  const p = input.progress;
  const title =
    c === null ? `Readiness checklist — ${customer}` : `Readiness check-in #${c.number} — ${customer}`;
  // With no items there is nothing settled: show "—", not a 100% that no one earned.
  const settled = p.total === 0 ? '—' : `${p.percent}%`;
  const subtitle =
    c === null
      ? input.viewerIsSdm === true
        ? `No check-in yet. Start one with "checkin start ${input.customerId}".`
        : 'No check-in yet. Your SDM starts one; ask them with "sdm".'
      : `Started ${c.startedAt.slice(0, 10)} by ${plainLine(c.startedBy, LIMITS.name)} · ${p.settled} of ${p.total} settled (${settled})`;
  const changesTitle =
    c === null
      ? 'Nothing to compare yet.'
      : input.previous === null
        ? 'First check-in: everything below is new.'
        : input.changes.length === 0
          ? `No changes since check-in #${input.previous.number} (${input.previous.startedAt.slice(0, 10)}).`
          : `Since check-in #${input.previous.number} (${input.previous.startedAt.slice(0, 10)}):`;
  const shown = input.items.slice(0, CHECKIN_TOP);
  const more = input.items.length - shown.length;
  const items = shown.map((i) => {
    const overdue = input.overdueKeys.has(i.key);
    return {
      title: md(`${i.priority}. ${plainLine(i.title, LIMITS.title)}`),
      detail: md(plainLine(i.detail, LIMITS.line)),
      note: md(`Experts’ note: ${plainText(i.expertsNote, LIMITS.section)}`),
      facts: [
        { title: md('State'), value: md(`${ITEM_STATE_LABELS[i.state]}${overdue ? ' — overdue' : ''}`) },
        { title: md('Owner'), value: md(plainLine(i.owner ?? '—', SDM_LIMITS.owner)) },
        { title: md('Due'), value: md(i.dueDate ?? '—') },
        ...(i.note === null ? [] : [{ title: md('Note'), value: md(plainText(i.note, SDM_LIMITS.note)) }]),
      ],
      canEdit: input.canEdit,
      edit: button('Update', SDM_VERBS.checkinItem, { customer: input.customerId, key: i.key }),
    };
  });
  const stats = [
    { value: settled, label: 'Settled', color: 'good' },
    { value: String(p.counts.planned), label: 'Planned', color: 'accent' },
    { value: String(p.counts.notStarted), label: 'Not started', color: 'default' },
    { value: String(p.overdue), label: 'Overdue', color: p.overdue > 0 ? 'attention' : 'default' },
  ];
  return cardMessage(
    'checkin',
    {
      title: md(title),
      subtitle: md(subtitle),
      stats: stats.map((s) => ({ value: md(s.value), label: md(s.label), color: s.color })),
      changesTitle: md(changesTitle),
      changes: input.changes.slice(0, 15).map((ch) => ({ line: md(`- ${changeLine(ch)}`) })),
      items,
      hasMore: more > 0,
      moreText: md(`…and ${more} more items of lower priority.`),
      actions: [button('Refresh', SDM_VERBS.checkinShow, { customer: input.customerId })],
    },
    [
      title,
      subtitle,
      `Settled ${settled} · planned ${p.counts.planned} · not started ${p.counts.notStarted} · overdue ${p.overdue}`,
      changesTitle,
      ...input.changes.slice(0, 15).map(changeLine),
      ...shown.map(
        (i) => `${i.priority}. ${plainLine(i.title, LIMITS.title)} — ${ITEM_STATE_LABELS[i.state]}`,
      ),
    ],
  );
}

/**
 * Input values are not markdown, but a stored value is still user text: only a plain name is put back into
 * the owner box. Anything else starts empty and is shown escaped above the box; an empty box keeps the
 * owner and "-" clears it (cards/sdm-verbs.ts), so saving the state alone never wipes it.
 */
function prefill(owner: string | null): string {
  if (owner === null) return '';
  return /^[\p{L}\p{N} .,'@&()_/-]{1,120}$/u.test(owner) && !/:\/\/|www\./i.test(owner) ? owner : '';
}

/** The form that edits one item: state, owner and due date prefilled; the note is replaced or kept. */
export function checkinItemCard(input: {
  readonly customerId: string;
  readonly customerName: string;
  readonly item: ChecklistItem;
}): CardMessage {
  const i = input.item;
  const heading = `Readiness item ${i.priority} — ${plainLine(input.customerName, LIMITS.name)}`;
  return cardMessage(
    'checkin-item',
    {
      heading: md(heading),
      title: md(plainLine(i.title, LIMITS.title)),
      detail: md(plainLine(i.detail, LIMITS.line)),
      note: md(`Experts’ note: ${plainText(i.expertsNote, LIMITS.section)}`),
      current: md(
        [
          i.owner !== null && prefill(i.owner) === ''
            ? `Current owner: ${plainLine(i.owner, SDM_LIMITS.owner)} (kept unless you type a new one).`
            : '',
          i.note === null ? 'No note yet.' : `Current note: ${plainText(i.note, SDM_LIMITS.note)}`,
        ]
          .filter((l) => l !== '')
          .join('\n\n'),
      ),
      ids: { ...SDM_INPUTS },
      limits: { owner: SDM_LIMITS.owner, note: SDM_LIMITS.note },
      state: i.state,
      states: ITEM_STATES.map((s) => ({ title: ITEM_STATE_LABELS[s], value: s })),
      owner: prefill(i.owner),
      dueDate: i.dueDate ?? '',
      actions: [
        button('Save', SDM_VERBS.checkinSave, { customer: input.customerId, key: i.key }),
        button('Back to the checklist', SDM_VERBS.checkinShow, { customer: input.customerId }),
      ],
    },
    [heading, plainLine(i.title, LIMITS.title), `State: ${ITEM_STATE_LABELS[i.state]}`],
  );
}
