import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  createDefenderClients,
  createDefenderExecutor,
} from '../../../adapters/defender/defender-executor.js';
import { createGraphSource, type GraphSource } from '../../../adapters/graph/graph-source.js';
import { createSqliteStore, type SqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { createResponseStore } from '../../../adapters/store/response/response-store.js';
import { type Bot, createBot } from '../../../bot/bot.js';
import type { Customer, Directory } from '../../../bot/domain/customer.js';
import type { Logger, Reply } from '../../../bot/ports.js';
import type { ResponseExecutor, ResponseStore } from '../../../bot/response/response-ports.js';
import { createResponseService, type ResponseService } from '../../../bot/response/service.js';
import { createIncidentSync, type IncidentSync } from '../../../bot/sync/incident-sync.js';
import { webUser } from '../../support/core-harness.js';
import { type DefenderStandIn, startDefenderStandIn } from '../../support/defender-standin/server.js';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';
import { confirmButtonData } from './response-harness.js';

// The production path on loopback, shared by the Defender e2e files: incidents and comments through the
// Graph stand-in, machine actions against the Defender for Endpoint stand-in, user actions through Graph —
// tokens from the Entra stand-in (audience checked by both APIs), TLS trusted through one https.Agent.

export const TENANT = '7c1f0000-0000-4000-8000-000000000001';
export const MACHINE = 'a'.repeat(40);
export const OFFLINE = 'b'.repeat(40);
export const SHA1 = 'c'.repeat(40);
export const TIMEOUT = 'd'.repeat(40);
export const CANCELLED = 'e'.repeat(40);
export const ODD = 'f'.repeat(40);
export const USER = '0e0e0e0e-1111-4222-8333-444444444444';
export const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const customer: Customer = {
  id: 'contoso',
  name: 'Contoso Ltd',
  entraTenantId: TENANT,
  expertsAccess: 'reader',
  teamsTenantId: null,
  slackTeamId: null,
  sdm: null,
  responders: ['web:alice'],
  admins: [],
  responseExecution: true,
};
const directory: Directory = {
  customers: [customer],
  experts: {
    slackTeamId: null,
    slackChannelId: null,
    teamsTenantId: null,
    teamsChannelId: null,
    teamsServiceUrl: null,
    members: [],
  },
};
const alice = webUser('alice', 'customer:contoso');

const act = (id: string, kind: string, type: string, targetId: string, name: string, excluded = false) => ({
  id,
  kind,
  target: { type, id: targetId, name, excluded },
  state: 'pending',
  by: null,
  at: null,
  note: null,
});

/** Everything a Defender e2e test drives; fields are set by the hooks useDefenderWorld registers. */
export interface DefenderWorld {
  graph: GraphStandIn;
  defender: DefenderStandIn;
  store: SqliteStore;
  responses: ResponseStore;
  source: GraphSource;
  service: ResponseService;
  executor: ResponseExecutor;
  /** A fresh incident per test, with one action of every kind the tests use. */
  incidentId: string;
  /** Defender/Graph clients with other token scopes (closed with the world). */
  clientsFor(scopes: { defender?: string; graph?: string }): ReturnType<typeof createDefenderClients>;
  click(verb: string, data: Record<string, unknown>): Promise<readonly Reply[]>;
  /** Run → the confirmation card → its own Confirm button (with the one-time token). */
  run(action: string): Promise<readonly Reply[]>;
  poll(): Promise<number>;
  comments(): { comment: string }[];
  actionsOf(): { id: string }[];
}

/** Registers the world's beforeAll/afterAll/beforeEach in the calling describe. */
export function useDefenderWorld(): DefenderWorld {
  let dir = '';
  let sync: IncidentSync;
  let bot: Bot;
  const closers: (() => void)[] = [];
  let n = 0;
  const w = {
    incidentId: '',
    async click(verb: string, data: Record<string, unknown>) {
      n += 1;
      return bot.handleTurn({
        deliveryId: `def-${n}`,
        principal: alice,
        conversation: { platform: 'web', id: 'web:alice', threadId: null, kind: 'personal' },
        input: { kind: 'action', verb, data },
      });
    },
    async run(action: string) {
      const [confirm] = await w.click('response.run', { id: w.incidentId, action, v: 0 });
      const go = confirmButtonData(confirm);
      if (go === null) throw new Error(`no confirmation for ${action}: ${confirm?.text}`);
      return w.click('response.run.confirm', go);
    },
    poll: () => w.service.pollOnce(new Map([[customer.id, customer]])),
    comments: () => (w.graph.table.get(TENANT, w.incidentId)?.comments ?? []) as { comment: string }[],
    actionsOf: () =>
      ((w.graph.table.get(TENANT, w.incidentId) as { guidedResponse?: { actions: { id: string }[] } })
        ?.guidedResponse?.actions ?? []) as { id: string }[],
  } as DefenderWorld;

  beforeAll(async () => {
    const graph = await startGraphStandIn();
    w.graph = graph;
    graph.addTenant(TENANT);
    const defender = await startDefenderStandIn({ tokens: (bearer) => graph.tokenInfo(bearer) });
    w.defender = defender;
    defender.addMachine(TENANT, MACHINE, 'ws-0042.contoso.example');
    defender.addMachine(TENANT, OFFLINE, 'ws-0007.contoso.example', 'Failed');
    defender.addMachine(TENANT, TIMEOUT, 'ws-0011.contoso.example', 'TimeOut');
    defender.addMachine(TENANT, CANCELLED, 'ws-0012.contoso.example', 'Cancelled');
    defender.addMachine(TENANT, ODD, 'ws-0013.contoso.example', 'Paused');
    graph.users.add(TENANT, USER, 'bob@contoso.example');
    dir = mkdtempSync(join(tmpdir(), 'dxb-defender-'));
    w.store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
    w.responses = await createResponseStore(w.store.host);
    const agent = graph.agent();
    const credential = { kind: 'secret', secret: graph.app.secret } as const;
    w.source = createGraphSource({
      clientId: graph.app.clientId,
      credential,
      graphBaseUrl: graph.url,
      authorityHost: graph.url,
      logger: quiet,
      agent,
      tuning: { requestsPerMinute: 150 },
    });
    w.clientsFor = (scopes) => {
      const made = createDefenderClients({
        clientId: graph.app.clientId,
        credential,
        authorityHost: graph.url,
        graphBaseUrl: graph.url,
        defenderBaseUrl: defender.url,
        logger: quiet,
        agent,
        tuning: { requestsPerMinute: 150, maxAttempts: 1 },
        scopes,
      });
      closers.push(() => made.close());
      return made;
    };
    const clients = createDefenderClients({
      clientId: graph.app.clientId,
      credential,
      authorityHost: graph.url,
      graphBaseUrl: graph.url,
      defenderBaseUrl: defender.url,
      logger: quiet,
      agent,
      tuning: { requestsPerMinute: 150 },
    });
    closers.push(() => clients.close());
    w.executor = createDefenderExecutor(clients);
    sync = createIncidentSync({ store: w.store, source: w.source, directory, logger: quiet });
    w.service = createResponseService({
      responses: w.responses,
      store: w.store,
      executor: w.executor,
      writer: w.source,
      clock: { now: () => new Date() },
      logger: quiet,
    });
    bot = createBot({
      store: w.store,
      source: w.source,
      directory,
      clock: { now: () => new Date() },
      logger: quiet,
      response: w.service,
    });
  });

  afterAll(async () => {
    for (const close of closers) close();
    w.source?.close();
    await sync?.stop();
    await w.store?.close();
    await w.graph?.close();
    await w.defender?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const created = w.graph.table.create(TENANT, {
      status: 'awaitingAction',
      assignedTo: 'Customer',
      classification: 'truePositive',
      guidedResponse: {
        investigationSummary: 'Cobalt Strike beacon on WS-0042.',
        actions: [
          act('iso', 'isolateDevice', 'device', MACHINE, 'WS-0042'),
          act('off', 'isolateDevice', 'device', OFFLINE, 'WS-0007'),
          act('file', 'stopAndQuarantineFile', 'file', `${MACHINE}:${SHA1}`, 'beacon.exe'),
          act('user', 'disableUser', 'user', USER, 'bob@contoso.example'),
          act('revoke', 'revokeSessions', 'user', USER, 'bob@contoso.example'),
          act('reset', 'forcePasswordReset', 'user', 'bob@contoso.example', 'bob@contoso.example'),
          act('mail', 'softDeleteEmail', 'mailMessage', 'msg-1', 'Invoice'),
          act('unisolate', 'releaseFromIsolation', 'device', MACHINE, 'WS-0042'),
          act('scan', 'runAntivirusScan', 'device', MACHINE, 'WS-0042'),
          act('collect', 'collectInvestigationPackage', 'device', MACHINE, 'WS-0042'),
          act('restrict', 'restrictAppExecution', 'device', MACHINE, 'WS-0042'),
          act('unrestrict', 'unrestrictAppExecution', 'device', MACHINE, 'WS-0042'),
          act('timeout', 'isolateDevice', 'device', TIMEOUT, 'WS-0011'),
          act('cancelled', 'isolateDevice', 'device', CANCELLED, 'WS-0012'),
          act('odd', 'isolateDevice', 'device', ODD, 'WS-0013'),
          act('excluded', 'isolateDevice', 'device', MACHINE, 'WS-0042', true),
        ],
      },
    });
    w.incidentId = created.id;
    await sync.syncCustomer(customer.id);
  });

  return w;
}
