import { build, upToDate } from './build.mjs';

// `npm start`: the compiled bot (dist/adapters/main.js), built first when dist/ is missing or older than
// the sources, so a fresh clone and an edited checkout both start with one command — and without a
// TypeScript transpiler in the running process (start-up time, memory).

if (!upToDate()) {
  process.stderr.write('npm start: compiling the bot into dist/ (sources changed since the last build)\n');
  if (!build()) {
    process.stderr.write('Cannot start: the TypeScript build failed (see above)\n');
    process.exit(1);
  }
}
await import('../dist/adapters/main.js');
