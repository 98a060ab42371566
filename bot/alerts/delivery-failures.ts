import type { Platform } from '../domain/actor.js';
import type { ChannelBinding } from '../domain/conversation.js';
import { ChatDeliveryError } from '../errors.js';
import { backoffMs } from '../pacing/windows.js';
import type { ChatPort, Clock, Logger, OutboxItem, Store } from '../ports.js';
import { threadLine } from './alert-messages.js';
import type { AlertObserver } from './dispatcher.js';

// What the dispatcher does when a delivery fails: wait (throttled: Retry-After, without counting an attempt;
// transient: jittered backoff), drop the row (invalid, or a post that may already be in the channel: the
// platforms cannot de-duplicate a repeat), or, after repeated "gone/forbidden", pause the binding and tell
// the customer's other channels. The chat port that answered 429 has already held its own pacer back. Split from dispatcher.ts to keep each file about one thing.

/** After this many "gone/forbidden" failures in a row, a binding is paused and its customer told. */
export const PAUSE_AFTER_FAILURES = 3;

export interface FailureDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  readonly observer?: AlertObserver;
  readonly maxAttempts: number;
  readonly random?: () => number;
}

export interface FailureHandler {
  /** Records the failure of one row; 'stopLane' when the conversation's other rows must wait. */
  handle(item: OutboxItem, binding: ChannelBinding, error: unknown): Promise<'stopLane' | 'continue'>;
  /** A delivery to this binding worked: its run of gone/forbidden failures is over. */
  succeeded(bindingId: string): void;
}

/** Creates the failure handling for one dispatcher (it counts failures per binding in memory). */
export function createFailureHandler(deps: FailureDeps): FailureHandler {
  const { store, clock, logger, maxAttempts } = deps;
  const failures = new Map<string, number>();

  async function pauseBinding(binding: ChannelBinding, reason: string): Promise<void> {
    await store.setBindingPaused(binding.id, true);
    deps.observer?.bindingPaused(binding.conversation.platform);
    logger.warn(
      { binding: binding.id, customer: binding.customerId, reason },
      'alert binding paused after repeated delivery failures',
    );
    const others = (await store.listBindings(binding.customerId)).filter(
      (b) => b.id !== binding.id && !b.paused,
    );
    const text = `Incident alerts to another channel (${binding.conversation.kind} on ${binding.conversation.platform}) were paused: ${reason}. An admin can run "subscribe" there again once the bot is back in that channel.`;
    for (const other of others) {
      const chat = deps.chatFor(other.conversation.platform);
      if (chat === undefined) continue;
      await chat.post(other.conversation, threadLine(text)).catch((error: unknown) => {
        logger.warn({ binding: other.id, err: error }, 'could not tell the customer about a paused binding');
      });
    }
  }

  /** Another attempt after a backoff, or the row given up once it has had its attempts. */
  async function retryOrGiveUp(item: OutboxItem, reason: string, now: Date): Promise<void> {
    if (item.attempts + 1 >= maxAttempts) await store.abandonOutbox(item.id, reason);
    else
      await store.retryOutbox(
        item.id,
        new Date(now.getTime() + backoffMs(item.attempts, 2_000, 600_000, deps.random)),
        reason,
      );
  }

  async function handle(
    item: OutboxItem,
    binding: ChannelBinding,
    error: unknown,
  ): Promise<'stopLane' | 'continue'> {
    const now = clock.now();
    const platform = binding.conversation.platform;
    if (!(error instanceof ChatDeliveryError)) {
      logger.error(
        { err: error, outbox: item.id, binding: binding.id },
        'alert delivery failed unexpectedly',
      );
      deps.observer?.failed(platform, 'error');
      await retryOrGiveUp(item, String(error), now);
      return 'stopLane';
    }
    deps.observer?.failed(platform, error.failure);
    switch (error.failure) {
      case 'throttled': {
        const wait = error.retryAfterMs ?? 1_000;
        await store.retryOutbox(item.id, new Date(now.getTime() + wait), error.message, false);
        return 'stopLane';
      }
      case 'transient':
        if (error.maybeSent) {
          // The post may be in the channel already; a second one would show the alert twice. The rest of
          // the conversation's rows wait a little, since the platform is evidently struggling.
          logger.warn(
            { outbox: item.id, binding: binding.id, reason: error.message },
            'alert message may have been delivered despite the failure; not sending it again',
          );
          await store.abandonOutbox(item.id, `may have been delivered: ${error.message}`);
          return 'stopLane';
        }
        await retryOrGiveUp(item, error.message, now);
        return 'stopLane';
      case 'messageGone':
        await retryOrGiveUp(item, error.message, now);
        return 'stopLane';
      case 'invalid':
        // An expected failure: its kind and message, no stack.
        logger.warn(
          { outbox: item.id, binding: binding.id, failure: error.failure, reason: error.message },
          'platform rejected an alert message',
        );
        await store.abandonOutbox(item.id, error.message);
        return 'continue';
      case 'shared':
        await store.abandonOutbox(item.id, error.message);
        failures.delete(binding.id);
        await pauseBinding(binding, 'the channel is now shared with people of other organisations');
        return 'stopLane';
      case 'gone':
      case 'forbidden': {
        await store.abandonOutbox(item.id, error.message);
        const count = (failures.get(binding.id) ?? 0) + 1;
        failures.set(binding.id, count);
        if (count >= PAUSE_AFTER_FAILURES) {
          failures.delete(binding.id);
          await pauseBinding(
            binding,
            error.failure === 'gone' ? 'the channel no longer exists' : 'the bot lost access to the channel',
          );
          return 'stopLane';
        }
        return 'continue';
      }
    }
  }

  return {
    handle,
    succeeded: (bindingId) => void failures.delete(bindingId),
  };
}
