import { build, building, locked, upToDate } from './build.mjs';

// `npm start`: the compiled bot (dist/adapters/main.js), built first when dist/ is missing or older than
// the sources, so a fresh clone and an edited checkout both start with one command — and without a
// TypeScript transpiler in the running process (start-up time, memory). While another start or
// `npm run build` is building, this one waits for it and builds only if dist/ is still stale then.

if (building() || !upToDate()) {
  const ok = await locked(
    () => {
      if (upToDate()) return true;
      process.stderr.write(
        'npm start: compiling the bot into dist/ (sources changed since the last build)\n',
      );
      return build();
    },
    (pid) => process.stderr.write(`npm start: waiting for the build of dist/ in process ${pid}\n`),
  );
  if (!ok) {
    process.stderr.write('Cannot start: the TypeScript build failed (see above)\n');
    process.exit(1);
  }
}
await import('../dist/adapters/main.js');
