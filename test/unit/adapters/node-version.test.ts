import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isSupportedNode,
  nodeVersionProblem,
  SUPPORTED_NODE,
  supportedRange,
} from '../../../adapters/node-version.js';
import { repoRoot } from '../../support/spawn-bot.js';

// The start-up check of the Node.js version: the pure comparison, its agreement with package.json's
// engines field, and the entry point's order (the check runs before the bot's modules are loaded).

describe('isSupportedNode', () => {
  it.each([
    ['20.19.0', true],
    ['20.20.2', true],
    ['22.12.0', true],
    ['v22.12.0', true],
    ['23.0.0', true],
    ['24.1.0', true],
    ['20.10.0', false],
    ['20.15.1', false],
    ['20.18.1', false],
    ['21.7.3', false],
    ['22.11.0', false],
    ['22.2.0', false],
    ['18.20.4', false],
    ['not-a-version', false],
    ['', false],
  ])('%s → %s', (version, ok) => {
    expect(isSupportedNode(version)).toBe(ok);
  });

  it('honours the minimum it is given', () => {
    expect(isSupportedNode('20.19.0', ['20.20.0'])).toBe(false);
    expect(isSupportedNode('30.0.0', ['99.0.0'])).toBe(false);
    expect(isSupportedNode('99.0.0', ['99.0.0'])).toBe(true);
  });

  it('accepts the Node.js running these tests', () => {
    expect(isSupportedNode(process.versions.node)).toBe(true);
  });
});

describe('nodeVersionProblem', () => {
  it('is one line naming the supported range and the running version', () => {
    const problem = nodeVersionProblem('20.10.0') ?? '';
    expect(problem).toContain('needs Node.js ^20.19.0 || >=22.12.0');
    expect(problem).toContain('this is Node.js 20.10.0');
    expect(problem).not.toContain('\n');
    expect(nodeVersionProblem('22.12.0')).toBeNull();
  });
});

describe('engines', () => {
  it('package.json states the same minimum the start-up check enforces', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(supportedRange(SUPPORTED_NODE));
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    expect(lock.packages['']?.engines?.node).toBe(pkg.engines.node);
  });
});

describe('the entry point', () => {
  it('imports only the version check statically, so the check runs before any other module links', () => {
    const main = readFileSync(join(repoRoot, 'adapters', 'main.ts'), 'utf8');
    const staticImports = [...main.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(staticImports).toEqual(['./node-version.js']);
    expect(main.indexOf('exitIfUnsupportedNode()')).toBeLessThan(main.indexOf("await import('./start.js')"));
    const check = readFileSync(join(repoRoot, 'adapters', 'node-version.ts'), 'utf8');
    expect(check).not.toMatch(/^import /m);
  });

  it('prints one line and exits 1 in a real process when the running version is below the minimum', () => {
    const script = [
      "import { exitIfUnsupportedNode } from './adapters/node-version.ts';",
      "exitIfUnsupportedNode(process.versions.node, ['99.0.0']);",
      "console.log('went on');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('went on');
    expect(run.stderr).toBe(
      `Cannot start: defender-experts-bot needs Node.js >=99.0.0, but this is Node.js ${process.versions.node}. Install a supported release (https://nodejs.org/) and try again.\n`,
    );
  });
});
