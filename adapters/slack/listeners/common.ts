import type { Context } from '@slack/bolt';
import type { Directory } from '../../../bot/domain/customer.js';
import type { AfterAck } from './after-ack.js';
import { claimDelivery, type InboundDeps, type Installed } from './slack-inbound.js';

// Helpers every listener shares: which installation a request came through, small readers for Slack's
// loosely typed payloads, and the queue that runs the work of a request after ack() (stop() waits for it).

export interface ListenerDeps extends InboundDeps {
  /**
   * Hands the work of an acknowledged request to the bounded, per-workspace fair queue and returns at once;
   * a listener calls it only after ack(), and does no store or network work before.
   */
  readonly later: (work: AfterAck) => void;
  /** Before a modal submission's ack: whether its work will find room (else the modal says "busy"). */
  readonly admitsForm: (team: string) => boolean;
  /** Opens (and caches) the user's DM with the app, for answers that have no channel (Home, shortcuts). */
  readonly dmChannel: (installed: Installed, user: string) => Promise<string>;
  /** The customers file: whether a person's workspace is linked decides what the Home tab offers. */
  readonly directory: Directory;
}

/** A Slack payload object read defensively: every field may be missing. */
export type Rec = Readonly<Record<string, unknown>>;

/** Reads a field as an object ({} when it is not one). */
export const rec = (v: unknown): Rec =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {};
/** Reads a field as a non-empty string, or null. */
export const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The token and installation key bolt's authorize found for this request. */
export function installedOf(context: Context): Installed | null {
  const token = context.botToken;
  const installation = context.isEnterpriseInstall
    ? context.enterpriseId
    : (context.teamId ?? context.enterpriseId);
  if (token === undefined || installation === undefined) return null;
  return { token, installation };
}

/**
 * Queues an event's work after the ack. It runs once per event id: Slack's retries of an event already taken
 * (here or by another replica) are dropped.
 */
export function laterOnce(
  deps: ListenerDeps,
  installed: Installed,
  event: { readonly id: string; readonly retryNum: unknown },
  run: () => Promise<void>,
): void {
  deps.later({
    team: installed.installation,
    kind: 'event',
    responseUrl: null,
    run: async () => {
      if (!(await claimDelivery(deps.store, `event:${event.id}`))) {
        deps.logger.debug({ eventId: event.id, retry: event.retryNum }, 'Slack retry de-duplicated');
        return;
      }
      await run();
    },
  });
}
