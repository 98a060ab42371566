import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// `npm run build`, and the build `npm start` runs when dist/ is older than the sources: compile bot/,
// cards/ and adapters/ to dist/ (tsconfig.build.json) and copy what the compiled code reads at run time
// but tsc does not emit (the dev console's static page). Plain JavaScript, so it runs before anything is
// compiled. The stamp records which sources the build saw; a newer source (or a changed folder, for a
// deleted file) makes dist/ stale.
//
// Several builds and starts may run at once (two terminals, a watcher): one process at a time builds,
// holding dist/.build-lock (its pid); the others wait for it and then build only if dist/ is still stale.
// tsc writes into .dist-next-<pid>/ and the finished folders are renamed into dist/, so a process loading dist/
// never sees a half-written tree, and a failed build leaves the previous one in place.

export const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const lock = join(dist, '.build-lock');
// Beside dist/ and as deep, so the source maps' relative paths still hold once the folders move in.
const next = join(root, `.dist-next-${process.pid}`);
const compiled = ['bot', 'cards', 'adapters'];
const inputs = [...compiled, 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];
const staleLockMs = 10 * 60_000;

/** The newest modification time (ms) among `path` and everything below it. */
function newest(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s === undefined) return 0;
  let latest = s.mtimeMs;
  if (s.isDirectory()) {
    for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

const sourcesTime = () => Math.max(...inputs.map((p) => newest(join(root, p))));

/** True when dist/ holds a build of the current sources (a few ms: one stat per source file). */
export function upToDate() {
  if (!existsSync(join(dist, 'adapters', 'main.js'))) return false;
  const built = Number(existsSync(stamp) ? readFileSync(stamp, 'utf8') : Number.NaN);
  return Number.isFinite(built) && built >= sourcesTime();
}

/** True when a build holds the lock (or a crashed one left it behind: the next locker takes it over). */
export const building = () => existsSync(lock);

/** The pid holding the lock, or undefined when the lock is free or its holder is gone. */
function holder() {
  let pid;
  let age;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
    age = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return undefined;
  }
  // Our own pid is a lock from an earlier life of this pid (a restarted container); a very old lock is a
  // dead holder whose pid was reused.
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || age > staleLockMs) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return error.code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Runs `work(waited)` holding dist/.build-lock, first waiting while another live process holds it
 * (`onWait(pid)` is told once); `waited` says whether another build may have finished meanwhile.
 */
export async function locked(work, onWait) {
  mkdirSync(dist, { recursive: true });
  // Written whole, then linked: linking fails while the lock exists, and never shows a half-written pid.
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  let waited = false;
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        break;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
      }
      const seen = inode(lock);
      const pid = holder();
      if (pid === undefined) {
        // Only the lock judged stale goes: another waiter may have replaced it with its own meanwhile.
        if (seen !== undefined && inode(lock) === seen) rmSync(lock, { force: true });
        continue;
      }
      if (!waited) onWait?.(pid);
      waited = true;
      await sleep(100);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  // Its age counts from now, not from when this process began to wait.
  const now = new Date();
  utimesSync(lock, now, now);
  const held = inode(lock);
  try {
    return await work(waited);
  } finally {
    // Released only while it is still ours (never another process's that took over a lock judged stale).
    if (inode(lock) === held) rmSync(lock, { force: true });
  }
}

/** The file's inode, or undefined when it is gone. */
function inode(path) {
  return statSync(path, { throwIfNoEntry: false })?.ino;
}

/**
 * Compiles into .dist-next-<pid>/ and moves the result into dist/ (keeping other artefacts such as the Teams app
 * package); false on failure. Call it holding the lock.
 */
export function build() {
  const seen = sourcesTime();
  rmSync(next, { recursive: true, force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    return false;
  }
  cpSync(join(root, 'adapters', 'web', 'public'), join(next, 'adapters', 'web', 'public'), {
    recursive: true,
  });
  rmSync(stamp, { force: true });
  for (const dir of compiled) {
    rmSync(join(next, `${dir}.old`), { recursive: true, force: true });
    if (existsSync(join(dist, dir))) renameSync(join(dist, dir), join(next, `${dir}.old`));
    renameSync(join(next, dir), join(dist, dir));
  }
  rmSync(next, { recursive: true, force: true });
  writeFileSync(stamp, String(seen));
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ok = await locked(
    (waited) => {
      if (!waited || !upToDate()) return build();
      process.stderr.write('npm run build: dist/ is current (built by the process it waited for)\n');
      return true;
    },
    (pid) => process.stderr.write(`npm run build: waiting for the build of dist/ in process ${pid}\n`),
  );
  if (!ok) process.exit(1);
}
