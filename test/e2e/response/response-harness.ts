import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSimulatedExecutor,
  createSimulatedWriter,
} from '../../../adapters/simulated/response-executor.js';
import { createSimulatedSource, type SimulatedSource } from '../../../adapters/simulated/simulated-source.js';
import { createSqliteResponseStore } from '../../../adapters/sqlite/response-store.js';
import { createSqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { type Bot, createBot } from '../../../bot/bot.js';
import { demoDirectory } from '../../../bot/config/demo-customers.js';
import type { Principal } from '../../../bot/domain/actor.js';
import type { Customer, Directory } from '../../../bot/domain/customer.js';
import type { Incident, ResponseAction } from '../../../bot/domain/incident.js';
import type { Logger, Reply, Store } from '../../../bot/ports.js';
import type { ResponseExecutor, ResponseStore } from '../../../bot/response/ports.js';
import { createResponseService, type ResponseService } from '../../../bot/response/service.js';
import { createIncidentSync, type IncidentSync } from '../../../bot/sync/incident-sync.js';
import { fixedClock, webUser } from '../../support/core-harness.js';

// The core with guided response wired the way the embedded default wires it — a real SQLite file, the
// simulation as source and writer, the simulated executor (or one the test passes) — driven by turns.

export interface ResponseHarness {
  readonly bot: Bot;
  readonly service: ResponseService;
  readonly responses: ResponseStore;
  /** The core store (incidents, bindings, claimOnce) the response store shares its file with. */
  readonly store: Store;
  readonly simulation: SimulatedSource;
  readonly sync: IncidentSync;
  readonly directory: Directory;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly file: string;
  /** Fresh delivery id each call (two clicks are two deliveries). */
  click(
    who: Principal,
    verb: string,
    data: Record<string, unknown>,
    deliveryId?: string,
  ): Promise<readonly Reply[]>;
  say(who: Principal, text: string): Promise<readonly Reply[]>;
  customer(id: string): Customer;
  /** A handed-off incident of the customer with a pending, non-excluded action of one of `kinds`. */
  pendingAction(
    customerId: string,
    pick?: (a: ResponseAction) => boolean,
  ): Promise<{ incident: Incident; action: ResponseAction }>;
  cleanup(): Promise<void>;
}

export const persona = (customerId: string, role: 'analyst' | 'responder' | 'admin'): Principal =>
  webUser(`${customerId}-${role}`, `customer:${customerId}`);

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
let n = 0;

/** Builds the harness; `executor` replaces the simulated one (e.g. the Defender executor on a stand-in). */
export async function createResponseHarness(
  options: { executor?: ResponseExecutor; directory?: Directory } = {},
): Promise<ResponseHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-response-'));
  const file = join(dir, 'bot.sqlite');
  const clock = fixedClock();
  const directory = options.directory ?? demoDirectory();
  const store = createSqliteStore({ file, logger: quiet });
  const responses = createSqliteResponseStore(store);
  const simulation = createSimulatedSource({ customers: directory.customers, seed: 7, clock });
  const sync = createIncidentSync({ store, source: simulation, directory, logger: quiet });
  await sync.syncAll();
  const service = createResponseService({
    responses,
    store,
    executor: options.executor ?? createSimulatedExecutor({ clock, durationMs: 10_000 }),
    writer: createSimulatedWriter(simulation),
    clock,
    logger: quiet,
    changed: async (customerId) => {
      await sync.syncCustomer(customerId);
    },
  });
  const bot = createBot({ store, source: simulation, directory, clock, logger: quiet, response: service });
  const turn = async (
    principal: Principal,
    input: Parameters<Bot['handleTurn']>[0]['input'],
    id?: string,
  ) => {
    n += 1;
    const replies = await bot.handleTurn({
      deliveryId: id ?? `r-${n}`,
      principal,
      conversation: { platform: 'web', id: `web:${principal.userId}`, threadId: null, kind: 'personal' },
      input,
    });
    return replies;
  };
  const customer = (id: string): Customer => {
    const c = directory.customers.find((x) => x.id === id);
    if (c === undefined) throw new Error(`no customer ${id}`);
    return c;
  };
  return {
    bot,
    service,
    responses,
    store,
    simulation,
    sync,
    directory,
    clock,
    file,
    click: (who, verb, data, id) => turn(who, { kind: 'action', verb, data }, id),
    say: (who, text) => turn(who, { kind: 'message', text, attachmentCount: 0 }),
    customer,
    async pendingAction(customerId, pick = () => true) {
      const page = await store.listIncidents({
        customerId,
        view: 'all',
        severity: null,
        limit: 500,
        offset: 0,
      });
      for (const incident of page.items) {
        const action = incident.guidedResponse?.actions.find(
          (a) => a.state === 'pending' && !a.target.excluded && pick(a),
        );
        if (action !== undefined) return { incident, action };
      }
      // None pending: hand one off by playing the expert in the simulation.
      const created = await simulation.createIncident(customerId);
      await simulation.startInvestigation(customerId, created.id, 'expert@provider.example');
      await simulation.classify(customerId, created.id, 'truePositive', 'malware', 'Confirmed malware.');
      const handed = await simulation.handOff(customerId, created.id);
      await sync.syncCustomer(customerId);
      const action = handed.guidedResponse?.actions.find(
        (a) => a.state === 'pending' && !a.target.excluded && pick(a),
      );
      if (action === undefined) throw new Error('the simulation handed off no suitable pending action');
      return { incident: handed, action };
    },
    async cleanup() {
      await sync.stop();
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
