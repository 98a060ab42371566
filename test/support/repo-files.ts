import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from './spawn-bot.js';

// The repository's own files, for tests that read the whole tree (paths, links, comments). Walks the
// folder rather than asking git, so a source archive without .git is checked the same way; what git
// ignores (installed packages, build output, runtime data, test artifacts) is skipped.

const SKIP = new Set(['.git', 'node_modules', 'dist', 'data', 'test-artifacts', 'coverage']);

/** Repository-relative paths (always with "/"), sorted, of every file under `under` (default: all). */
export function repoFiles(under = ''): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      if (SKIP.has(name)) return [];
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(repoRoot, path).split(sep).join('/')];
    });
  return walk(join(repoRoot, under)).sort();
}
