import type { Bot } from '../../../bot/bot.js';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import type { Logger, Reply, Store, Turn } from '../../../bot/ports.js';
import { cardReply } from '../../../bot/replies.js';
import { noticeCard } from '../../../cards/index.js';
import { parseConversation } from '../conversation-ids.js';
import type { SlackAudience } from '../slack-audience.js';
import type { IdentityInput, SlackIdentity } from '../slack-identity.js';
import { storedParts } from '../transport/continuation.js';
import type { SlackApi } from '../transport/slack-api.js';
import { type DeliverContext, deliver, type Target } from '../transport/slack-deliver.js';

export { slackToPlain } from '../render/slack-text.js';

// What every listener does after ack(): de-duplicate the delivery, find out who is asking (the user's own
// workspace), hand the turn to the core, and deliver its replies where the question was asked. Failures
// are logged once here with context; the asker gets a safe notice, never silence and never a stack trace.

export interface InboundDeps {
  readonly bot: Bot;
  readonly api: SlackApi;
  readonly identity: SlackIdentity;
  /** Who can read a channel (Slack Connect): decides with the core whether answers are private. */
  readonly audience: SlackAudience;
  readonly store: Store;
  readonly logger: Logger;
}

/** The installation a request came through: its token and key (team, or org for org-wide installs). */
export interface Installed {
  readonly token: string;
  readonly installation: string;
}

/** Everything a listener knows about one delivery, ready to become a core Turn. */
export interface TurnRequest extends Installed {
  /** The platform's id of this delivery (event_id, trigger/action ids): the core de-duplicates by it. */
  readonly deliveryId: string;
  readonly user: Omit<IdentityInput, 'token'>;
  readonly conversation: ConversationRef;
  readonly input: Turn['input'];
  readonly target: Target;
  /** The event envelope said the channel is externally shared (is_ext_shared_channel). */
  readonly sharedHint?: boolean;
}

const DEDUP_SECONDS = 24 * 3600;

/**
 * Records a Slack delivery id; false for a retry or replay (Slack retries events up to three times). The one
 * durable claim of a delivery: the turns it runs are marked claimed, so the core does not claim again.
 */
export function claimDelivery(store: Store, key: string): Promise<boolean> {
  return store.claimOnce(`slack:${key}`, DEDUP_SECONDS);
}

const sorry = (title: string, text: string): Reply => cardReply(noticeCard({ title, text, tone: 'warning' }));

/** Delivers replies, logging (not throwing) a failure: by then the request was acknowledged long ago. */
export async function deliverSafely(
  deps: InboundDeps,
  ctx: Installed,
  target: Target,
  replies: readonly Reply[],
): Promise<void> {
  const dctx: DeliverContext = {
    api: deps.api,
    token: ctx.token,
    installation: ctx.installation,
    logger: deps.logger,
    parts: storedParts(deps.store),
  };
  try {
    await deliver(dctx, target, replies);
  } catch (error) {
    deps.logger.error(
      { err: error, target: target.kind, installation: ctx.installation },
      'Slack: answer not delivered',
    );
  }
}

/** Runs one turn through the core and delivers its replies. Returns them (the Home tab composes two). */
export async function runTurn(
  deps: InboundDeps,
  req: TurnRequest,
  deliverReplies = true,
): Promise<readonly Reply[]> {
  let principal: Turn['principal'];
  try {
    principal = await deps.identity.principal({ ...req.user, token: req.token });
  } catch (error) {
    deps.logger.warn({ err: error, user: req.user.userId }, 'Slack: could not resolve the user’s workspace');
    const replies = [
      sorry(
        'I could not check your workspace',
        'I could not confirm which Slack workspace you belong to, so I did not answer. Please try again in a minute.',
      ),
    ];
    if (deliverReplies) await deliverSafely(deps, req, req.target, replies);
    return replies;
  }
  const { channel } = parseConversation(req.conversation);
  const audience = await deps.audience.factsFor(req.token, req.installation, channel, req.sharedHint);
  const replies = await deps.bot.handleTurn({
    deliveryId: req.deliveryId,
    principal,
    conversation: req.conversation,
    input: req.input,
    audience,
    // Every Slack listener claims its delivery (claimDelivery) before it runs a turn.
    claimed: true,
  });
  if (deliverReplies) await deliverSafely(deps, req, req.target, replies);
  return replies;
}
