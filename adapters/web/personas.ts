import { resolveActor, WEB_EXPERTS_WORKSPACE, webCustomerWorkspace } from '../../bot/authz/resolve-actor.js';
import type { Principal, Role } from '../../bot/domain/actor.js';
import type { Directory } from '../../bot/domain/customer.js';
import { consoleAlertsConversation, consoleDirectConversation, consoleExpertsQueue } from './console-chat.js';

// The people the console lets you be. Each persona is a web principal that goes through the same
// resolveActor as Teams and Slack users, so what it may do comes from the customers file, not from here.

export type PersonaKind = 'analyst' | 'responder' | 'admin' | 'user' | 'expert' | 'sdm' | 'unlinked';

/** The persona id that plays a customer's affected user ("Was this you?"). */
export const consoleAffectedUser = (customerId: string): string => `${customerId}-user`;

/** The console's workspace that no customer owns: what a person in an unlinked Teams tenant or Slack workspace sees. */
export const WEB_UNLINKED_WORKSPACE = 'unlinked';

export interface Persona {
  readonly id: string;
  readonly kind: PersonaKind;
  readonly label: string;
  readonly customerId: string | null;
  readonly customerName: string | null;
  readonly principal: Principal;
  /** Roles the core resolves for this principal (a responder persona not listed as one is an analyst). */
  readonly roles: readonly Role[];
  /** The conversation the Alerts pane shows for this persona. */
  readonly alertsConversationId: string;
}

const CUSTOMER_KINDS = ['analyst', 'responder', 'admin'] as const;
const KIND_LABELS: Readonly<Record<PersonaKind, string>> = {
  analyst: 'Analyst',
  responder: 'Responder',
  admin: 'Admin',
  user: 'Affected user',
  expert: 'Defender Experts analyst',
  sdm: 'SDM',
  unlinked: 'Someone in an unlinked workspace',
};

/**
 * Builds every persona of the directory, in picker order: customers' people, the expert, the SDMs, and a
 * visitor from a workspace no customer owns (the onboarding experience).
 */
export function buildPersonas(directory: Directory): readonly Persona[] {
  const personas: Persona[] = [];
  const add = (p: Omit<Persona, 'roles'>): void => {
    const roles = [...resolveActor(directory, p.principal).roles].sort();
    personas.push({ ...p, roles });
  };
  for (const c of directory.customers) {
    for (const kind of CUSTOMER_KINDS) {
      const id = `${c.id}-${kind}`;
      add({
        id,
        kind,
        label: `${c.name} — ${KIND_LABELS[kind]}`,
        customerId: c.id,
        customerName: c.name,
        principal: {
          platform: 'web',
          userId: id,
          workspaceId: webCustomerWorkspace(c.id),
          displayName: `${c.name} ${KIND_LABELS[kind].toLowerCase()}`,
        },
        alertsConversationId: consoleAlertsConversation(c.id).id,
      });
    }
    // The person an incident's evidence names, for "Was this you?": the console asks this persona whoever
    // the simulated evidence names (adapters/web/console-user-reach.ts), and its pane is its direct messages.
    const user = consoleAffectedUser(c.id);
    add({
      id: user,
      kind: 'user',
      label: `${c.name} — ${KIND_LABELS.user} (plays whoever an incident names)`,
      customerId: c.id,
      customerName: c.name,
      principal: {
        platform: 'web',
        userId: user,
        workspaceId: webCustomerWorkspace(c.id),
        displayName: `${c.name} affected user`,
      },
      alertsConversationId: consoleDirectConversation(user).id,
    });
  }
  add({
    id: 'expert',
    kind: 'expert',
    label: 'Provider — Defender Experts analyst',
    customerId: null,
    customerName: null,
    principal: {
      platform: 'web',
      userId: 'expert',
      workspaceId: WEB_EXPERTS_WORKSPACE,
      displayName: 'Defender Experts analyst',
    },
    alertsConversationId: consoleExpertsQueue.id,
  });
  const seen = new Set<string>();
  for (const c of directory.customers) {
    const sdm = c.sdm;
    if (sdm === null || sdm.email === null || seen.has(sdm.email)) continue;
    seen.add(sdm.email);
    add({
      id: `sdm:${sdm.email}`,
      kind: 'sdm',
      label: `Provider — SDM ${sdm.name}`,
      customerId: null,
      customerName: null,
      principal: {
        platform: 'web',
        userId: sdm.email,
        workspaceId: WEB_EXPERTS_WORKSPACE,
        displayName: sdm.name,
      },
      // The SDM's pane is their direct messages: notes about aging handoffs arrive there.
      alertsConversationId: consoleDirectConversation(sdm.email).id,
    });
  }
  add({
    id: 'unlinked',
    kind: 'unlinked',
    label: `Not linked — ${KIND_LABELS.unlinked}`,
    customerId: null,
    customerName: null,
    principal: {
      platform: 'web',
      userId: 'unlinked-visitor',
      workspaceId: WEB_UNLINKED_WORKSPACE,
      displayName: 'Visitor',
    },
    // Nothing is ever posted for an unlinked workspace; the pane says so.
    alertsConversationId: consoleAlertsConversation(WEB_UNLINKED_WORKSPACE).id,
  });
  return personas;
}
