import type { Directory } from '../domain/customer.js';
import type { Logger } from '../ports.js';
import { DEFAULT_RETENTION_DAYS } from '../questions/desk.js';
import type { SdmContactDelivery } from './deps.js';
import type { ContactRequest, SdmStore } from './sdm-ports.js';

// Delivering a recorded SDM request, and the hourly housekeeping of requests: a request is recorded before
// anything is sent, so a failure (the platform down, a crash) leaves it undelivered and it is tried again
// (on a resend, and from the hourly loop) instead of being lost behind a dedup key.

/** Undelivered requests are retried this long; after that the customer has been told to email. */
export const CONTACT_RETRY_MS = 7 * 86_400_000;
/** Requests are kept as long as the relay keeps their threads (six months). */
export const CONTACT_KEEP_MS = DEFAULT_RETENTION_DAYS * 86_400_000;

export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly where: string }
  | { readonly status: 'noRoute'; readonly where: string }
  | { readonly status: 'failed' };

/** Delivers one stored request and marks it; a failure is logged and reported, never thrown. */
export async function deliverStored(
  deps: { readonly store: SdmStore; readonly contact: SdmContactDelivery; readonly logger: Logger },
  request: ContactRequest,
  directory: Directory,
  now: Date,
): Promise<DeliveryOutcome> {
  const customer = directory.customers.find((c) => c.id === request.customerId);
  if (customer === undefined || request.conversation === null) return { status: 'noRoute', where: '' };
  try {
    const outcome = await deps.contact.deliver({ request, customer, conversation: request.conversation });
    if (!outcome.delivered) return { status: 'noRoute', where: outcome.where };
    await deps.store.markContactDelivered(request.customerId, request.id, now.toISOString());
    return { status: 'delivered', where: outcome.where };
  } catch (error) {
    deps.logger.warn(
      { err: error, customer: request.customerId, request: request.id },
      'sdm request not delivered; it is retried',
    );
    return { status: 'failed' };
  }
}

/** One hourly pass: retries undelivered requests of the last week, purges those past retention. */
export async function contactHousekeeping(
  deps: {
    readonly store: SdmStore;
    readonly contact: SdmContactDelivery;
    readonly logger: Logger;
    readonly directory: Directory;
  },
  now: Date,
): Promise<{ readonly delivered: number; readonly purged: number }> {
  const purged = await deps.store.purgeContactRequestsBefore(
    new Date(now.getTime() - CONTACT_KEEP_MS).toISOString(),
  );
  const since = new Date(now.getTime() - CONTACT_RETRY_MS).toISOString();
  let delivered = 0;
  for (const customer of deps.directory.customers) {
    for (const request of await deps.store.listUndeliveredContactRequests(customer.id, since, 20)) {
      const outcome = await deliverStored(deps, request, deps.directory, now);
      if (outcome.status === 'delivered') delivered += 1;
    }
  }
  return { delivered, purged };
}
