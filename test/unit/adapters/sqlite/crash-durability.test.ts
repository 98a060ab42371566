import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';

// Durability: a writer process is SIGKILLed mid-stream; every write it acknowledged must survive, and the
// file must pass the integrity check when opened again. (SIGKILL loses the process, not the OS page
// cache; power loss is what synchronous=FULL is for, and no test here can cut the power.)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const writer = join(root, 'test/support/sqlite-crash-writer.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-sqlite-crash-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer until it has acknowledged `acks` commits, kills it, and returns the last ack seen. */
function writeThenKill(file: string, prefix: string, acks: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, prefix], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match?.[1] !== undefined) last = Number(match[1]);
      }
      if (last >= acks && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(last);
      else reject(new Error(`writer exited by itself (code ${_code}): ${stderr}`));
    });
  });
}

describe('sqlite store durability', () => {
  it('keeps every acknowledged write across SIGKILL, round after round', async () => {
    const file = join(dir, 'bot.sqlite');
    const rounds: [string, number][] = [];
    for (const [prefix, acks] of [
      ['r1', 40],
      ['r2', 150],
      ['r3', 7],
    ] as const) {
      rounds.push([prefix, await writeThenKill(file, prefix, acks)]);

      // The store opens first, so it is the one that must recover the WAL the dead writer left behind.
      const store = await createSqliteStore({ file });
      const check = new Database(file, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      for (const [p, last] of rounds) {
        expect(last).toBeGreaterThan(0);
        for (let n = 1; n <= last; n++) {
          expect([p, n, (await store.getIncident('crash', `${p}-${n}`))?.id]).toEqual([p, n, `${p}-${n}`]);
          expect([p, n, (await store.getIncident('crash', `${p}-${n}-b`))?.id]).toEqual([
            p,
            n,
            `${p}-${n}-b`,
          ]);
          expect(await store.claimOnce(`${p}:${n}`, 3600)).toBe(false);
        }
      }
      // The cursor moved with the last acknowledged batch, or with the one in flight when killed.
      const cursor = (await store.getCursor('crash')) ?? '';
      const [cursorPrefix, cursorN] = cursor.split(':');
      expect(cursorPrefix).toBe(prefix);
      expect(Number(cursorN)).toBeGreaterThanOrEqual(rounds.at(-1)?.[1] ?? Number.POSITIVE_INFINITY);
      await store.close();
    }
  }, 60_000);
});
