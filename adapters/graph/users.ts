import type { Customer } from '../../bot/domain/customer.js';
import { GraphError } from './errors.js';
import type { GraphClient } from './graph-client.js';

// A customer's person by their user principal name, for "Was this you?" on Teams: Teams names people by
// their Entra object id, evidence often only by UPN. GET /v1.0/users/{upn} needs User.Read.All (application).

/** What Graph said about a UPN: the object id, or why there is none. */
export type UserLookup =
  | { readonly kind: 'found'; readonly objectId: string; readonly enabled: boolean }
  | { readonly kind: 'missing' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'failed'; readonly reason: string };

/** Looks a UPN up in the customer's tenant (same client, tokens and budget as the incident source). */
export async function lookupUser(client: GraphClient, customer: Customer, upn: string): Promise<UserLookup> {
  try {
    const res = await client.send(customer, {
      method: 'GET',
      url: `/v1.0/users/${encodeURIComponent(upn)}?$select=id,userPrincipalName,accountEnabled`,
      idempotent: true,
    });
    if (res.status === 404) return { kind: 'missing' };
    const body = (res.body ?? {}) as { id?: unknown; accountEnabled?: unknown };
    if (typeof body.id !== 'string' || body.id === '')
      return { kind: 'failed', reason: 'Graph named nobody' };
    return { kind: 'found', objectId: body.id.toLowerCase(), enabled: body.accountEnabled !== false };
  } catch (error) {
    if (error instanceof GraphError && error.kind === 'not_found') return { kind: 'missing' };
    if (error instanceof GraphError && (error.kind === 'forbidden' || error.kind === 'access_lost'))
      return { kind: 'denied' };
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}
