import { resolveActor, WEB_EXPERTS_WORKSPACE, webCustomerWorkspace } from '../../bot/authz/resolve-actor.js';
import type { Principal, Role } from '../../bot/domain/actor.js';
import type { Directory } from '../../bot/domain/customer.js';
import { consoleAlertsConversation, consoleDirectConversation, consoleExpertsQueue } from './console-chat.js';

// The people the console lets you be. Each persona is a web principal that goes through the same
// resolveActor as Teams and Slack users, so what it may do comes from the customers file, not from here.

export type PersonaKind = 'analyst' | 'responder' | 'admin' | 'expert' | 'sdm' | 'unlinked';

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
  expert: 'Defender Experts analyst',
  sdm: 'SDM',
  unlinked: 'Visitor',
};

/** A console workspace no customer owns: what a Teams tenant or Slack workspace not yet linked sees. */
export const UNLINKED_WORKSPACE = 'unlinked';

/** Builds every persona of the directory, in picker order: customers' people, the expert, then SDMs. */
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
  // Last: someone from a workspace the customers file does not name, to show the "how to link" experience.
  add({
    id: 'unlinked',
    kind: 'unlinked',
    label: `Unlinked workspace — ${KIND_LABELS.unlinked}`,
    customerId: null,
    customerName: null,
    principal: {
      platform: 'web',
      userId: 'unlinked-visitor',
      workspaceId: UNLINKED_WORKSPACE,
      displayName: 'Visitor from an unlinked workspace',
    },
    alertsConversationId: consoleDirectConversation('unlinked-visitor').id,
  });
  return personas;
}
