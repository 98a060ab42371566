import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFiles } from '../../support/repo-files.js';
import { repoRoot } from '../../support/spawn-bot.js';

// Comments explain the code in its own terms. A pointer to a ticket, a review finding, a numbered house
// rule or a section of a document means nothing to a reader who has only the repository, and goes stale
// when the thing it points at moves; this test refuses such pointers in every source, script and config.

// In order: ticket numbers, review findings (a letter and a number, or a round number), numbered house
// rules, the design and conventions documents by name or by section sign, numbered work sessions,
// pull-request numbers, work that "lands with its issue", and task briefs.
const REFERENCES: readonly RegExp[] = [
  /\bissues?\s*#?\d/i,
  /\breviews?\s+(?:[A-Z]\d+|\d+)/i,
  /\bhabits?\s+\d/i,
  /\bDESIGN\b/,
  /\bCONVENTIONS\b/,
  /§/,
  /\bsessions?\s+\d/i,
  /\b(?:PR|pull request)\s*#\d/i,
  /\bissues?\b.{0,30}\bland(?:s|ed)?\b/i,
  /\b(?:helper|task|the) brief\b/i,
];

const SCANNED =
  /\.(ts|mts|cts|js|mjs|cjs|css|html|ya?ml|sh)$|(^|\/)(Dockerfile|\.env\.example|\.dockerignore|run)$/;
const HASH_COMMENTS = /\.(ya?ml|sh)$|(^|\/)(Dockerfile|\.env\.example|\.dockerignore|run)$/;

/** The comments of a C-family source (line and block comments, and HTML comments), with their line numbers. */
function slashComments(code: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let i = 0;
  let line = 1;
  const push = (text: string, at: number): void => {
    for (const [n, part] of text.split('\n').entries()) out.push({ line: at + n, text: part });
  };
  while (i < code.length) {
    const c = code[i] ?? '';
    const next = code[i + 1] ?? '';
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      push(code.slice(i + 2, stop), line);
      i = stop;
    } else if ((c === '/' && next === '*') || code.startsWith('<!--', i)) {
      const close = c === '/' ? '*/' : '-->';
      const end = code.indexOf(close, i + 2);
      const stop = end === -1 ? code.length : end + close.length;
      const text = code.slice(i, stop);
      push(text, line);
      line += text.split('\n').length - 1;
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      // Skip a string literal (template literals may span lines); escapes are honoured.
      let j = i + 1;
      while (j < code.length && code[j] !== c) {
        if (code[j] === '\\') j += 1;
        else if (code[j] === '\n') {
          if (c !== '`') break;
          line += 1;
        }
        j += 1;
      }
      i = j + 1;
    } else i += 1;
  }
  return out;
}

/** Comments of a file where "#" starts a comment (YAML, shell, Dockerfile, .env). */
function hashComments(code: string): Array<{ line: number; text: string }> {
  return code
    .split('\n')
    .map((text, n) => ({ line: n + 1, hash: /(?:^|\s)#(.*)$/.exec(text) }))
    .filter((l) => l.hash !== null)
    .map((l) => ({ line: l.line, text: l.hash?.[1] ?? '' }));
}

/** "file:line: comment" for every comment of `file` that points outside the code. */
function references(file: string, code: string): string[] {
  const comments = HASH_COMMENTS.test(file) ? hashComments(code) : slashComments(code);
  return comments
    .filter((c) => REFERENCES.some((r) => r.test(c.text)))
    .map((c) => `${file}:${c.line}: ${c.text.trim()}`);
}

describe('references', () => {
  it('finds pointers to tickets, reviews, house rules and documents in comments', () => {
    const code = [
      '// Wires the alert pipeline (issue 6).',
      'const a = 1; // the SDM has no queue (review C8)',
      '/** Config is read once (CONVENTIONS habit 7). */',
      '/*',
      ' * Excluded assets get guidance (DESIGN §2.5).',
      ' */',
      "const url = 'https://example.com/a'; // fine",
      '// PostgreSQL modules land with their issue (helper brief: storage).',
    ].join('\n');
    expect(references('bot/x.ts', code)).toEqual([
      'bot/x.ts:1: Wires the alert pipeline (issue 6).',
      'bot/x.ts:2: the SDM has no queue (review C8)',
      'bot/x.ts:3: /** Config is read once (CONVENTIONS habit 7). */',
      'bot/x.ts:5: * Excluded assets get guidance (DESIGN §2.5).',
      'bot/x.ts:8: PostgreSQL modules land with their issue (helper brief: storage).',
    ]);
    expect(references('deploy/x.yaml', 'a: 1 # See DESIGN §5 for every field')).toHaveLength(1);
    expect(
      references('.env.example', '# Customers file (YAML or JSON, DESIGN §5)\nTENANTS_FILE='),
    ).toHaveLength(1);
  });

  it('leaves strings, code and plain comments alone', () => {
    const code = [
      "it('opens issue 7 in the tracker', () => {}); // a test name is not a comment",
      "const s = '// review C8'; const t = `/* DESIGN §5 */`;",
      '// A lock session ends when its connection closes; the issue is that nothing else notices.',
      "const re = /https?:\\/\\//; const u = 'http://a/b'; // after a URL",
    ].join('\n');
    expect(references('bot/y.ts', code)).toEqual([]);
  });
});

describe('the repository', () => {
  it('has no comment that points at a ticket, a review, a house rule or a document', () => {
    const files = repoFiles().filter(
      (f) => SCANNED.test(f) && !f.startsWith('test/fixtures/') && !f.startsWith('docs/'),
    );
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => references(f, readFileSync(posix.join(repoRoot, f), 'utf8')));
    expect(found).toEqual([]);
  });
});
