import { noticeCard } from '../../cards/index.js';
import { postToBinding } from '../alerts/binding-audience.js';
import type { Platform } from '../domain/actor.js';
import type { Directory } from '../domain/customer.js';
import type { ChatPort, Clock, Logger, Store } from '../ports.js';
import { cardReply } from '../replies.js';
import { overdueItems } from './checklist.js';
import { contactHousekeeping } from './contact-retry.js';
import type { SdmContactDelivery } from './deps.js';
import type { SdmStore } from './sdm-ports.js';

// Overdue checklist items are reminded in the customer's service channels: a periodic check (injectable
// clock) that names each overdue item at most once per UTC day, de-duplicated in the store before posting.
// The same hourly pass purges old report snapshots and SDM requests and retries undelivered requests.

const RETAIN_SECONDS = 3 * 86_400;
/** The business-hours window (UTC hours, [from, until)) in which overdue reminders are posted. */
export const REMIND_FROM_HOUR = 8;
export const REMIND_UNTIL_HOUR = 18;
/** Report links live 30 days (adapters/http/report-files.ts); snapshots are kept one day longer. */
const REPORT_KEEP_MS = 31 * 86_400_000;

export interface CheckinReminders {
  /** One pass over every customer; returns how many items were reminded. */
  runOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Creates the reminder loop. */
export function createCheckinReminders(deps: {
  readonly directory: Directory;
  readonly store: Store;
  readonly sdmStore: SdmStore;
  readonly chatFor: (p: Platform) => ChatPort | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** SDM contact: undelivered requests are retried and old ones purged in the same hourly pass. */
  readonly contact?: SdmContactDelivery;
}): CheckinReminders {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    const now = deps.clock.now();
    // Report snapshots outlive their links by a day, then go (the chart and CSV are served from them).
    await deps.sdmStore.purgeReportsBefore(new Date(now.getTime() - REPORT_KEEP_MS).toISOString());
    if (deps.contact !== undefined) {
      const contact = deps.contact;
      await contactHousekeeping({ ...deps, store: deps.sdmStore, contact }, now).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'sdm contact housekeeping failed'),
      );
    }
    // Reminders wait for business hours (UTC: the customers file has no time zone), never at night.
    const hour = now.getUTCHours();
    if (hour < REMIND_FROM_HOUR || hour >= REMIND_UNTIL_HOUR) return 0;
    const day = now.toISOString().slice(0, 10);
    let reminded = 0;
    for (const customer of deps.directory.customers) {
      const overdue = overdueItems(await deps.sdmStore.listItems(customer.id), now);
      const fresh = [];
      for (const item of overdue) {
        if (await deps.store.claimOnce(`sdm:overdue:${customer.id}:${item.key}:${day}`, RETAIN_SECONDS))
          fresh.push(item);
      }
      if (fresh.length === 0) continue;
      reminded += fresh.length;
      const lines = fresh.map(
        (i) => `- ${i.priority}. ${i.title} — due ${i.dueDate}, owner ${i.owner ?? 'not set'}`,
      );
      const message = cardReply(
        noticeCard({
          title: `${fresh.length} readiness item${fresh.length === 1 ? ' is' : 's are'} overdue`,
          text: `${lines.join('\n')}\n\nUpdate them from the check-in card, or send "checkin".`,
          tone: 'warning',
        }),
      );
      for (const b of (await deps.store.listBindings(customer.id)).filter((x) => !x.paused)) {
        const chat = deps.chatFor(b.conversation.platform);
        if (chat === undefined) continue;
        await postToBinding(deps.directory, chat, b, message).catch((error: unknown) =>
          deps.logger.warn(
            { err: error, customer: customer.id, binding: b.id },
            'overdue reminder not posted',
          ),
        );
      }
    }
    return reminded;
  }

  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    runOnce,
    start(intervalMs) {
      if (timer !== null) return;
      timer = setInterval(() => {
        void runOnce().catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'overdue reminders failed'),
        );
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
