import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../../../adapters/postgres/postgres-store.js';
import {
  createSimulatedExecutor,
  createSimulatedWriter,
} from '../../../adapters/simulated/response-executor.js';
import { createSimulatedSource, type SimulatedSource } from '../../../adapters/simulated/simulated-source.js';
import { createSqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { createResponseStore } from '../../../adapters/store/response/response-store.js';
import { type Bot, createBot } from '../../../bot/bot.js';
import { demoDirectory } from '../../../bot/config/demo-customers.js';
import type { Actor, Principal } from '../../../bot/domain/actor.js';
import type { Customer, Directory } from '../../../bot/domain/customer.js';
import type { Incident, ResponseAction } from '../../../bot/domain/incident.js';
import type { Logger, Reply, Store } from '../../../bot/ports.js';
import type { ResponseExecutor, ResponseStore } from '../../../bot/response/response-ports.js';
import { createResponseService, type ResponseService } from '../../../bot/response/service.js';
import { createIncidentSync, type IncidentSync } from '../../../bot/sync/incident-sync.js';
import { fixedClock, webUser } from '../../support/core-harness.js';
import { createTestSchema } from '../../support/pg-schema.js';

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
  /** Clicks Run, then the confirmation card's own Confirm button (with its one-time token). */
  runConfirmed(who: Principal, data: Record<string, unknown>): Promise<readonly Reply[]>;
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

/** Contoso's responder as the service sees them after authorization (for calling the service directly). */
export const contosoResponder: Actor = {
  principal: persona('contoso', 'responder'),
  qualifiedId: 'web:contoso-responder',
  customerId: 'contoso',
  roles: new Set(['analyst', 'responder'] as const),
  linked: true,
};

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
let n = 0;

/** The stores a harness runs on: the core store (incidents, claimOnce) and the guided-response store. */
export interface HarnessStores {
  readonly store: Store;
  readonly responses: ResponseStore;
  close(): Promise<void>;
}

/** Opens the stores on PostgreSQL (one core store on the file's schema, the response module on it). */
export type OpenStores = () => Promise<HarnessStores>;

/**
 * Builds the harness; `executor` replaces the simulated one (e.g. the Defender executor on a stand-in);
 * `open` runs it on other stores (PostgreSQL) instead of a fresh SQLite file.
 */
export async function createResponseHarness(
  options: { executor?: ResponseExecutor; directory?: Directory; open?: OpenStores } = {},
): Promise<ResponseHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-response-'));
  const file = join(dir, 'bot.sqlite');
  const clock = fixedClock();
  const directory = options.directory ?? demoDirectory();
  const opened: HarnessStores =
    options.open === undefined
      ? await (async () => {
          const sqlite = await createSqliteStore({ file, logger: quiet });
          return {
            store: sqlite,
            responses: await createResponseStore(sqlite.host),
            close: () => sqlite.close(),
          };
        })()
      : await options.open();
  const { store, responses } = opened;
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
    async runConfirmed(who, data) {
      const [confirm] = await turn(who, { kind: 'action', verb: 'response.run', data });
      const go = confirmButtonData(confirm);
      if (go === null) throw new Error(`no confirmation card: ${confirm?.text ?? 'no reply'}`);
      return turn(who, { kind: 'action', verb: 'response.run.confirm', data: go });
    },
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
      await opened.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The data of the Confirm button on a run confirmation card (null when the reply is not one). */
export function confirmButtonData(reply: Reply | undefined): Record<string, unknown> | null {
  let found: Record<string, unknown> | null = null;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === 'response.run.confirm')
        found = o.data as Record<string, unknown>;
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(reply?.card?.body ?? []);
  return found;
}

/**
 * The backends every core guided-response e2e runs on: a fresh SQLite file, and PostgreSQL (a fresh schema
 * per harness on the local test server, dropped on cleanup; the core store and the response module on it).
 */
export const HARNESS_BACKENDS: readonly [string, OpenStores | undefined][] = [
  ['sqlite', undefined],
  [
    'postgres',
    async () => {
      const schema = await createTestSchema('response_e2e');
      const host = await createPostgresStore({
        connectionString: schema.connectionString,
        schema: schema.schema,
      });
      return {
        store: host,
        responses: await createResponseStore(host.host),
        async close() {
          await host.close();
          await schema.drop();
        },
      };
    },
  ],
];
