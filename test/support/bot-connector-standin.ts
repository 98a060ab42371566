import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { type MemberLists, memberLists } from './bot-connector-members.js';
import { loopbackCertificates } from './bot-connector-tls.js';

// A Bot Connector stand-in on loopback, over HTTPS with its own CA, playing every Microsoft endpoint the
// Teams adapter talks to: the channel's OpenID metadata and JWKS (keys carry endorsements), the login
// authority's metadata and token endpoint (client credentials), and the conversations API, which records
// every create/send/reply/update with the bearer token it came with, and lists each conversation's members
// with their tenants (bot-connector-members.ts). Faults can be injected.

export interface ConnectorCall {
  readonly kind: 'create' | 'send' | 'reply' | 'update' | 'other';
  readonly method: string;
  readonly path: string;
  /** Conversation id as addressed (thread suffix included), and its channel/chat base. */
  readonly conversationId: string;
  readonly conversationBase: string;
  readonly activityId: string | null;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
  /** Milliseconds since the epoch, sub-millisecond precision. */
  readonly at: number;
  /** What the stand-in answered. */
  readonly status: number;
  /** The activity id a successful create/send/reply/update answered with (a create's thread root), else null. */
  readonly answeredId: string | null;
}

export interface StandInOptions {
  readonly appId?: string;
  readonly appPassword?: string;
}

