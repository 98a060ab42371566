import { type Actor, type Principal, qualifiedUserId, type Role } from '../domain/actor.js';
import type { Customer, Directory } from '../domain/customer.js';

// Every turn starts here: the platform identity is mapped to a customer through the customers file.
// The workspace decides the customer; nothing the user types can select another one.

/** The dev console addresses customers as "customer:<id>" and the provider as "experts". */
export const WEB_EXPERTS_WORKSPACE = 'experts';
export const webCustomerWorkspace = (customerId: string): string => `customer:${customerId}`;

function customerOf(directory: Directory, p: Principal): Customer | null {
  switch (p.platform) {
    case 'teams':
      return directory.customers.find((c) => c.teamsTenantId === p.workspaceId) ?? null;
    case 'slack':
      return directory.customers.find((c) => c.slackTeamId === p.workspaceId) ?? null;
    case 'web':
      return directory.customers.find((c) => webCustomerWorkspace(c.id) === p.workspaceId) ?? null;
  }
}

function isExpertsWorkspace(directory: Directory, p: Principal): boolean {
  const e = directory.experts;
  switch (p.platform) {
    case 'teams':
      return e.teamsTenantId !== null && e.teamsTenantId === p.workspaceId;
    case 'slack':
      return e.slackTeamId !== null && e.slackTeamId === p.workspaceId;
    case 'web':
      return p.workspaceId === WEB_EXPERTS_WORKSPACE;
  }
}

/** True when the principal is the SDM of any customer (matched by the SDM's platform id, or email in the console). */
function isSdm(directory: Directory, p: Principal): boolean {
  return directory.customers.some((c) => {
    const sdm = c.sdm;
    if (sdm === null) return false;
    if (p.platform === 'slack') return sdm.slackUserId === p.userId;
    if (p.platform === 'teams') return sdm.teamsUserId === p.userId;
    return sdm.email !== null && sdm.email === p.userId;
  });
}

/** Resolves who is calling and for which customer; unlinked workspaces get `linked: false` and no customer. */
export function resolveActor(directory: Directory, principal: Principal): Actor {
  const qualifiedId = qualifiedUserId(principal);
  const roles = new Set<Role>();
  if (isExpertsWorkspace(directory, principal)) {
    if (directory.experts.members.includes(qualifiedId)) roles.add('expert');
    if (isSdm(directory, principal)) roles.add('sdm');
    return { principal, qualifiedId, customerId: null, roles, linked: true };
  }
  const customer = customerOf(directory, principal);
  if (customer === null) return { principal, qualifiedId, customerId: null, roles, linked: false };
  roles.add('analyst');
  if (customer.responders.includes(qualifiedId)) roles.add('responder');
  if (customer.admins.includes(qualifiedId)) {
    roles.add('admin');
    roles.add('responder');
  }
  return { principal, qualifiedId, customerId: customer.id, roles, linked: true };
}
