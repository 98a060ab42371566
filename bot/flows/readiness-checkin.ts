import { checkinCard, checkinItemCard } from '../../cards/builders/checkin.js';
import { noticeCard } from '../../cards/index.js';
import type { CheckinSaveData } from '../../cards/sdm-verbs.js';
import { SDM_LIMITS } from '../../cards/sdm-verbs.js';
import type { CardMessage } from '../../cards/types.js';
import { assertMayCarry, postToBinding } from '../alerts/binding-audience.js';
import type { Customer } from '../domain/customer.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { checklistCustomer } from '../sdm/access.js';
import { changesSince, dueDateProblem, overdueItems, progressOf, seedsFrom } from '../sdm/checklist.js';
import { type SdmDeps, sdmCustomers } from '../sdm/deps.js';
import type { Checkin, ReadinessSnapshot } from '../sdm/sdm-ports.js';
import { resolveTarget } from '../sdm/target.js';
import type { FlowContext, FlowDeps } from './context.js';

// Readiness check-ins: the SDM runs `checkin start <customer>`, the customer's service channel
// gets the checklist, and the customer's people (and their SDM) update each item from the card.

const USAGE = 'Try: checkin, or checkin start <customer> (SDM).';

const notice = (title: string, text: string, tone: 'info' | 'warning' = 'warning'): readonly Reply[] => [
  cardReply(noticeCard({ title, text, tone })),
];

const unknown = (): readonly Reply[] =>
  notice(
    'No such checklist',
    'There is no readiness checklist like that for you. Send "checkin" to see yours.',
  );

/** The checklist card of one customer as it stands now, diffed against the check-in before the latest. */
export async function checklistMessage(
  deps: FlowDeps,
  sdm: SdmDeps,
  customer: Customer,
  canEdit: boolean,
  started?: { readonly checkin: Checkin; readonly previous: Checkin | null },
  viewerIsSdm = false,
): Promise<CardMessage> {
  const now = deps.clock.now();
  const items = await sdm.store.listItems(customer.id);
  const latest = started?.checkin ?? (await sdm.store.latestCheckin(customer.id));
  // Changes are measured from the previous check-in's snapshot to the items now (latest's start + edits since).
  const previous =
    started !== undefined ? started.previous : latest === null ? null : await previousOf(sdm, latest);
  return checkinCard({
    customerId: customer.id,
    customerName: customer.name,
    checkin: latest,
    previous: previous === null ? null : { number: previous.number, startedAt: previous.startedAt },
    changes: changesSince(previous, items),
    items,
    progress: progressOf(items, now),
    overdueKeys: new Set(overdueItems(items, now).map((i) => i.key)),
    canEdit,
    viewerIsSdm,
    now,
  });
}

async function previousOf(sdm: SdmDeps, latest: Checkin): Promise<Checkin | null> {
  return latest.number <= 1 ? null : sdm.store.getCheckin(latest.customerId, latest.number - 1);
}

/** `checkin` and `checkin start <customer>`. */
export async function checkinCommand(ctx: FlowContext, startFor: string | null): Promise<readonly Reply[]> {
  if (startFor !== null) return startCheckin(ctx, startFor);
  const sdm = ctx.sdm;
  if (sdm === undefined) return notice('Not available', 'This bot was started without the SDM features.');
  if (ctx.customer !== null) return [cardReply(await checklistMessage(ctx, sdm, ctx.customer, true))];
  const mine = sdmCustomers(ctx.actor, ctx.directory);
  if (mine.length === 0)
    return notice(
      'For customers and their SDM',
      `Only a customer’s people and their SDM have checklists. ${USAGE}`,
    );
  return Promise.all(
    mine.map(async (c) => cardReply(await checklistMessage(ctx, sdm, c, true, undefined, true))),
  );
}

