import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childBaseEnv } from '../../support/child-env.js';
import { repoRoot } from '../../support/spawn-bot.js';

// `npm start` runs the compiled bot: on a checkout without dist/ it compiles first, then serves everything
// the tsx entry serves — the dev console's static files included, which tsc alone does not emit — and a
// second start with unchanged sources does not compile again, while an edited source does. Runs in a copy
// of the sources (sharing node_modules) so the repository's own dist/ is left alone.

const copy = mkdtempSync(join(tmpdir(), 'deb-compiled-'));
for (const path of [
  'bot',
  'cards',
  'adapters',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
])
  cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

async function start(): Promise<{ url: string; output: () => string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: copy,
    env: {
      ...childBaseEnv(),
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'deb-cs-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s—]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was up:\n${out}`)));
  });
  return { url, output: () => out, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start (compiled)', () => {
  it('builds a fresh checkout, serves the console with its static files, and rebuilds only when sources change', async () => {
    const first = await start();
    expect(first.output()).toMatch(/compiling the bot into dist/);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const page = await fetch(`${first.url}/`);
    expect(await page.text()).toMatch(/<html/i);
    const script = await fetch(`${first.url}/console/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    await stop(first.child);

    const second = await start();
    expect(second.output()).not.toMatch(/compiling/);
    await stop(second.child);

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(copy, 'bot', 'ports.ts'), later, later);
    const third = await start();
    expect(third.output()).toMatch(/compiling the bot into dist/);
    await stop(third.child);
  }, 180_000);
});
