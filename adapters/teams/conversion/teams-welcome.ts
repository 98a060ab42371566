import { type AudienceFacts, decideAudience } from '../../../bot/audience.js';
import { resolveActor } from '../../../bot/authz/resolve-actor.js';
import type { Principal } from '../../../bot/domain/actor.js';
import type { Directory } from '../../../bot/domain/customer.js';
import { unlinkedWorkspaceCard, welcomeCard } from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';

// The card the bot posts when it is installed (personal app, team, group chat), and what its refresh
// shows each viewer. The caller's tenant decides everything, exactly as for a turn: a tenant no customer
// owns gets the "not linked" card and not a word about any customer.

/**
 * Welcome for a linked tenant (the viewer's roles), the unlinked card otherwise. Given who reads the
 * conversation (`readers`), a conversation that may not carry the customer's data gets the welcome
 * without the customer's name or the viewer's role.
 */
export function welcomeFor(directory: Directory, principal: Principal, readers?: AudienceFacts): CardMessage {
  const actor = resolveActor(directory, principal);
  if (!actor.linked) return unlinkedWorkspaceCard({ platform: 'teams', workspaceId: principal.workspaceId });
  const audience = decideAudience(directory, 'teams', principal.workspaceId, readers);
  const openly =
    readers === undefined ||
    (actor.customerId === null
      ? !audience.strangers && audience.customers.size === 0
      : audience.mayCarry(actor.customerId));
  if (!openly) return welcomeCard({ customerName: null, roles: null });
  const customer = directory.customers.find((c) => c.id === actor.customerId);
  return welcomeCard({ customerName: customer?.name ?? 'Defender Experts team', roles: actor.roles });
}