/** The SDM starts a check-in: refresh the items from the readiness source and post to the service channel. */
async function startCheckin(ctx: FlowContext, customerId: string): Promise<readonly Reply[]> {
  if (ctx.customer !== null)
    return notice(
      'Only your SDM starts check-ins',
      'Your SDM starts readiness check-ins. Send "checkin" to see the checklist.',
    );
  const target = resolveTarget(ctx, customerId, USAGE);
  if (!target.ok) return target.replies;
  const { customer, sdm } = target;
  const open = await openCheckin(ctx, sdm, customer);
  if (open !== null) return open;
  let snapshot: ReadinessSnapshot;
  try {
    snapshot = await sdm.readiness.read(customer);
  } catch (error) {
    ctx.logger.warn({ err: error, customer: customer.id }, 'readiness data not readable');
    return notice(
      'Readiness data not available',
      `The readiness assessment and Secure Score of ${customer.name} could not be read right now, so no check-in was started. Try again in a few minutes.`,
    );
  }
  const now = ctx.clock.now();
  // Checked again by the store, atomically: of two starts at once (two tabs, two SDMs) one posts a check-in
  // and the other is shown it.
  const started = await sdm.store.startCheckin(
    customer.id,
    seedsFrom(snapshot),
    ctx.actor.principal.displayName,
    now.toISOString(),
    new Date(now.getTime() - CHECKIN_OPEN_MS).toISOString(),
  );
  if (!started.created) return stillOpen(ctx, sdm, customer, started.checkin, true);
  const message = await checklistMessage(ctx, sdm, customer, true, started);
  const channels = (await ctx.store.listBindings(customer.id)).filter((b) => !b.paused);
  let posted = 0;
  for (const b of channels) {
    const chat = sdm.chatFor(b.conversation.platform);
    if (chat === undefined) continue;
    try {
      const copy = await postToBinding(ctx.directory, chat, b, cardReply(message));
      await sdm.store.recordCheckinPost({
        customerId: customer.id,
        checkinId: started.checkin.id,
        conversation: { ...b.conversation, threadId: null },
        messageId: copy.messageId,
      });
      posted += 1;
    } catch (error) {
      ctx.logger.warn(
        { err: error, customer: customer.id, binding: b.id },
        'check-in not posted to a service channel',
      );
    }
  }
  const where =
    posted > 0
      ? `Posted check-in #${started.checkin.number} to ${posted} ${customer.name} channel(s).`
      : `${customer.name} has no reachable service channel (an alert channel bound with "subscribe"): share this card with them another way.`;
  return [cardReply(message), ...notice('Check-in started', where, posted > 0 ? 'info' : 'warning')];
}

/**
 * A check-in stays open this long after it starts: a second "checkin start" inside it is almost always a
 * repeat (a double send, a second SDM tab), and posting the whole checklist again would bury the first.
 */
export const CHECKIN_OPEN_MS = 7 * 86_400_000;

/** The open check-in and where it was posted, instead of a second one; null when none is open. */
async function openCheckin(
  ctx: FlowContext,
  sdm: SdmDeps,
  customer: Customer,
): Promise<readonly Reply[] | null> {
  const latest = await sdm.store.latestCheckin(customer.id);
  const now = ctx.clock.now().getTime();
  if (latest === null || now - Date.parse(latest.startedAt) >= CHECKIN_OPEN_MS) return null;
  return stillOpen(ctx, sdm, customer, latest, false);
}

/** Says check-in `latest` is still open and where it is; `racing`: it was started while this one read. */
async function stillOpen(
  ctx: FlowContext,
  sdm: SdmDeps,
  customer: Customer,
  latest: Checkin,
  racing: boolean,
): Promise<readonly Reply[]> {
  const copies = await sdm.store.listCheckinPosts(customer.id, latest.id);
  const until = new Date(Date.parse(latest.startedAt) + CHECKIN_OPEN_MS).toISOString().slice(0, 10);
  const where =
    copies.length > 0
      ? `It is in ${copies.length} ${customer.name} channel${copies.length === 1 ? '' : 's'}.`
      : racing
        ? 'It was started moments ago, so its card may still be on its way to the service channels.'
        : 'It was not posted to a service channel.';
  return [
    cardReply(await checklistMessage(ctx, sdm, customer, true, undefined, true)),
    ...notice(
      `Check-in #${latest.number} is still open`,
      `${customer.name}’s check-in #${latest.number} was started on ${latest.startedAt.slice(0, 10)} by ${latest.startedBy}. ${where} Nothing new was posted: update its items here or on the posted card. A new check-in can be started from ${until}.`,
      'info',
    ),
  ];
}

