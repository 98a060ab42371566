import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The loops that post for the core (alerts, their failure handling, the relay) know no platform: each
// platform's pacing and retry rules live in its ChatPort, which these loops only ask ("delayFor"). This
// reads the sources, so a branch on a platform name or a pacer of their own cannot slip back in.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const LOOPS = ['bot/alerts/dispatcher.ts', 'bot/alerts/delivery-failures.ts', 'bot/relay/relay-worker.ts'];

/** The source without comments, so a comment may still name a platform. */
const code = (path: string): string =>
  readFileSync(`${root}${path}`, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('delivery loops know no platform', () => {
  it.each(LOOPS)('%s names no platform and keeps no pacer of its own', (path) => {
    const source = code(path);
    expect(source.length).toBeGreaterThan(500);
    expect(source).not.toMatch(/['"`](teams|slack|web)['"`]/);
    expect(source).not.toMatch(/\b(createPacer|[A-Z_]*WINDOWS)\b/);
  });

  it('the shared pacing and retry helpers hold no platform limits', () => {
    for (const path of ['bot/pacing/windows.ts', 'bot/pacing/retry.ts']) {
      const source = code(path);
      expect(source).not.toMatch(/\b(TEAMS|SLACK)_[A-Z_]+\b/);
      expect(source).not.toMatch(/['"`](teams|slack)['"`]/i);
    }
  });
});
