import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  isLoopbackPeer,
  PLAYGROUND_HEADER,
  playgroundGate,
  playgroundServiceUrlCheck,
  screenPlaygroundRequest,
} from '../../../../../adapters/teams/auth/playground-gate.js';
import { demoDirectory, PLAYGROUND_USER_AAD_ID } from '../../../../../bot/config/demo-customers.js';
import { loadConfig } from '../../../../../bot/config/env.js';
import { ConfigError } from '../../../../../bot/errors.js';
import type { Logger } from '../../../../../bot/ports.js';

// Playground mode is the one way into /api/messages without a token; each refusal is pinned here on the
// pure decisions (any peer address can be given), and for real in the process test.

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

describe('TEAMS_PLAYGROUND in the configuration', () => {
  it('is off by default, with the Playground port 56150', () => {
    const config = loadConfig({});
    expect(config.TEAMS_PLAYGROUND).toBe(false);
    expect(config.PLAYGROUND_PORT).toBe(56150);
    expect(loadConfig({ TEAMS_PLAYGROUND: 'on', PLAYGROUND_PORT: '56999' })).toMatchObject({
      TEAMS_PLAYGROUND: true,
      PLAYGROUND_PORT: 56999,
    });
  });

  it('is refused while MicrosoftAppId is set', () => {
    const problems = problemsOf({ TEAMS_PLAYGROUND: 'on', MicrosoftAppId: 'app', MicrosoftAppPassword: 's' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TEAMS_PLAYGROUND: .*MicrosoftAppId is set/);
  });

  it('is refused with a HOST other than loopback', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.4', 'bot.example.com']) {
      const problems = problemsOf({ TEAMS_PLAYGROUND: 'on', HOST: host });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^TEAMS_PLAYGROUND: .*HOST=${host} `))]);
    }
    for (const host of ['127.0.0.1', '::1', 'localhost'])
      expect(problemsOf({ TEAMS_PLAYGROUND: 'on', HOST: host })).toEqual([]);
  });

  it('takes only on or off, and a port in range', () => {
    expect(problemsOf({ TEAMS_PLAYGROUND: 'yes' })).toEqual([expect.stringMatching(/^TEAMS_PLAYGROUND: /)]);
    expect(problemsOf({ PLAYGROUND_PORT: '70000' })).toEqual([expect.stringMatching(/^PLAYGROUND_PORT: /)]);
    // Off changes nothing, whatever else is set.
    expect(
      problemsOf({
        TEAMS_PLAYGROUND: 'off',
        HOST: '0.0.0.0',
        MicrosoftAppId: 'a',
        MicrosoftAppPassword: 'b',
      }),
    ).toEqual([]);
  });
});

describe('the demo customers in Playground mode', () => {
  const contoso = (playground: boolean) => {
    const c = demoDirectory({ teamsPlayground: playground }).customers.find((x) => x.id === 'contoso');
    if (c === undefined) throw new Error('no contoso');
    return c;
  };

  it('make the Playground user Contoso’s responder and admin only in that mode', () => {
    const user = `teams:${PLAYGROUND_USER_AAD_ID}`;
    expect(contoso(true).responders).toContain(user);
    expect(contoso(true).admins).toContain(user);
    expect(contoso(false).responders).not.toContain(user);
    expect(contoso(false).admins).not.toContain(user);
    expect(contoso(true).responders).toEqual([user, ...contoso(false).responders]);
  });

  it('match the Playground config file: Contoso’s tenant, that user', () => {
    const file = parse(
      readFileSync(new URL('../../../../../.m365agentsplayground.yml', import.meta.url), 'utf8'),
    ) as {
      tenantId: string;
      currentUser: { aadObjectId: string };
    };
    expect(file.tenantId).toBe(contoso(true).teamsTenantId);
    expect(file.currentUser.aadObjectId).toBe(PLAYGROUND_USER_AAD_ID);
  });
});

describe('isLoopbackPeer', () => {
  it('accepts this machine only', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      expect(isLoopbackPeer(a), a).toBe(true);
    for (const a of [
      undefined,
      '',
      '10.0.0.5',
      '::ffff:10.0.0.5',
      '192.168.1.20',
      'fe80::1',
      '::',
      '0.0.0.0',
      '128.0.0.1',
      'localhost',
    ])
      expect(isLoopbackPeer(a), String(a)).toBe(false);
  });
});

describe('screenPlaygroundRequest', () => {
  it('refuses a peer that is not loopback, even with the header', () => {
    const v = screenPlaygroundRequest('203.0.113.7', 'true');
    expect(v).toEqual({ ok: false, reason: expect.stringContaining('203.0.113.7') });
  });

  it('refuses a request without the Playground header', () => {
    expect(screenPlaygroundRequest('127.0.0.1', undefined)).toMatchObject({ ok: false });
    expect(screenPlaygroundRequest('127.0.0.1', 'false')).toMatchObject({ ok: false });
    expect(screenPlaygroundRequest('::1', 'TRUE')).toEqual({ ok: true });
  });
});

describe('playgroundServiceUrlCheck', () => {
  const check = playgroundServiceUrlCheck(56150);

  it('accepts the local Playground connector and requests under it', () => {
    for (const url of [
      'http://localhost:56150/_connector',
      'http://127.0.0.1:56150/_connector/',
      'http://localhost:56150/_connector/v3/conversations/a%3A1/activities/42',
    ])
      expect(check(url).ok, url).toBe(true);
  });

  it('refuses everything else: Teams itself, another port or host, another path, credentials, https', () => {
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://localhost:56150/_connector',
      'http://localhost:56151/_connector',
      'http://localhost/_connector',
      'http://10.0.0.5:56150/_connector',
      'http://localhost.evil.example:56150/_connector',
      'http://localhost:56150/',
      'http://localhost:56150/_connectorx',
      'http://localhost:56150/api/messages',
      'http://user:pw@localhost:56150/_connector',
      '',
      'not a url',
      undefined,
    ])
      expect(check(url).ok, String(url)).toBe(false);
  });
});

describe('playgroundGate', () => {
  const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
  const run = (remoteAddress: string, header: string | undefined) => {
    const req = {
      socket: { remoteAddress, localPort: 3978 },
      headers: { host: '127.0.0.1:3978' },
      get: (name: string) => (name.toLowerCase() === PLAYGROUND_HEADER ? header : undefined),
    } as unknown as Request;
    const answer: { status?: number; body?: unknown; passed: boolean } = { passed: false };
    const res = {
      status(code: number) {
        answer.status = code;
        return this;
      },
      json(body: unknown) {
        answer.body = body;
        return this;
      },
    } as unknown as Response;
    playgroundGate(silent)(req, res, (() => {
      answer.passed = true;
    }) as NextFunction);
    return answer;
  };

  it('answers 403 to a socket from another machine and lets the local Playground through', () => {
    expect(run('198.51.100.4', 'true')).toMatchObject({
      status: 403,
      passed: false,
      body: { error: 'playground_only' },
    });
    expect(run('127.0.0.1', undefined)).toMatchObject({ status: 403, passed: false });
    expect(run('127.0.0.1', 'true')).toEqual({ passed: true });
  });
});
