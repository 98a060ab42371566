import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Platform-free core: bot/ and cards/ import no platform SDK, database driver, web framework or adapter.
// This reads the sources, so a new file cannot slip past it.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FORBIDDEN = [
  /^botbuilder/,
  /^botframework/,
  /^@microsoft\//,
  /^@slack\//,
  /^@azure\//,
  /^pg$/,
  /^pg-/,
  /^better-sqlite3$/,
  /^express$/,
  /^pino$/,
  /^prom-client$/,
  /^playwright/,
  /(^|\/)adapters(\/|$)/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier in static imports, re-exports, dynamic imports and require calls. */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of code.matchAll(p)) if (m[1]) found.push(m[1]);
  return found;
}

describe('core boundary', () => {
  const files = [...sources(join(root, 'bot')), ...sources(join(root, 'cards'))];

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('bot/ and cards/ import no platform, driver or adapter', () => {
    const offences = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => FORBIDDEN.some((f) => f.test(s)))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    expect(offences).toEqual([]);
  });

  it('the scanner sees every import form (so the check above can fail)', () => {
    const code = [
      "import { App } from '@slack/bolt';",
      "import type { TurnContext } from 'botbuilder';",
      "export { x } from '../adapters/sqlite/store.js';",
      "const pg = await import('pg');",
      "const D = require('better-sqlite3');",
    ].join('\n');
    expect(specifiers(code).filter((s) => FORBIDDEN.some((f) => f.test(s)))).toHaveLength(5);
  });
});
