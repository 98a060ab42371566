import { existsSync } from 'node:fs';
import { loadConfig, redactedConfig } from '../bot/config/env.js';
import { BotError, ConfigError } from '../bot/errors.js';
import { createLogger } from './http/logger.js';
import { startBot } from './wiring/composition.js';

// The bot behind `npm start` (loaded by main.ts once the Node.js version is known to be supported): read
// the configuration once, start, and shut down cleanly on SIGTERM/SIGINT.
// Start-up problems print one line each and exit 1; nothing is half-started.

if (existsSync('.env')) process.loadEnvFile('.env');

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Cannot start: the configuration has ${error.problems.length} problem(s):\n`);
      for (const p of error.problems) process.stderr.write(`  - ${p}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems) process.stderr.write(`Cannot start: ${p}\n`);
    } else if (error instanceof BotError) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
    } else {
      process.stderr.write(`Cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(1);
  }
  logger.info({ config: redactedConfig(config) }, 'configuration');
  logger.info(
    { url: bot.url, console: config.devConsole ? `${bot.url}/` : 'off' },
    'defender-experts-bot is up',
  );
  // One plain line whatever the log level, for the person who just typed npm start (and for tests).
  process.stdout.write(
    `defender-experts-bot listening on ${bot.url}${config.devConsole ? ` — dev console: ${bot.url}/` : ''}\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    bot.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
