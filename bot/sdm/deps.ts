import type { Actor, Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { ChatPort } from '../ports.js';
import type { ContactRequest, ReadinessSource, SdmStore } from './sdm-ports.js';

// What the SDM flows need beyond the core's FlowDeps. Optional on FlowDeps, so a bot built without the
// feature (older tests, benches) still works; the flows answer plainly when it is missing.

/** Signed, expiring links to a stored report's chart and CSV (adapters/http/report-files.ts). */
export interface ReportLinks {
  /**
   * Links for a report shown on `platform`; null when that platform cannot reach the bot (Slack and Teams
   * fetch images from the internet, so they need PUBLIC_BASE_URL; the dev console can use the local URL).
   */
  urls(
    customerId: string,
    reportId: string,
    platform: Platform,
    now: Date,
  ): { readonly chart: string; readonly csv: string } | null;
  /**
   * The messages view's CSV for one reader, signed like the report's: `scope` is "all" or the customer ids
   * joined by commas; null when this platform cannot reach the bot.
   */
  messagesCsv(scope: string, filter: string, reader: string, platform: Platform, now: Date): string | null;
}

/**
 * Hands a message or escalation to the SDM and pairs the threads (the Ask-experts relay). Must be
 * idempotent on request.id: an undelivered request is delivered again on a resend and from the hourly loop.
 */
export interface SdmContactDelivery {
  deliver(args: {
    readonly request: ContactRequest;
    readonly customer: Customer;
    /** The sender, when delivered in their turn (absent on a retry from the hourly loop). */
    readonly from?: Actor;
    readonly conversation: ConversationRef;
  }): Promise<{ readonly delivered: boolean; readonly where: string }>;
}

export interface SdmDeps {
  readonly store: SdmStore;
  readonly readiness: ReadinessSource;
  readonly links: ReportLinks;
  /** The chat platform to post proactively on (a service channel, the SDM's DM). */
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  readonly contact: SdmContactDelivery;
}

/** True when the actor is the SDM named for this customer in the customers file. */
export function isSdmOf(actor: Actor, customer: Customer): boolean {
  const sdm = customer.sdm;
  if (sdm === null || !actor.roles.has('sdm')) return false;
  const p = actor.principal;
  if (p.platform === 'slack') return sdm.slackUserId !== null && sdm.slackUserId === p.userId;
  if (p.platform === 'teams') return sdm.teamsUserId !== null && sdm.teamsUserId === p.userId;
  return sdm.email !== null && sdm.email === p.userId;
}

/** The customers this actor is SDM of. */
export const sdmCustomers = (actor: Actor, directory: Directory): readonly Customer[] =>
  directory.customers.filter((c) => isSdmOf(actor, c));