/** Card button: the checklist again (after an edit, or "Refresh"). */
export async function showChecklist(ctx: FlowContext, customerId: string): Promise<readonly Reply[]> {
  const customer = checklistCustomer(ctx, customerId);
  if (customer === null || ctx.sdm === undefined) return unknown();
  return [
    cardReply(
      await checklistMessage(ctx, ctx.sdm, customer, true, undefined, ctx.customer === null),
      'replace',
    ),
  ];
}

/** Card button: the form for one item. */
export async function editItem(ctx: FlowContext, customerId: string, key: string): Promise<readonly Reply[]> {
  const customer = checklistCustomer(ctx, customerId);
  if (customer === null || ctx.sdm === undefined) return unknown();
  const item = (await ctx.sdm.store.listItems(customer.id)).find((i) => i.key === key);
  if (item === undefined) return unknown();
  return [
    cardReply(checkinItemCard({ customerId: customer.id, customerName: customer.name, item }), 'replace'),
  ];
}

/** Card button: save one item's state, owner, due date and note. */
export async function saveItem(ctx: FlowContext, d: CheckinSaveData): Promise<readonly Reply[]> {
  const customer = checklistCustomer(ctx, d.customer);
  if (customer === null || ctx.sdm === undefined) return unknown();
  if ((d.owner?.length ?? 0) > SDM_LIMITS.owner)
    return notice(
      'Owner too long',
      `Keep the owner under ${SDM_LIMITS.owner} characters. Nothing was saved.`,
    );
  if ((d.note?.length ?? 0) > SDM_LIMITS.note)
    return notice('Note too long', `Keep the note under ${SDM_LIMITS.note} characters. Nothing was saved.`);
  if (d.dueDate !== undefined && d.dueDate !== null) {
    const current = (await ctx.sdm.store.listItems(customer.id)).find((i) => i.key === d.key);
    if (current === undefined) return unknown();
    const problem = dueDateProblem(d.dueDate, current.dueDate, ctx.clock.now());
    if (problem !== null) return notice('Due date not accepted', `${problem} Nothing was saved.`);
  }
  const saved = await ctx.sdm.store.updateItem(
    customer.id,
    d.key,
    { owner: d.owner, dueDate: d.dueDate, state: d.state, note: d.note },
    ctx.actor.qualifiedId,
    ctx.clock.now().toISOString(),
  );
  if (saved === null) return unknown();
  const message = await checklistMessage(ctx, ctx.sdm, customer, true, undefined, ctx.customer === null);
  await redrawCopies(ctx, ctx.sdm, customer.id, message);
  return [cardReply(message, 'replace')];
}

/** The latest check-in's other posted copies show the edit too (the clicked one is replaced by the reply). */
async function redrawCopies(
  ctx: FlowContext,
  sdm: SdmDeps,
  customerId: string,
  message: CardMessage,
): Promise<void> {
  const latest = await sdm.store.latestCheckin(customerId);
  if (latest === null) return;
  for (const copy of await sdm.store.listCheckinPosts(customerId, latest.id)) {
    if (copy.conversation.id === ctx.conversation.id) continue;
    const chat = sdm.chatFor(copy.conversation.platform);
    if (chat === undefined) continue;
    // A copy is redrawn only where the customer's data may still be said.
    await assertMayCarry(ctx.directory, chat, copy.conversation, customerId)
      .then(() => chat.update(copy.conversation, copy.messageId, cardReply(message)))
      .catch((error: unknown) =>
        ctx.logger.warn({ err: error, customer: customerId }, 'check-in copy not redrawn'),
      );
  }
}
