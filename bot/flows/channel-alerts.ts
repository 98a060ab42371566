import { randomUUID } from 'node:crypto';
import { noticeCard } from '../../cards/index.js';
import { type AlertRule, DEFAULT_RULES } from '../alerts/events.js';
import type { ChannelBinding } from '../domain/conversation.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext } from './context.js';

// `subscribe` / `unsubscribe`: an admin binds incident alerts for their customer to the channel
// they type in. Several channels per customer (a Teams and a Slack channel) are fine.

const RULE_LABELS: Readonly<Record<AlertRule, string>> = {
  handedOff: 'handoffs to your team',
  resolvedTruePositive: 'true positives resolved by the experts',
  resolvedOther: 'other resolutions (false positive, informational)',
  expertsStarted: 'investigations started',
  classificationChanged: 'classification changes',
  commentAdded: 'new comments',
  actionChanged: 'guided-response action changes',
  reopened: 'reopened incidents',
};

const describe = (rules: readonly string[]): string =>
  rules.map((r) => RULE_LABELS[r as AlertRule] ?? r).join('; ');

export interface SubscribeArgs {
  readonly rules: readonly AlertRule[] | null;
  readonly onCall: string | null;
}

/** Binds (or re-configures, or resumes) alerts in the current channel. */
export async function subscribe(ctx: CustomerContext, args: SubscribeArgs): Promise<readonly Reply[]> {
  if (ctx.conversation.kind === 'personal') {
    return [
      cardReply(
        noticeCard({
          title: 'Run this in a channel',
          text: 'Alerts are posted to the channel where an admin runs "subscribe". Add the bot to that channel and run it there.',
          tone: 'info',
        }),
      ),
    ];
  }
  if (ctx.audience !== undefined && !ctx.audience.mayCarry(ctx.customer.id)) {
    // Alerts name incidents, devices and people: posted here, every organisation in the channel would read them.
    return [
      cardReply(
        noticeCard({
          title: 'Not in a shared channel',
          text: `This channel includes people from other organisations, so ${ctx.customer.name}’s incident alerts cannot be posted here: everyone in it would read them. Run "subscribe" in a channel that only ${ctx.customer.name} (and Defender Experts) can read. Nothing was changed.`,
          tone: 'warning',
        }),
      ),
    ];
  }
  const existing = (await ctx.store.listBindings(ctx.customer.id)).find(
    (b) => b.conversation.id === ctx.conversation.id,
  );
  const binding: ChannelBinding = {
    id: existing?.id ?? randomUUID(),
    customerId: ctx.customer.id,
    conversation: { ...ctx.conversation, threadId: null },
    events: args.rules ?? existing?.events ?? DEFAULT_RULES,
    onCall: args.onCall ?? existing?.onCall ?? null,
    createdBy: existing?.createdBy ?? ctx.actor.qualifiedId,
    createdAt: existing?.createdAt ?? ctx.clock.now().toISOString(),
    paused: false,
  };
  await ctx.store.saveBinding(binding);
  ctx.logger.info(
    { customer: ctx.customer.id, binding: binding.id, by: ctx.actor.qualifiedId },
    'alert binding saved',
  );
  const verb =
    existing === undefined
      ? 'will now be posted'
      : existing.paused
        ? 'are resumed and will be posted'
        : 'are posted';
  return [
    cardReply(
      noticeCard({
        title: `Incident alerts for ${ctx.customer.name}`,
        text: `Alerts ${verb} in this channel for: ${describe(binding.events)}. On-call for aging handoffs: ${
          binding.onCall ?? 'not set'
        }. Change with "subscribe all", "subscribe handoff comments", "subscribe oncall <id>"; stop with "unsubscribe".`,
        tone: 'info',
      }),
    ),
  ];
}

/** Removes this channel's binding. */
export async function unsubscribe(ctx: CustomerContext): Promise<readonly Reply[]> {
  const removed = await ctx.store.deleteBinding(ctx.customer.id, ctx.conversation.id);
  if (removed)
    ctx.logger.info({ customer: ctx.customer.id, by: ctx.actor.qualifiedId }, 'alert binding removed');
  return [
    cardReply(
      noticeCard({
        title: removed ? 'Alerts stopped' : 'No alerts here',
        text: removed
          ? `This channel no longer receives incident alerts for ${ctx.customer.name}. Messages already posted stay.`
          : 'This channel was not subscribed to incident alerts, so nothing changed.',
        tone: 'info',
      }),
    ),
  ];
}