export interface BotConnectorStandIn {
  readonly url: string;
  /** The service URL Teams would put in activities (regional path like Teams' /amer/). */
  readonly serviceUrl: string;
  readonly issuer: string;
  readonly openIdMetadataUrl: string;
  readonly loginUrl: string;
  readonly appId: string;
  readonly appPassword: string;
  /** PEM file of the stand-in's CA, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly caPem: string;
  readonly calls: ConnectorCall[];
  readonly tokenRequests: Array<{ readonly at: number; readonly form: URLSearchParams }>;
  readonly metadataRequests: string[];
  /** Who is in each conversation (members of other tenants for shared channels and external chats). */
  readonly members: MemberLists;
  /** Tokens the token endpoint issued (what the bot must present to the conversations API). */
  readonly issuedTokens: Set<string>;
  /** The signing key the channel's JWKS publishes (endorsed for msteams), for valid and crafted tokens. */
  readonly channelKey: { readonly kid: string; readonly privateKey: KeyObject };
  /** A key in the JWKS endorsed for another channel only. */
  readonly webchatKey: { readonly kid: string; readonly privateKey: KeyObject };
  /** A valid channel token for this bot and service URL (claims can be overridden). */
  channelToken(claims?: Record<string, unknown>, serviceUrl?: string): Promise<string>;
  /** The next `count` conversations API calls answer `status` (with Retry-After if given). */
  failNext(count: number, status: number, retryAfter?: string): void;
  /**
   * Members (Entra object ids or 29: ids) for whom the app is not installed: opening a 1:1 chat with one
   * answers 403 BotNotInConversationRoster, as Teams does until the app is installed for that person.
   */
  readonly notInstalledFor: Set<string>;
  /** The environment that points the bot at this stand-in. */
  env(allowlist?: string): Record<string, string>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Starts the stand-in on a free loopback port. */
export async function startBotConnectorStandIn(options: StandInOptions = {}): Promise<BotConnectorStandIn> {
  const appId = options.appId ?? '00000000-0000-4000-8000-0000000000b0';
  const appPassword = options.appPassword ?? 'stand-in-client-secret';
  const pems = await loopbackCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'bot-connector-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pems.caPem);

  const channel = { kid: `channel-${randomUUID()}`, ...rsaKey() };
  const webchat = { kid: `webchat-${randomUUID()}`, ...rsaKey() };
  const calls: ConnectorCall[] = [];
  const tokenRequests: Array<{ at: number; form: URLSearchParams }> = [];
  const metadataRequests: string[] = [];
  const issuedTokens = new Set<string>();
  const faults: Array<{ status: number; retryAfter?: string }> = [];
  const notInstalledFor = new Set<string>();
  let base = '';
  let nextId = 1_700_000_000_000;

  const jwks = async () => ({
    keys: [
      {
        ...(await exportJWK(channel.publicKey)),
        kid: channel.kid,
        use: 'sig',
        alg: 'RS256',
        endorsements: ['msteams'],
      },
      {
        ...(await exportJWK(webchat.publicKey)),
        kid: webchat.kid,
        use: 'sig',
        alg: 'RS256',
        endorsements: ['webchat'],
      },
    ],
  });

  const lists = memberLists(send);

  async function conversationsApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const authorization = req.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    const query = new URL(req.url ?? '/', 'https://stand-in').searchParams;
    if (req.method === 'GET' && /\/(paged)?members\/?$/.test(path)) {
      if (!issuedTokens.has(bearer))
        return send(res, 401, { error: { code: 'Unauthorized', message: 'bad bearer token' } });
      if (lists.answer('GET', path, query, res)) return;
    }
    // /amer/v3/conversations[/{id}/activities[/{activityId}]]
    const m = /^\/amer\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      send(res, 400, { error: { code: 'BadSyntax', message: 'not JSON' } });
      return;
    }
    const method = req.method ?? 'GET';
    const conversationId = m?.[1] ? decodeURIComponent(m[1]) : '';
    const activityId = m?.[2] ? decodeURIComponent(m[2]) : null;
    const channelData = body.channelData as { channel?: { id?: string } } | undefined;
    const kind: ConnectorCall['kind'] =
      m === null
        ? 'other'
        : !m[1] && method === 'POST'
          ? 'create'
          : activityId === null && method === 'POST'
            ? 'send'
            : activityId !== null && method === 'POST'
              ? 'reply'
              : activityId !== null && method === 'PUT'
                ? 'update'
                : 'other';
    // A create without a channel opens a 1:1 chat: Teams answers with the new chat's id ("a:…").
    const members = body.members as { id?: unknown }[] | undefined;
    const chat =
      kind === 'create' && !channelData?.channel?.id ? `a:dm-${String(members?.[0]?.id ?? '')}` : null;
    const addressed = chat ?? (kind === 'create' ? (channelData?.channel?.id ?? '') : conversationId);
    const authorized =
      authorization?.startsWith('Bearer ') === true &&
      issuedTokens.has(authorization.slice('Bearer '.length));
    const notInstalled = chat !== null && notInstalledFor.has(String(members?.[0]?.id ?? '').toLowerCase());
    const fault: { status: number; retryAfter?: string; installed?: false } | undefined = authorized
      ? (faults.shift() ?? (notInstalled ? { status: 403, installed: false } : undefined))
      : undefined;
    const status = !authorized
      ? 401
      : fault
        ? fault.status
        : kind === 'other'
          ? 404
          : kind === 'create'
            ? 201
            : 200;
    calls.push({
      kind,
      method,
      path,
      conversationId: addressed,
      conversationBase: addressed.split(';messageid=')[0] ?? addressed,
      activityId,
      body,
      authorization,
      at: performance.timeOrigin + performance.now(),
      status,
      // Computed the way the answer below is (nothing awaits in between): the next id, or the updated one.
      answeredId:
        status >= 300 || kind === 'other'
          ? null
          : kind === 'update'
            ? (activityId ?? String(nextId + 1))
            : String(nextId + 1),
    });
    if (!authorized) return send(res, 401, { error: { code: 'Unauthorized', message: 'bad bearer token' } });
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
      if ('installed' in fault)
        return send(res, 403, {
          error: {
            code: 'BotNotInConversationRoster',
            message: 'The bot is not part of the conversation roster.',
          },
        });
      return send(res, fault.status, { error: { code: 'Throttled', message: 'injected fault' } }, headers);
    }
    nextId += 1;
    const id = String(nextId);
    if (chat !== null) return send(res, 201, { id: chat });
    if (kind === 'create')
      return send(res, 201, {
        id: `${addressed};messageid=${id}`,
        activityId: id,
        serviceUrl: `${base}/amer/`,
      });
    if (kind === 'other') return send(res, 404, { error: { code: 'NotFound', message: path } });
    return send(res, 200, { id: kind === 'update' ? (activityId ?? id) : id });
  }

  const server: Server = createServer({ cert: pems.cert, key: pems.key }, async (req, res) => {
    const path = new URL(req.url ?? '/', 'https://stand-in').pathname;
    try {
      if (path === '/channel/.well-known/openidconfiguration') {
        metadataRequests.push(path);
        return send(res, 200, {
          issuer: `${base}/channel`,
          authorization_endpoint: `${base}/channel/authorize`,
          jwks_uri: `${base}/channel/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (path === '/channel/keys') {
        metadataRequests.push(path);
        return send(res, 200, await jwks());
      }
      if (path === '/botframework.com/v2.0/.well-known/openid-configuration') {
        metadataRequests.push(path);
        return send(res, 200, {
          issuer: `${base}/botframework.com/v2.0`,
          authorization_endpoint: `${base}/botframework.com/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/botframework.com/oauth2/v2.0/token`,
          jwks_uri: `${base}/botframework.com/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/botframework.com/oauth2/v2.0/logout`,
          response_types_supported: ['code', 'id_token', 'token'],
          token_endpoint_auth_methods_supported: ['client_secret_post'],
        });
      }
      if (path === '/botframework.com/oauth2/v2.0/token' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        tokenRequests.push({ at: Date.now(), form });
        if (form.get('client_id') !== appId || form.get('client_secret') !== appPassword) {
          return send(res, 401, {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret.',
          });
        }
        if (
          form.get('grant_type') !== 'client_credentials' ||
          form.get('scope') !== 'https://api.botframework.com/.default'
        ) {
          return send(res, 400, { error: 'invalid_request', error_description: 'unexpected grant or scope' });
        }
        const token = `stand-in-token-${randomUUID()}`;
        issuedTokens.add(token);
        return send(res, 200, {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: token,
        });
      }
      if (path.startsWith('/amer/')) return await conversationsApi(req, res, path);
      send(res, 404, { error: 'not_found', path });
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serviceUrl = `${base}/amer/`;
  const issuer = `${base}/issuer`;

  return {
    url: base,
    serviceUrl,
    issuer,
    openIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
    loginUrl: `${base}/botframework.com`,
    appId,
    appPassword,
    caFile,
    caPem: pems.caPem,
    calls,
    members: lists,
    notInstalledFor,
    tokenRequests,
    metadataRequests,
    issuedTokens,
    channelKey: { kid: channel.kid, privateKey: channel.privateKey },
    webchatKey: { kid: webchat.kid, privateKey: webchat.privateKey },
    async channelToken(claims = {}, forServiceUrl = serviceUrl) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ serviceurl: forServiceUrl, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: channel.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(appId)
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + 3600)
        .sign(channel.privateKey);
    },
    failNext(count, status, retryAfter) {
      for (let i = 0; i < count; i += 1)
        faults.push(retryAfter === undefined ? { status } : { status, retryAfter });
    },
    env(allowlist = '127.0.0.1') {
      return {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: appPassword,
        MicrosoftAppType: 'MultiTenant',
        ToBotFromChannelOpenIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: issuer,
        ToChannelFromBotLoginUrl: `${base}/botframework.com`,
        TEAMS_SERVICE_URL_ALLOWLIST: allowlist,
        NODE_EXTRA_CA_CERTS: caFile,
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
