import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run build`, and the build `npm start` runs when dist/ is older than the sources: compile bot/,
// cards/ and adapters/ to dist/ (tsconfig.build.json) and copy what the compiled code reads at run time
// but tsc does not emit (the dev console's static page). Plain JavaScript, so it runs before anything is
// compiled. The stamp records which sources the build saw; a newer source (or a changed folder, for a
// deleted file) makes dist/ stale.

export const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const compiled = ['bot', 'cards', 'adapters'];
const inputs = [...compiled, 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

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

/** Compiles into a clean dist/ (keeping other artefacts such as the Teams app package); false on failure. */
export function build() {
  const seen = sourcesTime();
  for (const dir of compiled) rmSync(join(dist, dir), { recursive: true, force: true });
  rmSync(stamp, { force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) return false;
  cpSync(join(root, 'adapters', 'web', 'public'), join(dist, 'adapters', 'web', 'public'), {
    recursive: true,
  });
  writeFileSync(stamp, String(seen));
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && !build()) process.exit(1);
