import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import type { BotConnectorStandIn } from './bot-connector-standin.js';

// Forged and broken Bot Framework tokens, each a way an attacker (or a bug) could present one: every one
// of them must be answered 401 by /api/messages, and none may cause a call to the Bot Connector.

export interface ForgedCase {
  readonly name: string;
  /** The Authorization header to send (undefined: none). */
  readonly authorization: string | undefined;
  /** Activity changes that make an otherwise valid token wrong for it. */
  readonly activity?: { readonly serviceUrl?: string; readonly channelId?: string };
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Builds the forged cases against a stand-in (at least 12; currently 20). */
export async function forgedCases(s: BotConnectorStandIn): Promise<ForgedCase[]> {
  const now = Math.floor(Date.now() / 1000);
  const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const claims = {
    serviceurl: s.serviceUrl,
    iss: s.issuer,
    aud: s.appId,
    nbf: now - 5,
    iat: now,
    exp: now + 3600,
  };
  const sign = (
    payload: Record<string, unknown>,
    key = s.channelKey.privateKey,
    header: Record<string, unknown> = { alg: 'RS256', kid: s.channelKey.kid, typ: 'JWT' },
  ) => new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
  const valid = await s.channelToken();
  const [head = '', body = '', signature = ''] = valid.split('.');
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  const { exp: _exp, ...noExpiry } = claims;

  return [
    { name: 'no Authorization header', authorization: undefined },
    {
      name: 'Basic scheme',
      authorization: `Basic ${Buffer.from(`${s.appId}:${s.appPassword}`).toString('base64')}`,
    },
    { name: 'empty bearer', authorization: 'Bearer ' },
    { name: 'malformed token', authorization: 'Bearer not.a-real.jwt!' },
    { name: 'lowercase scheme', authorization: `bearer ${valid}` },
    { name: 'alg none (unsigned)', authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${body}.` },
    {
      name: 'HS256 signed with the public key as secret',
      authorization: `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: s.channelKey.kid })
        .sign(new TextEncoder().encode(s.caPem))}`,
    },
    { name: 'wrong signature (bytes flipped)', authorization: `Bearer ${head}.${body}.${flipped}` },
    {
      name: 'payload tampered after signing',
      authorization: `Bearer ${head}.${b64({ ...claims, aud: '99999999-9999-4999-8999-999999999999' })}.${signature}`,
    },
    {
      name: 'signed by another key under the channel kid',
      authorization: `Bearer ${await sign(claims, rogue.privateKey)}`,
    },
    {
      name: 'unknown key id',
      authorization: `Bearer ${await sign(claims, rogue.privateKey, { alg: 'RS256', kid: 'unknown-kid', typ: 'JWT' })}`,
    },
    {
      name: 'no key id',
      authorization: `Bearer ${await sign(claims, s.channelKey.privateKey, { alg: 'RS256', typ: 'JWT' })}`,
    },
    {
      name: 'key endorsed for another channel only',
      authorization: `Bearer ${await sign(claims, s.webchatKey.privateKey, { alg: 'RS256', kid: s.webchatKey.kid, typ: 'JWT' })}`,
    },
    {
      name: 'expired',
      authorization: `Bearer ${await sign({ ...claims, nbf: now - 7200, iat: now - 7200, exp: now - 3600 })}`,
    },
    {
      name: 'not yet valid',
      authorization: `Bearer ${await sign({ ...claims, nbf: now + 3600, exp: now + 7200 })}`,
    },
    { name: 'no expiry', authorization: `Bearer ${await sign(noExpiry)}` },
    {
      name: 'wrong audience (another bot)',
      authorization: `Bearer ${await sign({ ...claims, aud: '99999999-9999-4999-8999-999999999999' })}`,
    },
    {
      name: 'wrong issuer (real Bot Framework issuer, not the configured one)',
      authorization: `Bearer ${await sign({ ...claims, iss: 'https://api.botframework.com' })}`,
    },
    {
      name: 'Emulator issuer (would send botbuilder to Microsoft’s keys)',
      authorization: `Bearer ${await sign({ ...claims, iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: s.appId })}`,
    },
    {
      // A bot-to-bot (skill) call: signed by the channel's key, but from another bot, not the channel.
      name: 'skill claims (a version and another bot’s appid)',
      authorization: `Bearer ${await sign({ ...claims, ver: '1.0', appid: '99999999-9999-4999-8999-999999999999' })}`,
    },
    {
      name: 'serviceurl claim for another service URL',
      authorization: `Bearer ${valid}`,
      activity: { serviceUrl: `${s.url}/emea/` },
    },
    {
      name: 'valid token on a non-Teams channel',
      authorization: `Bearer ${valid}`,
      activity: { channelId: 'webchat' },
    },
  ];
}
