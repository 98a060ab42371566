import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDefenderClients,
  createDefenderExecutor,
} from '../../../adapters/defender/defender-executor.js';
import { createGraphSource, type GraphSource } from '../../../adapters/graph/graph-source.js';
import { createSqliteResponseStore } from '../../../adapters/sqlite/response-store.js';
import { createSqliteStore, type SqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { type Bot, createBot } from '../../../bot/bot.js';
import type { Customer, Directory } from '../../../bot/domain/customer.js';
import type { Logger, Reply } from '../../../bot/ports.js';
import type { ResponseStore } from '../../../bot/response/ports.js';
import { createResponseService, type ResponseService } from '../../../bot/response/service.js';
import { createIncidentSync, type IncidentSync } from '../../../bot/sync/incident-sync.js';
import { webUser } from '../../support/core-harness.js';
import { type DefenderStandIn, startDefenderStandIn } from '../../support/defender-standin/server.js';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';

// The production path on loopback: incidents and comments through the Graph stand-in, machine actions
// against the Defender for Endpoint stand-in, user actions through Graph — tokens from the Entra stand-in,
// TLS trusted through the shared https.Agent. A run goes out once, is followed to its end, and every
// decision lands in the incident's comments.

const TENANT = '7c1f0000-0000-4000-8000-000000000001';
const MACHINE = 'a'.repeat(40);
const OFFLINE = 'b'.repeat(40);
const SHA1 = 'c'.repeat(40);
const USER = '0e0e0e0e-1111-4222-8333-444444444444';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const customer: Customer = {
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

const act = (id: string, kind: string, type: string, targetId: string, name: string) => ({
  id,
  kind,
  target: { type, id: targetId, name, excluded: false },
  state: 'pending',
  by: null,
  at: null,
  note: null,
});

describe('guided response against Defender for Endpoint and Graph stand-ins', () => {
  let graph: GraphStandIn;
  let defender: DefenderStandIn;
  let dir: string;
  let store: SqliteStore;
  let responses: ResponseStore;
  let source: GraphSource;
  let sync: IncidentSync;
  let service: ResponseService;
  let bot: Bot;
  let close: () => void;
  let incidentId = '';
  let n = 0;

  const click = async (verb: string, data: Record<string, unknown>): Promise<readonly Reply[]> => {
    n += 1;
    return bot.handleTurn({
      deliveryId: `def-${n}`,
      principal: alice,
      conversation: { platform: 'web', id: 'web:alice', threadId: null, kind: 'personal' },
      input: { kind: 'action', verb, data },
    });
  };
  const poll = () => service.pollOnce(new Map([[customer.id, customer]]));
  const comments = () => (graph.table.get(TENANT, incidentId)?.comments ?? []) as { comment: string }[];

  beforeAll(async () => {
    graph = await startGraphStandIn();
    graph.addTenant(TENANT);
    defender = await startDefenderStandIn();
    defender.addMachine(TENANT, MACHINE, 'ws-0042.contoso.example');
    defender.addMachine(TENANT, OFFLINE, 'ws-0007.contoso.example', 'Failed');
    graph.users.add(TENANT, USER, 'bob@contoso.example');
    dir = mkdtempSync(join(tmpdir(), 'dxb-defender-'));
    store = createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
    responses = createSqliteResponseStore(store);
    const agent = graph.agent();
    const credential = { kind: 'secret', secret: graph.app.secret } as const;
    source = createGraphSource({
      clientId: graph.app.clientId,
      credential,
      graphBaseUrl: graph.url,
      authorityHost: graph.url,
      logger: quiet,
      agent,
      tuning: { requestsPerMinute: 150 },
    });
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
    close = () => clients.close();
    sync = createIncidentSync({ store, source, directory, logger: quiet });
    service = createResponseService({
      responses,
      store,
      executor: createDefenderExecutor(clients),
      writer: source,
      clock: { now: () => new Date() },
      logger: quiet,
    });
    bot = createBot({
      store,
      source,
      directory,
      clock: { now: () => new Date() },
      logger: quiet,
      response: service,
    });
  });

  afterAll(async () => {
    close();
    source.close();
    await sync.stop();
    await store.close();
    await graph.close();
    await defender.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const created = graph.table.create(TENANT, {
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
        ],
      },
    });
    incidentId = created.id;
    await sync.syncCustomer(customer.id);
  });

  it('isolates a device once, follows the machine action to Succeeded, and comments each step', async () => {
    const [confirm] = await click('response.run', { id: incidentId, action: 'iso', v: 0 });
    expect(confirm?.text).toContain(`Device id: ${MACHINE}`);
    expect(defender.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const before = defender.actions.length;
    await click('response.run.confirm', { id: incidentId, action: 'iso', v: 0 });
    await click('response.run.confirm', { id: incidentId, action: 'iso', v: 0 });
    const sent = defender.actions.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'Isolate', machineId: MACHINE, body: { IsolationType: 'Full' } });
    expect(String(sent[0]?.body.Comment)).toContain(`incident ${incidentId}, requested by alice (web:alice)`);

    await poll(); // InProgress
    expect((await responses.getRecord('contoso', incidentId, 'iso'))?.state).toBe('inProgress');
    await poll(); // Succeeded
    expect(await responses.getRecord('contoso', incidentId, 'iso')).toMatchObject({
      state: 'completed',
      by: 'alice',
    });
    const lines = comments().map((c) => c.comment);
    expect(
      lines.some((c) => /Isolate device on device WS-0042 \(id a{40}\): run requested by alice/.test(c)),
    ).toBe(true);
    expect(lines.some((c) => /run completed by alice .*succeeded/.test(c))).toBe(true);
  });

  it('shows a remote failure (the device never answered) and comments it', async () => {
    await click('response.run.confirm', { id: incidentId, action: 'off', v: 0 });
    await poll();
    await poll();
    expect(await responses.getRecord('contoso', incidentId, 'off')).toMatchObject({
      state: 'failed',
      note: 'Microsoft Defender reports the action failed on the device.',
    });
    expect(comments().at(-1)?.comment).toMatch(/run failed by alice/);
  });

  it('never repeats a POST the API answered with 500, and says the run failed', async () => {
    const posts = defender.requests.filter((r) => r.method === 'POST').length;
    defender.fail(500);
    const replies = await click('response.run.confirm', { id: incidentId, action: 'file', v: 0 });
    expect(defender.requests.filter((r) => r.method === 'POST').length).toBe(posts + 1);
    expect(replies.some((r) => /The run failed: Microsoft Defender refused the action/.test(r.text))).toBe(
      true,
    );
    expect((await responses.getRecord('contoso', incidentId, 'file'))?.state).toBe('failed');
  });

  it('stops and quarantines a file by device and SHA-1, and disables a user through Graph', async () => {
    await click('response.run.confirm', { id: incidentId, action: 'file', v: 0 });
    expect(defender.actions.at(-1)).toMatchObject({ type: 'StopAndQuarantineFile', body: { Sha1: SHA1 } });
    await click('response.run.confirm', { id: incidentId, action: 'user', v: 0 });
    expect(graph.users.get(TENANT, USER)?.accountEnabled).toBe(false);
    await click('response.run.confirm', { id: incidentId, action: 'revoke', v: 0 });
    await click('response.run.confirm', { id: incidentId, action: 'reset', v: 0 });
    expect(graph.users.get(TENANT, USER)).toMatchObject({
      revocations: 1,
      forceChangePasswordNextSignIn: true,
    });
    expect(await responses.getRecord('contoso', incidentId, 'user')).toMatchObject({ state: 'completed' });
  });

  it('offers no Run for what neither API can do, only done and skip', async () => {
    const [card] = await click('incident.show', { id: incidentId });
    const text = JSON.stringify(card?.card);
    expect(text).toContain(`"verb":"response.run","data":{"id":"${incidentId}","action":"iso"`);
    expect(text).not.toContain(`"verb":"response.run","data":{"id":"${incidentId}","action":"mail"`);
    expect(text).toContain(`"verb":"response.done","data":{"id":"${incidentId}","action":"mail"`);
  });
});
