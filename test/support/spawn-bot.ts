import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childBaseEnv } from './child-env.js';

// Runs `npm start`'s entry point (adapters/main.ts; under tsx here, npm start runs it compiled) as a child
// process, the way an operator runs it, so start-up, logging and signal handling are tested for real.

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedBot {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the base URL once the process logs that it is up. */
  readonly ready: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Where and how the bot is started: by default the repository's entry point under tsx. */
export interface SpawnOptions {
  readonly cwd?: string;
  /** Node's arguments (default: `--import tsx adapters/main.ts`; `npm start` is `scripts/start.mjs`). */
  readonly args?: readonly string[];
}

/** Starts the bot with exactly `env` (plus PATH/HOME) and PORT 0 unless given. */
export function spawnBot(env: Record<string, string>, options: SpawnOptions = {}): SpawnedBot {
  const args = options.args ?? ['--import', 'tsx', 'adapters/main.ts'];
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...childBaseEnv(), PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s—]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`bot exited (${code}) before it was up:\n${out}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => out, ready, exited };
}
