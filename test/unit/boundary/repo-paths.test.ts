import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFiles } from '../../support/repo-files.js';
import { repoRoot } from '../../support/spawn-bot.js';

/** The folder beside the repository in development; spelled in parts so this file does not name it. */
const SIBLING_NAME = ['sha', 'red'].join('');
const SIBLING = `..${'/'}${SIBLING_NAME}`;

// Nothing in the repository may read a path above its root: a clone in an empty folder must build, start
// and pass its tests. Sources, scripts and configs are scanned for the ways a path can climb out:
// relative import specifiers and `new URL(…, import.meta.url)`, path.resolve/join chains starting from
// the file's own folder or the repository root, relative paths in JSON and YAML, and any mention of the
// folder that sits beside the repository in development.

const SCANNED =
  /\.(ts|mts|cts|js|mjs|cjs|json|ya?ml|sh)$|(^|\/)(Dockerfile|run|\.dockerignore|\.env\.example)$/;
// This file's own examples of what is refused are data, not paths it reads.
const NOT_SCANNED = new Set(['package-lock.json', 'test/unit/boundary/repo-paths.test.ts']);

/** Depth of a repository-relative folder ("" is the root). */
const depthOf = (dir: string): number => (dir === '' || dir === '.' ? 0 : dir.split('/').length);

/** True when `rel`, taken from folder `from` (repository-relative), leaves the repository. */
function climbsOut(from: string, rel: string): boolean {
  let depth = depthOf(from);
  for (const part of rel.split('/')) {
    if (part === '..') depth -= 1;
    else if (part !== '' && part !== '.') depth += 1;
    if (depth < 0) return true;
  }
  return false;
}

/** The text between the parenthesis at `open` and its match. */
function balanced(code: string, open: number): string {
  let level = 0;
  for (let i = open; i < code.length; i += 1) {
    if (code[i] === '(') level += 1;
    else if (code[i] === ')' && --level === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1);
}

/** Top-level comma-separated arguments of a call's argument text. */
function args(text: string): string[] {
  const out: string[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') level += 1;
    else if (c === ')' || c === ']' || c === '}') level -= 1;
    else if (c === ',' && level === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((a) => a !== '');
}

/** A string literal's value up to its first interpolation, or null when the argument is not a literal. */
function literal(arg: string): string | null {
  const m = /^(['"`])(.*)\1$/s.exec(arg);
  return m ? ((m[2] ?? '').split('${')[0] ?? '') : null;
}

/** Every place in `code` (the file at repository path `file`) that reads above the repository root. */
function pathsAbove(file: string, code: string): string[] {
  const dir = posix.dirname(file);
  const found: string[] = [];
  if (/\.\.\/shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/.test(code)) found.push(`names ${SIBLING}`);
  if (/\.(json|ya?ml)$/.test(file)) {
    for (const m of code.matchAll(/["'\s:](\.\.\/[^"'\s,]*)/g))
      if (climbsOut(dir, m[1] ?? '')) found.push(`relative path ${m[1]}`);
    return found;
  }
  const relative = [
    /\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/g,
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]/g,
    /\brequire\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]/g,
    /\bnew URL\(\s*['"`](\.{1,2}\/[^'"`$]*)/g,
  ];
  for (const pattern of relative)
    for (const m of code.matchAll(pattern))
      if (climbsOut(dir, m[1] ?? '')) found.push(`relative path ${m[1]}`);
  for (const m of code.matchAll(/\b(?:resolve|join)\(/g)) {
    const [base, ...rest] = args(balanced(code, (m.index ?? 0) + m[0].length - 1));
    if (base === undefined) continue;
    let from: string | null = null;
    if (/import\.meta\.dirname|__dirname|\bdirname\(/.test(base) && /import\.meta|__dirname/.test(base))
      from = dir;
    else if (/import\.meta\.url|import\.meta\.filename|__filename/.test(base)) from = file;
    else if (/^(repoRoot|root|process\.cwd\(\))$/.test(base)) from = '';
    if (from === null) continue;
    const parts: string[] = [];
    for (const arg of rest) {
      const value = literal(arg);
      if (value === null) break;
      parts.push(value);
    }
    const rel = parts.join('/');
    if (climbsOut(from, rel)) found.push(`path ${base} + ${rel}`);
  }
  return found;
}

describe('pathsAbove', () => {
  it('finds each way a file can read above the repository root', () => {
    const at = 'test/unit/x.test.ts';
    expect(pathsAbove(at, `const s = resolve(repoRoot, '..', '${SIBLING_NAME}', 'schemas');`)).not.toEqual(
      [],
    );
    expect(pathsAbove('bot/x.ts', `readFileSync('${SIBLING}/DESIGN.md')`)).toEqual([`names ${SIBLING}`]);
    expect(
      pathsAbove(at, "path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')"),
    ).toHaveLength(1);
    expect(pathsAbove(at, "join(import.meta.dirname, '../../../../elsewhere')")).toHaveLength(1);
    expect(pathsAbove(at, "new URL('../../../../outside.json', import.meta.url)")).toHaveLength(1);
    expect(pathsAbove(at, "import x from '../../../../outside.js';")).toHaveLength(1);
    expect(pathsAbove('bench/x.ts', "const f = join(process.cwd(), '..', 'elsewhere');")).toHaveLength(1);
    expect(pathsAbove('tsconfig.json', '{ "extends": "../tsconfig.base.json" }')).toHaveLength(1);
    expect(pathsAbove('deploy/kubernetes/x.yaml', 'path: ../../../etc')).toHaveLength(1);
  });

  it('lets paths inside the repository and path-like test data through', () => {
    const at = 'test/unit/cards/x.test.ts';
    expect(
      pathsAbove(at, "path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')"),
    ).toEqual([]);
    expect(pathsAbove(at, "join(repoRoot, 'test', 'fixtures', 'schemas')")).toEqual([]);
    expect(pathsAbove(at, "new URL('../../../cards/templates/', import.meta.url)")).toEqual([]);
    expect(pathsAbove(at, "import { x } from '../../../bot/x.js';")).toEqual([]);
    expect(pathsAbove(at, "click('incident.show', { id: '../../etc/passwd' })")).toEqual([]);
  });
});

describe('the repository', () => {
  it('reads nothing above its own root', () => {
    const files = repoFiles().filter((f) => SCANNED.test(f) && !NOT_SCANNED.has(f));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) =>
      pathsAbove(file, readFileSync(posix.join(repoRoot, file), 'utf8')).map((what) => `${file}: ${what}`),
    );
    expect(offenders).toEqual([]);
  });
});
