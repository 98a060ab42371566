import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../bot/config/env.js';
import { ConfigError } from '../../bot/errors.js';

// `npm run playground`: the bot (npm start's entry point, in Teams Playground mode) and Microsoft 365
// Agents Playground side by side, both on loopback. The bot starts first (PORT may be 0), then the
// Playground is pointed at it; the Playground must get exactly PLAYGROUND_PORT, because that port is the
// only connector the bot will answer. Either one stopping stops the other.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PLAYGROUND_CLI = join(repoRoot, 'node_modules/@microsoft/m365agentsplayground/cli.js');
const LOOPBACK_ONLY = join(repoRoot, 'adapters/playground/loopback-only.cjs');
const PLAYGROUND_CONFIG = join(repoRoot, '.m365agentsplayground.yml');

if (existsSync('.env')) process.loadEnvFile('.env');

function fail(lines: readonly string[]): never {
  for (const line of lines) process.stderr.write(`Cannot start the Playground: ${line}\n`);
  process.exit(1);
}

const env: Record<string, string | undefined> = { ...process.env, TEAMS_PLAYGROUND: 'on' };
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.problems);
  throw error;
}
const playgroundPort = config.PLAYGROUND_PORT;
if (!existsSync(PLAYGROUND_CLI)) {
  fail(['@microsoft/m365agentsplayground is not installed — run npm ci (it is a devDependency)']);
}

/** The Playground silently takes a random port when its own is busy; we refuse instead. */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}
if (!(await portFree(playgroundPort))) {
  fail([
    `PLAYGROUND_PORT ${playgroundPort} is in use — stop what listens there or set PLAYGROUND_PORT to a free port`,
  ]);
}

const children: ChildProcess[] = [];
let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => process.exit(code), 10_000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Starts a child, echoes its output, and resolves with the first match of `ready` in it. */
function start(
  name: string,
  args: readonly string[],
  childEnv: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<string> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let seen = '';
  return new Promise((resolveReady, reject) => {
    const onData = (chunk: Buffer, to: NodeJS.WriteStream): void => {
      to.write(chunk);
      seen += chunk.toString();
      const m = ready.exec(seen);
      if (m?.[1]) resolveReady(m[1]);
    };
    child.stdout?.on('data', (c: Buffer) => onData(c, process.stdout));
    child.stderr?.on('data', (c: Buffer) => onData(c, process.stderr));
    child.once('exit', (code) => {
      reject(new Error(`${name} exited (${code ?? 'signal'})`));
      if (!stopping) {
        process.stderr.write(`${name} stopped (exit ${code ?? 'signal'}); stopping the other\n`);
        stopAll(code === 0 ? 0 : 1);
      }
    });
  });
}

try {
  const botUrl = await start(
    'the bot',
    ['--import', 'tsx', 'adapters/main.ts'],
    { ...env, PLAYGROUND_PORT: String(playgroundPort) },
    /listening on (http:\/\/[^\s—]+)/,
  );
  const playgroundEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    // --dt stops the Playground's telemetry events, not its Application Insights SDK's own "statsbeat"
    // (Azure metadata at 169.254.169.254, then an ingestion host); the preload refuses them regardless.
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
    M365_AGENTS_PLAYGROUND_LOGFILE: resolve(config.DATA_DIR, 'm365agentsplayground.log'),
  };
  const args = [
    '--require',
    LOOPBACK_ONLY,
    PLAYGROUND_CLI,
    '-e',
    `${botUrl}/api/messages`,
    '-c',
    'msteams',
    '-p',
    String(playgroundPort),
    '--dt',
  ];
  const actual = Number(await start('the Playground', args, playgroundEnv, /Listening on (\d+)/));
  if (actual !== playgroundPort) {
    process.stderr.write(
      `Cannot start the Playground: it took port ${actual} instead of PLAYGROUND_PORT ${playgroundPort} (busy?) — the bot answers only ${playgroundPort}; free it or set PLAYGROUND_PORT\n`,
    );
    stopAll(1);
  } else {
    process.stdout.write(
      `\nMicrosoft 365 Agents Playground is ready: open http://localhost:${playgroundPort} (Contoso's responder and admin; docs/playground.md)\n`,
    );
  }
} catch (error) {
  if (!stopping) {
    process.stderr.write(
      `Cannot start the Playground: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    stopAll(1);
  }
}
