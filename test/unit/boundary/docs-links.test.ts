import { existsSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFiles } from '../../support/repo-files.js';
import { repoRoot } from '../../support/spawn-bot.js';

// Every relative link in README.md and docs/ must lead to a file inside the repository, and every
// #anchor to a heading of that file: the manual has to work from a plain clone, with nothing beside it.

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Markdown without fenced code blocks, where a "#" line is not a heading. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Markdown without code of any kind, where link syntax is only text. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** The anchors of a Markdown file's headings, numbered for repeats as GitHub does. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Link targets of inline links, images and reference definitions. */
function targets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1] ?? '',
  );
  const refs = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] ?? '');
  return [...inline, ...refs];
}

type Reader = (repoPath: string) => string | null;

/** Problems with the links of `file` (a repository-relative path), reading files through `read`. */
function brokenLinks(file: string, read: Reader): string[] {
  const own = read(file) ?? '';
  const problems: string[] = [];
  // A path written as code (`../../elsewhere/x.md`) points outside just as surely as a link does.
  for (const m of withoutFences(own).matchAll(/`(\.\.\/[^`\s]*)`/g)) {
    const resolved = posix.normalize(posix.join(posix.dirname(file), m[1] ?? ''));
    if (resolved.startsWith('../')) problems.push(`${file}: ${m[1]} leaves the repository`);
  }
  for (const target of targets(own)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: … leave the repository on purpose
    const [pathPart = '', anchor] = target.split('#', 2);
    const resolved =
      pathPart === '' ? file : posix.normalize(posix.join(posix.dirname(file), decodeURI(pathPart)));
    if (resolved.startsWith('../') || resolved === '..' || posix.isAbsolute(resolved)) {
      problems.push(`${file}: ${target} leaves the repository`);
      continue;
    }
    const text = read(resolved.replace(/\/$/, ''));
    if (text === null) {
      problems.push(`${file}: ${target} → ${resolved} does not exist`);
      continue;
    }
    if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchors(text).has(anchor))
      problems.push(`${file}: ${target} → no heading #${anchor} in ${resolved}`);
  }
  return problems;
}

/** Reads a repository file; a folder reads as "" (it exists, has no headings); missing is null. */
const fromDisk: Reader = (repoPath) => {
  const full = posix.join(repoRoot, repoPath);
  if (!existsSync(full)) return null;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
};

describe('brokenLinks', () => {
  const files: Record<string, string> = {
    'README.md': '# Title\n\n## Quick start\n\n[docs](docs/a.md#setup) ![pic](docs/images/x.png)',
    'docs/a.md': '# A\n\n## Setup\n\n[back](../README.md#quick-start) [web](https://example.com)',
    'docs/images/x.png': 'png',
  };
  const read: Reader = (p) => files[p] ?? null;

  it('accepts links to files and headings that exist, and links out of the repository by URL', () => {
    expect(brokenLinks('README.md', read)).toEqual([]);
    expect(brokenLinks('docs/a.md', read)).toEqual([]);
  });

  it('reports a missing file, a missing heading and a path above the root', () => {
    const doc =
      '[gone](gone.md) [anchor](a.md#nowhere) [outside](../../elsewhere/DESIGN.md) `[code](x.md)` `../../x.md`';
    expect(brokenLinks('docs/b.md', (p) => (p === 'docs/b.md' ? doc : read(p)))).toEqual([
      'docs/b.md: ../../x.md leaves the repository',
      'docs/b.md: gone.md → docs/gone.md does not exist',
      'docs/b.md: a.md#nowhere → no heading #nowhere in docs/a.md',
      'docs/b.md: ../../elsewhere/DESIGN.md leaves the repository',
    ]);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug('Customers file (`TENANTS_FILE`, YAML or JSON)')).toBe(
      'customers-file-tenants_file-yaml-or-json',
    );
    expect(slug('Try it in the Playground in one command: `npm run playground`')).toBe(
      'try-it-in-the-playground-in-one-command-npm-run-playground',
    );
    expect([...anchors('# A\n## Notes\n## Notes\n```\n# not a heading\n```')]).toEqual([
      'a',
      'notes',
      'notes-1',
    ]);
  });
});

describe('the documentation', () => {
  const pages = ['README.md', ...repoFiles('docs').filter((f) => f.endsWith('.md'))];

  it('has the manual the README points to', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['docs/usage.md', 'docs/operations.md', 'docs/architecture.md']),
    );
  });

  it.each(pages)('%s links only to files and headings inside the repository', (page) => {
    expect(brokenLinks(page, fromDisk)).toEqual([]);
  });
});
