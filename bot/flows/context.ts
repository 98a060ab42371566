import type { Audience } from '../audience.js';
import type { Actor, Role } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import { BotError } from '../errors.js';
import type { Clock, IncidentSource, Logger, Store } from '../ports.js';
import type { QuestionDesk } from '../questions/desk.js';
import type { Relay } from '../relay/relay.js';
import type { ResponseService } from '../response/service.js';
import type { SdmDeps } from '../sdm/deps.js';
import type { UserCheckService } from '../user-check/service.js';
import type { LookupGuard } from './incident-lookup.js';

// What every flow receives: one args object (fields grow, signatures stay). The customer is already resolved and
// is the only customer whose data the flow may touch.

export interface FlowDeps {
  readonly store: Store;
  readonly source: IncidentSource;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The SDM feature (reports, check-ins, SDM contact); absent in bots built without it. */
  readonly sdm?: SdmDeps;
  /** The customer↔provider thread relay (bot/relay): questions, handoff threads, SDM messages. */
  readonly relay?: Relay;
  /** Ask Defender Experts: the questions store and the experts' queue. */
  readonly questions?: QuestionDesk;
  /** Lookups of ids the store lacks: remembered misses and a per-person limit (one per bot when absent). */
  readonly lookups?: LookupGuard;
  /** Guided response (bot/response): decisions, runs and their audit; absent: the card stays read-only. */
  readonly response?: ResponseService;
  /** "Was this you?" (bot/user-check): asking an incident's affected user; absent: the button says so. */
  readonly userChecks?: UserCheckService;
}

export interface FlowContext extends FlowDeps {
  readonly lookups: LookupGuard;
  readonly actor: Actor;
  /** The caller's customer; null for the provider's experts and SDMs. */
  readonly customer: Customer | null;
  readonly conversation: ConversationRef;
  /** Who can read the conversation: whether this customer's data may be said in everyone's sight here. */
  readonly audience?: Audience;
  /** The platform id of the message that started this turn, when the adapter knows it (the relay pairs by it). */
  readonly messageId?: string;
}

/** A customer-scoped context: flows that read customer data require one. */
export interface CustomerContext extends FlowContext {
  readonly customer: Customer;
}

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.has(role);

/** The context of a customer-scoped route: the permission table admitted only a customer's people. */
export function customerCtx(ctx: FlowContext): CustomerContext {
  if (ctx.customer === null)
    throw new BotError('forbidden', 'customer-scoped route reached without a customer');
  return ctx as CustomerContext;
}
