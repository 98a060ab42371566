import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AudienceFacts } from '../../bot/audience.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { PostedMessage, Reply } from '../../bot/ports.js';
import { childBaseEnv } from './child-env.js';
import { repoRoot } from './spawn-bot.js';

// Test side of the proactive runner: starts it with an environment (the stand-in's, typically) and calls
// the Teams ChatPort in it. Errors come back as { message, code } so tests can check them.

export interface RunnerError {
  readonly message: string;
  readonly code: string | null;
  readonly failure?: string | null;
}

export type BurstResult =
  | { readonly ok: true; readonly posted: PostedMessage }
  | { readonly ok: false; readonly error: RunnerError };

export interface ProactiveRunner {
  post(conversation: ConversationRef, reply: Reply): Promise<PostedMessage>;
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  reply(conversation: ConversationRef, threadId: string, reply: Reply): Promise<PostedMessage>;
  burst(conversation: ConversationRef, reply: Reply, count: number): Promise<BurstResult[]>;
  /** Who the Teams ChatPort says reads a stored conversation (what alerts ask before each post). */
  audience(conversation: ConversationRef): Promise<AudienceFacts>;
  /** Stores a channel's shape as the adapter remembers it from an activity of that channel. */
  rememberShape(conversation: ConversationRef, membershipType: string, hostTenant: string): Promise<void>;
  /** The ChatPort's answer to "how long until this conversation may be sent to" (ms). */
  delayFor(conversation: ConversationRef): Promise<number>;
  stderr(): string;
  close(): Promise<void>;
}

/** Thrown on the test side for a call that failed in the runner. */
export class RunnerCallError extends Error {
  readonly code: string | null;
  /** The ChatDeliveryError failure kind, when the runner's error was one. */
  readonly failure: string | null;
  constructor(error: RunnerError) {
    super(error.message);
    this.code = error.code;
    this.failure = error.failure ?? null;
  }
}

const runnerPath = fileURLToPath(new URL('./bot-connector-proactive-runner.ts', import.meta.url));

/** Starts the runner; resolves once the Teams adapter in it has started. */
export async function startProactiveRunner(env: Record<string, string>): Promise<ProactiveRunner> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', runnerPath], {
    cwd: repoRoot,
    env: { ...childBaseEnv(), LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`proactive runner exited (${code}):\n${err}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const msg = JSON.parse(line) as {
        ready?: true;
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: RunnerError;
      };
      if (msg.ready) return resolve();
      const p = pending.get(msg.id ?? -1);
      if (p === undefined) return;
      pending.delete(msg.id ?? -1);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new RunnerCallError(msg.error ?? { message: 'unknown error', code: null }));
    });
  });
  await ready;
  const call = <T>(op: string, args: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve: (v) => resolve(v as T), reject });
      child.stdin?.write(`${JSON.stringify({ id: nextId, op, ...args })}\n`);
    });
  return {
    post: (conversation, reply) => call('post', { conversation, reply }),
    update: async (conversation, messageId, reply) => {
      await call('update', { conversation, messageId, reply });
    },
    reply: (conversation, threadId, reply) => call('reply', { conversation, threadId, reply }),
    burst: (conversation, reply, count) => call('burst', { conversation, reply, count }),
    audience: (conversation) => call('audience', { conversation }),
    rememberShape: async (conversation, membershipType, hostTenant) => {
      await call('shape', { conversation, membershipType, hostTenant });
    },
    delayFor: (conversation) => call('delayFor', { conversation }),
    stderr: () => err,
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      await exited;
    },
  };
}
