import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedSource } from '../../adapters/simulated/simulated-source.js';
import { createSqliteStore, type SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { type Bot, createBot } from '../../bot/bot.js';
import { demoDirectory } from '../../bot/config/demo-customers.js';
import type { Principal } from '../../bot/domain/actor.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { FlowDeps } from '../../bot/flows/context.js';
import type { Clock, Logger, Reply, Store, Turn } from '../../bot/ports.js';
import { createIncidentSync, type IncidentSync } from '../../bot/sync/incident-sync.js';
import { testClock } from './test-clock.js';

// The core wired to real adapters (SQLite file, simulated source) without HTTP, for flow tests.

export interface LogRecord {
  readonly level: string;
  readonly obj: object;
  readonly msg: string | undefined;
}

export interface CoreHarness {
  readonly bot: Bot;
  readonly store: Store;
  readonly sync: IncidentSync;
  readonly simulation: ReturnType<typeof createSimulatedSource>;
  readonly directory: Directory;
  readonly logs: LogRecord[];
  /** The harness's clock (fixed; tests move it). */
  readonly clock: Clock & { advance(ms: number): void };
  say(principal: Principal, text: string, attachmentCount?: number): Promise<readonly Reply[]>;
  /** One turn exactly as given (conversation, thread, message id…); the delivery id is made unique. */
  send(turn: Omit<Turn, 'deliveryId'> & { readonly deliveryId?: string }): Promise<readonly Reply[]>;
  click(principal: Principal, verb: string, data: Record<string, unknown>): Promise<readonly Reply[]>;
  cleanup(): Promise<void>;
}

/** A clock standing still until advanced (the one clock of a core test). */
export const fixedClock = (iso = '2026-11-27T09:00:00.000Z'): Clock & { advance(ms: number): void } =>
  testClock(iso);

/** A persona of the dev console (platform web) for a demo customer, or the experts' workspace. */
export const webUser = (userId: string, workspaceId: string): Principal => ({
  platform: 'web',
  userId,
  workspaceId,
  displayName: userId,
});

let delivery = 0;

/** Optional extra flow dependencies (a feature's stores on the same SQLite file, the relay…). */
export interface CoreHarnessOptions {
  readonly deps?: (base: {
    readonly store: SqliteStore;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly directory: Directory;
  }) => Partial<FlowDeps> | Promise<Partial<FlowDeps>>;
}

/** Builds the core over a fresh SQLite file and the simulation (seeded), synced once. */
export async function createCoreHarness(options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'deb-core-'));
  const logs: LogRecord[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void logs.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => void logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void logs.push({ level: 'error', obj, msg }),
  };
  const clock = fixedClock();
  const directory = demoDirectory();
  const store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger });
  const simulation = createSimulatedSource({ customers: directory.customers, seed: 7, clock });
  const sync = createIncidentSync({ store, source: simulation, directory, logger });
  await sync.syncAll();
  const extra = (await options.deps?.({ store, clock, logger, directory })) ?? {};
  const bot = createBot({ store, source: simulation, directory, clock, logger, ...extra });
  const turn = (principal: Principal, input: Parameters<Bot['handleTurn']>[0]['input']) => {
    delivery += 1;
    return bot.handleTurn({
      deliveryId: `d-${delivery}`,
      principal,
      conversation: {
        platform: principal.platform,
        id: `${principal.platform}:${principal.userId}`,
        threadId: null,
        kind: 'personal',
      },
      input,
    });
  };
  return {
    bot,
    store,
    sync,
    simulation,
    directory,
    logs,
    clock,
    say: (p, text, attachmentCount = 0) => turn(p, { kind: 'message', text, attachmentCount }),
    send: (t) => {
      delivery += 1;
      return bot.handleTurn({ ...t, deliveryId: t.deliveryId ?? `d-${delivery}` });
    },
    click: (p, verb, data) => turn(p, { kind: 'action', verb, data }),
    async cleanup() {
      await sync.stop();
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
