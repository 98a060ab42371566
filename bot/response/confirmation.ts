import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import type { Store } from '../ports.js';

// The one-time token a run's confirmation card carries (issue 8 review S8): issued when the card is drawn,
// kept server-side as a claim bound to the person, the action and its version, and used once by the
// confirm. The Run button's data alone cannot start a run, whichever verb a client sends.

/** How long a run's confirmation card stays usable. */
export const CONFIRMATION_TTL_SECONDS = 600;

/** What a confirmation token is about. */
export interface ConfirmationScope {
  readonly actor: Actor;
  readonly customerId: string;
  readonly incidentId: string;
  readonly actionId: string;
  readonly version: number;
}

const issuedKey = (token: string, s: ConfirmationScope): string =>
  `response:confirm:issued:${token}:${s.actor.qualifiedId}:${s.customerId}:${s.incidentId}:${s.actionId}:${s.version}`;

/** Issues a token for the confirmation card being drawn. */
export async function issueConfirmation(store: Store, scope: ConfirmationScope): Promise<string> {
  const token = randomUUID();
  await store.claimOnce(issuedKey(token, scope), CONFIRMATION_TTL_SECONDS);
  return token;
}

/**
 * Uses a token: 'ok' once for a token issued for exactly this scope and not expired; 'used' when it was
 * used already (a double click); 'invalid' for anything else (crafted, expired, another person's or another
 * version's). A token is burned by its first use, valid or not.
 */
export async function useConfirmation(
  store: Store,
  token: string,
  scope: ConfirmationScope,
): Promise<'ok' | 'used' | 'invalid'> {
  if (!(await store.claimOnce(`response:confirm:used:${token}`, 2 * CONFIRMATION_TTL_SECONDS))) return 'used';
  // A claim that succeeds means the token was never issued for this scope (or expired): refuse.
  return (await store.claimOnce(issuedKey(token, scope), 1)) ? 'invalid' : 'ok';
}
