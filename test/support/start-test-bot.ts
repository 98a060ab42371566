import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBot, startBot } from '../../adapters/wiring/composition.js';
import { loadConfig } from '../../bot/config/env.js';
import type { Clock, Logger } from '../../bot/ports.js';

// Starts the real bot in-process, the way `npm start` does, on a free loopback port with a fresh data
// directory and the simulation held still, so e2e tests drive it over real HTTP and nothing else moves.

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string | undefined;
}

export interface TestBot {
  readonly bot: RunningBot;
  readonly url: string;
  /** Everything the bot logged at warn or error, for tests that assert a clean run. */
  readonly problems: LoggedLine[];
  cleanup(): Promise<void>;
}

/**
 * Starts the bot with PORT 0, a temp DATA_DIR, SIMULATION_STEP_SECONDS 0 and no background loops (unless
 * `autoStart`); `onDebug` sees the debug lines (the lifecycle's "starting"/"stopping").
 */
export async function startTestBot(
  env: Readonly<Record<string, string>> = {},
  options: {
    readonly clock?: Clock;
    readonly autoStart?: boolean;
    readonly onDebug?: (obj: object, msg?: string) => void;
  } = {},
): Promise<TestBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dxb-e2e-'));
  const problems: LoggedLine[] = [];
  const keep =
    (level: LoggedLine['level']) =>
    (obj: object, msg?: string): void => {
      if (level === 'warn' || level === 'error') problems.push({ level, obj, msg });
    };
  const logger: Logger = {
    debug: options.onDebug ?? keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SIMULATION_STEP_SECONDS: '0',
    DEV_CONSOLE: 'on',
    LOG_LEVEL: 'silent',
    ...env,
  });
  let bot: RunningBot;
  try {
    bot = await startBot(config, {
      logger,
      autoStart: options.autoStart ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    bot,
    url: bot.url,
    problems,
    async cleanup() {
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
