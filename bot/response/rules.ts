import type { Role } from '../domain/actor.js';
import type { ExpertsAccess } from '../domain/customer.js';
import type { KnownActionKind } from '../domain/enums.js';
import type { ResponseAction } from '../domain/incident.js';
import { isUnrecognised } from '../domain/tolerant.js';
import type { ResponseDecision } from './response-ports.js';

// The permission matrix of guided response, as one pure function so the card (which buttons to
// show), the flow (whether a click may apply) and the tests read the same rules.

/** Actions that change a device, a user or a file in a way people notice: the confirmation says so. */
export const DESTRUCTIVE_KINDS: ReadonlySet<KnownActionKind> = new Set<KnownActionKind>([
  'isolateDevice',
  'restrictAppExecution',
  'stopAndQuarantineFile',
  'disableUser',
  'forcePasswordReset',
  'revokeSessions',
  'softDeleteEmail',
  'blockOAuthApp',
]);

/** Everything the rules look at. */
export interface PermissionInput {
  readonly roles: ReadonlySet<Role>;
  /** Whether the caller belongs to the incident's customer (the provider's people never do). */
  readonly ownCustomer: boolean;
  readonly customerName: string;
  readonly expertsAccess: ExpertsAccess;
  /** The customer enabled execution from chat (customers file `responseExecution: true`). */
  readonly executionEnabled: boolean;
  /** The executor can run this kind on this target. */
  readonly runnable: boolean;
  readonly action: ResponseAction;
}

export type Permission =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly code: DenialCode };

export type DenialCode = 'role' | 'excluded' | 'state' | 'operator' | 'not_runnable' | 'execution_off';

const deny = (code: DenialCode, reason: string): Permission => ({ allowed: false, code, reason });

const actionable = (a: ResponseAction): boolean =>
  !isUnrecognised(a.state) && (a.state === 'pending' || a.state === 'failed');

/**
 * May this caller make this decision on this action? Order matters: who you are first (so an analyst is
 * told about roles, not about states), then the asset, then the action's state, then the access model.
 *
 * - only the customer's responders and admins act; analysts and the provider's people see state only;
 * - an excluded asset gets guidance, never a button;
 * - only pending actions, or failed ones (to retry or settle by hand), can be decided;
 * - reader access: the actions are the customer's — done, skip, and run when execution is enabled;
 * - operator access: the experts perform the actions — the customer may only run them through the bot,
 *   which acts with the bot's own app registration; the run is recorded as the person's, with that said.
 */
export function permit(input: PermissionInput, decision: ResponseDecision): Permission {
  const { roles, action } = input;
  if (!input.ownCustomer || !(roles.has('responder') || roles.has('admin'))) {
    return deny('role', `Only ${input.customerName} responders and admins can act on guided response.`);
  }
  if (action.target.excluded) {
    return deny(
      'excluded',
      'This asset is excluded: follow the experts’ guidance in the Microsoft Defender portal.',
    );
  }
  if (!actionable(action)) return deny('state', 'This action has already been dealt with.');
  if (decision !== 'run') {
    if (input.expertsAccess === 'operator') {
      return deny(
        'operator',
        `Defender Experts hold Security Operator access for ${input.customerName} and perform this action themselves.`,
      );
    }
    return { allowed: true };
  }
  if (!input.runnable) return deny('not_runnable', 'The bot cannot run this action; do it in the portal.');
  if (!input.executionEnabled) {
    return deny('execution_off', `Running actions from chat is not enabled for ${input.customerName}.`);
  }
  return { allowed: true };
}
