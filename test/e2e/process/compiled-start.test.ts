import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childBaseEnv } from '../../support/child-env.js';
import { repoRoot, spawnBot } from '../../support/spawn-bot.js';

// `npm start` runs the compiled bot: on a checkout without dist/ it compiles first, then serves everything
// the tsx entry serves — the dev console's static files included, which tsc alone does not emit — and a
// second start with unchanged sources does not compile again, while an edited source does; starts and a
// build launched together on stale sources compile once between them, and a failing build keeps the last
// good one. Runs in a copy of the sources (sharing node_modules) so the repository's own dist/ is left
// alone.

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
// Children still running when a test fails (a start that crashed leaves its siblings up) are ended here.
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGTERM');
  rmSync(copy, { recursive: true, force: true });
});

async function start(): Promise<{ url: string; output: () => string; child: ChildProcess }> {
  const env = { LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'deb-cs-')) };
  const bot = spawnBot(env, { cwd: copy, args: ['scripts/start.mjs'] });
  running.add(bot.child);
  bot.child.once('exit', () => running.delete(bot.child));
  return { url: await bot.ready, output: bot.output, child: bot.child };
}

/** `npm run build` in the copy: its exit code and what it wrote. */
async function runBuild(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['scripts/build.mjs'], {
    cwd: copy,
    env: childBaseEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  running.delete(child);
  return { code, output };
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

    // A lock left by a build that died is taken over, not waited for.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(copy, 'dist', '.build-lock'), String(gone));
    const second = await start();
    expect(second.output()).not.toMatch(/compiling|waiting/);
    expect(existsSync(join(copy, 'dist', '.build-lock'))).toBe(false);
    await stop(second.child);

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(copy, 'bot', 'ports.ts'), later, later);
    const third = await start();
    expect(third.output()).toMatch(/compiling the bot into dist/);
    await stop(third.child);
  }, 180_000);

  it('two starts and a build launched together on stale sources compile once, and both bots serve', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'cards', 'index.ts'), later, later);
    const [a, b, built] = await Promise.all([start(), start(), runBuild()]);
    try {
      expect(built.code).toBe(0);
      // One process builds; the other two wait for it and then find dist/ current.
      const outputs = [a.output(), b.output(), built.output];
      expect(outputs.filter((o) => /waiting for the build of dist\//.test(o))).toHaveLength(2);
      const compiled = [a, b].filter((bot) => /compiling/.test(bot.output())).length;
      expect(compiled + (/dist\/ is current/.test(built.output) ? 0 : 1)).toBe(1);
      for (const bot of [a, b]) expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${a.url}/console/assets/app.js`)).status).toBe(200);
      expect(existsSync(join(copy, 'dist', '.build-lock'))).toBe(false);
      expect(readdirSync(copy).filter((f) => f.startsWith('.dist-next'))).toEqual([]);
    } finally {
      await Promise.all([stop(a.child), stop(b.child)]);
    }
  }, 120_000);

  it('a failing build exits 1 and leaves the previous build in place', async () => {
    const source = join(copy, 'cards', 'index.ts');
    const before = readFileSync(source, 'utf8');
    const stamp = readFileSync(join(copy, 'dist', '.build-stamp'), 'utf8');
    writeFileSync(source, `${before}\nexport const broken: number = 'not a number';\n`);
    try {
      const built = await runBuild();
      expect(built.code).toBe(1);
      expect(built.output).toMatch(/cards\/index\.ts.*error TS2322/);
    } finally {
      writeFileSync(source, before);
    }
    expect(existsSync(join(copy, 'dist', 'adapters', 'main.js'))).toBe(true);
    expect(readFileSync(join(copy, 'dist', '.build-stamp'), 'utf8')).toBe(stamp);
    expect(readdirSync(copy).filter((f) => f.startsWith('.dist-next'))).toEqual([]);
    expect(existsSync(join(copy, 'dist', '.build-lock'))).toBe(false);
  }, 60_000);
});
