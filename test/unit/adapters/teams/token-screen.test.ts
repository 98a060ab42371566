import { describe, expect, it } from 'vitest';
import { authFailureStatus, screenChannelToken } from '../../../../adapters/teams/token-screen.js';

// The pre-screen refuses anything not shaped like a channel token from the configured issuer, and auth
// failures map to 401 (token) or 503 (signing keys unavailable) — never 500.

const ISSUER = 'https://api.botframework.com';
const seg = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (header: object, payload: object): string => `Bearer ${seg(header)}.${seg(payload)}.c2lnbmF0dXJl`;
const good = { alg: 'RS256', kid: 'k1', typ: 'JWT' };
const claims = { iss: ISSUER, aud: 'app', exp: 2_000_000_000 };

describe('channel token screen', () => {
  it('passes the shape of a channel token (and nothing more is claimed)', () => {
    expect(screenChannelToken(jwt(good, claims), ISSUER)).toEqual({ ok: true });
  });

  it.each([
    ['no header', undefined],
    ['blank', '  '],
    ['basic', 'Basic dXNlcjpwdw=='],
    ['two segments', 'Bearer a.b'],
    ['empty signature (alg none)', `Bearer ${seg({ alg: 'none' })}.${seg(claims)}.`],
    ['not JSON', 'Bearer abc.def.ghi'],
    ['HS256', jwt({ ...good, alg: 'HS256' }, claims)],
    ['ES256', jwt({ ...good, alg: 'ES256' }, claims)],
    ['no kid', jwt({ alg: 'RS256' }, claims)],
    ['other issuer', jwt(good, { ...claims, iss: 'https://sts.windows.net/x/' })],
    ['no issuer', jwt(good, { aud: 'app', exp: 1 })],
    ['no expiry', jwt(good, { iss: ISSUER, aud: 'app' })],
  ])('refuses %s', (_name, header) => {
    expect(screenChannelToken(header, ISSUER).ok).toBe(false);
  });

  it('maps failures: keys unavailable → 503, anything about the token → 401', () => {
    expect(
      authFailureStatus({
        name: 'AuthenticationError',
        statusCode: 500,
        message: 'Failed to load Keys: 404',
      }),
    ).toBe(503);
    expect(
      authFailureStatus(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(503);
    expect(authFailureStatus({ name: 'FetchError' })).toBe(503);
    expect(authFailureStatus({ name: 'AuthenticationError', statusCode: 401 })).toBe(401);
    expect(
      authFailureStatus(Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' })),
    ).toBe(401);
    expect(authFailureStatus(Object.assign(new Error('jwt not active'), { name: 'NotBeforeError' }))).toBe(
      401,
    );
    expect(authFailureStatus(new TypeError('Cannot read properties of undefined'))).toBe(401);
    expect(authFailureStatus('boom')).toBe(401);
  });
});
