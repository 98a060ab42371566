import type { Platform } from '../../bot/domain/actor.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { Incident } from '../../bot/domain/incident.js';
import type { ChatPort, Clock, IncidentSource, Logger, SimulationControl, Store } from '../../bot/ports.js';
import type { Relay } from '../../bot/relay/relay.js';
import type { IncidentWriter } from '../../bot/response/response-ports.js';
import { presentUserChecks } from '../../bot/user-check/alert-card.js';
import { createUserCheckPass, type UserCheckPass } from '../../bot/user-check/reminders.js';
import { createUserCheckService, type UserCheckService } from '../../bot/user-check/service.js';
import type { AffectedUserReach, UserCheckStore } from '../../bot/user-check/user-check-ports.js';
import type { GraphClient } from '../graph/graph-client.js';
import { lookupUser } from '../graph/users.js';
import { createSimulatedWriter } from '../simulated/response-executor.js';
import { createTeamsUserReach } from '../teams/delivery/teams-user-reach.js';
import { createConsoleUserReach } from '../web/console-user-reach.js';
import type { OpenedStore } from './stores.js';

// Wires "Was this you?" for the composition root: its store beside the core store, the writer for the
// answer's comment (the Graph source, or the simulation), the reach per platform (Teams through Graph and
// the Bot Connector, Slack through users.lookupByEmail, the console's affected-user persona), and the pass
// that reminds and retries comments on the injected clock.

export interface UserCheckWiring {
  readonly service: UserCheckService;
  readonly pass: UserCheckPass;
  /** Lays the incident's questions over it before its alert card is drawn. */
  readonly present: (incident: Incident) => Promise<Incident>;
  /** Late-bound: what wakes the dispatcher after a redraw of alert cards was queued. */
  onAlertsQueued(callback: () => void): void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export interface UserCheckWiringDeps {
  readonly opened: OpenedStore;
  readonly store: Store;
  readonly source: IncidentSource;
  readonly simulation: SimulationControl | null;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly graphClient?: GraphClient;
  /** The chat port of each platform (the console's when it is on). */
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  /** Slack finds the affected person itself (Teams' reach is built from its ChatPort). */
  readonly slackReach?: AffectedUserReach;
  /** The console's affected-user persona plays the person. */
  readonly console: boolean;
  readonly relay?: Relay;
  /** The experts' queue, whose request threads hear the answer. */
  readonly queue: ConversationRef | null;
}

const writerOf = (source: IncidentSource): IncidentWriter | null =>
  'addComment' in source && typeof (source as { addComment?: unknown }).addComment === 'function'
    ? (source as IncidentSource & IncidentWriter)
    : null;

/** Builds the feature on the opened store and the platforms' chat ports. */
export function createUserCheckWiring(deps: UserCheckWiringDeps): UserCheckWiring {
  const checks: UserCheckStore = deps.opened.features.userChecks;
  const graph = deps.graphClient;
  const reach: Partial<Record<Platform, AffectedUserReach>> = {};
  const teamsChat = deps.chatFor('teams');
  if (teamsChat !== undefined)
    reach.teams = createTeamsUserReach({
      chat: teamsChat,
      directory: deps.directory,
      store: deps.store,
      lookup: graph === undefined ? null : (customer, upn) => lookupUser(graph, customer, upn),
    });
  if (deps.slackReach !== undefined) reach.slack = deps.slackReach;
  if (deps.console) reach.web = createConsoleUserReach();
  let queued: (() => void) | null = null;
  const service = createUserCheckService({
    checks,
    store: deps.store,
    source: deps.source,
    directory: deps.directory,
    clock: deps.clock,
    logger: deps.logger,
    reachFor: (p) => reach[p],
    chatFor: deps.chatFor,
    writer: deps.simulation !== null ? createSimulatedWriter(deps.simulation) : writerOf(deps.source),
    ...(deps.relay ? { relay: deps.relay } : {}),
    queue: deps.queue,
    alertsQueued: () => queued?.(),
  });
  const pass = createUserCheckPass(service.deps);
  return {
    service,
    pass,
    present: presentUserChecks(checks),
    onAlertsQueued: (callback) => {
      queued = callback;
    },
    start: (intervalMs) => pass.start(intervalMs),
    stop: () => pass.stop(),
  };
}
