import express, { type Router } from 'express';
import type { AppConfig } from '../bot/config/env.js';
import type { Platform } from '../bot/domain/actor.js';
import type { ConversationRef } from '../bot/domain/conversation.js';
import type { Customer, Directory } from '../bot/domain/customer.js';
import type { ChatPort, Clock, IncidentChange, Logger, Store } from '../bot/ports.js';
import type { QuestionsStore } from '../bot/questions/ports.js';
import type { Relay } from '../bot/relay/relay.js';
import type { SdmContactDelivery, SdmDeps } from '../bot/sdm/deps.js';
import { timelinePatches } from '../bot/sdm/lifecycle.js';
import { type ProviderWorkspaces, reachSdm } from '../bot/sdm/reach.js';
import { createRelayContactDelivery, registerSdmRelayHooks } from '../bot/sdm/relay-delivery.js';
import { type CheckinReminders, createCheckinReminders } from '../bot/sdm/reminders.js';
import type { GraphClient } from './graph/graph-client.js';
import { createGraphReadinessSource } from './graph/readiness-source.js';
import { createMessagesFilesRouter } from './http/messages-files.js';
import { createReportFilesRouter, createReportLinks } from './http/report-files.js';
import { createLinkSigner } from './http/signed-links.js';
import { reportLinkKey } from './report-link-key.js';
import { createSimulatedReadinessSource } from './simulated/readiness.js';
import type { OpenedStore } from './stores.js';
import { encodeConversationId } from './teams/conversation-id.js';

// Wires the SDM feature for the composition root: its store beside the core store, the readiness
// source (Graph or simulated), signed report links and their routes, SDM contact through the relay, the
// overdue reminders, and the lifecycle recorder fed by the incident sync.

export interface SdmWiring {
  /** What the flows get (FlowDeps.sdm); undefined when the feature cannot run on this store. */
  readonly deps: SdmDeps | undefined;
  /** GET /reports/… (chart PNG and CSV), mounted by the HTTP app. */
  readonly router: Router | null;
  /** Points the feature at the chat ports once the platforms exist. */
  attach(chatFor: (platform: Platform) => ChatPort | undefined): void;
  /** The listening URL, for dev-console links when PUBLIC_BASE_URL is unset. */
  setLocalBase(url: string): void;
  /** Records lifecycle steps of saved incident changes (call from the sync's onChanges). */
  onChanges(customer: Customer, changes: readonly IncidentChange[]): Promise<void>;
  readonly reminders: CheckinReminders | null;
  /** The SDM's direct conversation in the provider's workspaces (also the alert pipeline's SDM notes). */
  reach(customer: Customer, prefer: Platform): Promise<ConversationRef | null>;
  start(reminderIntervalMs: number): void;
  stop(): Promise<void>;
}

export interface SdmWiringDeps {
  readonly opened: OpenedStore;
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly relay: Relay | undefined;
  /** Ask Defender Experts' requests, listed with the managed-response threads in the messages view. */
  readonly questions?: QuestionsStore;
  /** The Graph source's client (INCIDENT_SOURCE=graph), so readiness reads share its budget. */
  readonly graphClient?: GraphClient;
}

/** The experts' Teams channel as an adapter-built id: Teams opens 1:1 chats from its tenant and service URL. */
function expertsTeamsWorkspace(directory: Directory): string | null {
  const e = directory.experts;
  if (e.teamsTenantId === null || e.teamsChannelId === null || e.teamsServiceUrl === null) return null;
  return encodeConversationId({
    tenantId: e.teamsTenantId,
    conversationId: e.teamsChannelId,
    serviceUrl: e.teamsServiceUrl,
  });
}

/** Where the provider's people have direct messages: the experts' Slack team and Teams tenant, the console. */
function providerWorkspaces(directory: Directory): ProviderWorkspaces {
  return { teams: expertsTeamsWorkspace(directory), slack: directory.experts.slackTeamId, web: 'experts' };
}

/** The reports router, with the messages CSV beside it when the relay runs (both use the report signer). */
function withMessages(reports: Router, messages: () => Router | null): Router {
  const m = messages();
  if (m === null) return reports;
  const both = express.Router();
  both.use(reports, m);
  return both;
}

/** Builds the SDM feature on the opened store (SQLite or PostgreSQL). */
export function createSdmWiring(config: Readonly<AppConfig>, deps: SdmWiringDeps): SdmWiring {
  const { logger, clock } = deps;
  let chatFor: (platform: Platform) => ChatPort | undefined = () => undefined;
  let localBase: string | null = null;
  const sdmStore = deps.opened.features.sdm;
  // Unset: a key kept in DATA_DIR (adapters/report-link-key.ts), so posted links survive a restart.
  const secret = config.REPORT_LINK_SECRET ?? reportLinkKey(config.DATA_DIR, logger);
  const signer = createLinkSigner(secret);
  const readiness =
    config.INCIDENT_SOURCE === 'graph' && deps.graphClient !== undefined
      ? createGraphReadinessSource(deps.graphClient)
      : createSimulatedReadinessSource();
  const relay = deps.relay;
  if (relay !== undefined) registerSdmRelayHooks(relay, deps.directory);
  const contact: SdmContactDelivery =
    relay === undefined
      ? { deliver: async () => ({ delivered: false, where: 'the relay is not running' }) }
      : createRelayContactDelivery({
          relay,
          directory: deps.directory,
          chatFor: (p) => chatFor(p),
          workspaces: providerWorkspaces(deps.directory),
        });
  const sdmDeps: SdmDeps = {
    store: sdmStore,
    readiness,
    links: createReportLinks({ signer, publicBase: config.PUBLIC_BASE_URL, localBase: () => localBase }),
    chatFor: (p) => chatFor(p),
    contact,
  };
  const reminders = createCheckinReminders({
    directory: deps.directory,
    store: deps.store,
    sdmStore,
    chatFor: (p) => chatFor(p),
    clock,
    logger,
    contact,
  });
  return {
    deps: sdmDeps,
    router: withMessages(createReportFilesRouter({ signer, store: sdmStore, clock, logger }), () =>
      relay === undefined
        ? null
        : createMessagesFilesRouter({
            signer,
            relay: relay.store,
            questions: deps.questions,
            store: deps.store,
            directory: deps.directory,
            clock,
          }),
    ),
    attach(fn) {
      chatFor = fn;
    },
    setLocalBase(url) {
      localBase = url;
    },
    async onChanges(_customer, changes) {
      const patches = timelinePatches(changes);
      if (patches.length > 0) await sdmStore.recordTimelines(patches);
    },
    reminders,
    reach: (customer, prefer) => reachSdm(customer, providerWorkspaces(deps.directory), chatFor, prefer),
    start(intervalMs) {
      reminders.start(intervalMs);
    },
    stop: () => reminders.stop(),
  };
}
