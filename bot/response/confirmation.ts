import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import type { Store } from '../ports.js';

// The one-time token a run's confirmation card carries: issued when the card is drawn,
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

const scopeText = (s: ConfirmationScope): string =>
  `${s.actor.qualifiedId}:${s.customerId}:${s.incidentId}:${s.actionId}:${s.version}`;

const issuedKey = (token: string, s: ConfirmationScope): string =>
  `response:confirm:issued:${token}:${scopeText(s)}`;

// The token names its scope (not secretly: the store's claim is the proof), so a use for another person,
// action or version is told apart without writing anything and cannot burn the rightful holder's token.
// Still shaped like a UUID (8-4-4-4-12): the first four groups are random, the last is the scope tag.
const scopeTag = (nonce: string, s: ConfirmationScope): string =>
  createHash('sha256')
    .update(`${nonce}\n${scopeText(s)}`)
    .digest('hex')
    .slice(0, 12);

/** Issues a token for the confirmation card being drawn. */
export async function issueConfirmation(store: Store, scope: ConfirmationScope): Promise<string> {
  const nonce = randomUUID().slice(0, 23);
  const token = `${nonce}-${scopeTag(nonce, scope)}`;
  await store.claimOnce(issuedKey(token, scope), CONFIRMATION_TTL_SECONDS);
  return token;
}

/**
 * Uses a token: 'ok' once for a token issued for exactly this scope and not expired; 'used' when it was
 * used already (a double click); 'invalid' for anything else (crafted, expired, another person's or another
 * version's). Only a use for the token's own scope consumes it: a wrong person's or a stale card's attempt
 * changes nothing, so the rightful holder can still confirm.
 */
export async function useConfirmation(
  store: Store,
  token: string,
  scope: ConfirmationScope,
): Promise<'ok' | 'used' | 'invalid'> {
  const cut = token.lastIndexOf('-');
  if (cut <= 0 || token.slice(cut + 1) !== scopeTag(token.slice(0, cut), scope)) return 'invalid';
  if (!(await store.claimOnce(`response:confirm:used:${token}`, 2 * CONFIRMATION_TTL_SECONDS))) return 'used';
  // A claim that succeeds means the token was never issued for this scope (or expired): refuse. The token
  // names this scope, so only its holder (or a forger of a token never issued) reaches this line.
  return (await store.claimOnce(issuedKey(token, scope), 1)) ? 'invalid' : 'ok';
}
