import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, type RequestOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type AppRegistration, type IssuedToken, openIdConfiguration, tokenAnswer } from './entra.js';
import { type Fault, type FaultRule, type FaultTarget, matches } from './faults.js';
import { type GraphAnswer, graphAnswer, graphError } from './graph-api.js';
import { SecureScoreBook, secureScoreAnswer } from './secure-score.js';
import { IncidentTable } from './table.js';
import { standInTls } from './tls.js';
import { UserDirectory, userActionAnswer } from './user-actions.js';

// A Microsoft Graph + Entra ID stand-in on https://127.0.0.1 with a self-signed certificate: per-tenant
// incident tables, a token endpoint, and fault injection (429 + Retry-After, 5xx, slow answers, revoked
// consent, a page that changes while it is read). Point GRAPH_BASE_URL and AZURE_AUTHORITY_HOST at `url`.

export type RequestKind = 'graph' | 'token' | 'metadata' | 'probe' | 'unknown';

export interface RequestRecord {
  /** Stand-in clock (virtual in most tests), ms. */
  readonly at: number;
  readonly kind: RequestKind;
  readonly tenantId: string | null;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

export interface GraphStandIn {
  readonly url: string;
  readonly ca: string;
  readonly table: IncidentTable;
  /** Entra users for guided-response user actions (user-actions.ts). */
  readonly users: UserDirectory;
  /** Secure Score and its control profiles for readiness check-ins (secure-score.ts). */
  readonly secureScores: SecureScoreBook;
  readonly app: AppRegistration;
  readonly requests: RequestRecord[];
  /** Hosts the agent() connected to (to prove nothing left loopback). */
  readonly connections: string[];
  /** Runs before each list page is computed: a test mutates incidents here to play "changed while read". */
  beforeListPage: ((tenantId: string, skip: number) => void | Promise<void>) | null;
  /** Makes @odata.nextLink (and @odata.context) point at another origin: a hostile or misrouted answer. */
  nextLinkOrigin: string | null;
  addTenant(tenantId: string, incidents?: number, options?: { readonly canWrite?: boolean }): void;
  fail(
    tenantId: string,
    fault: Fault,
    options?: { readonly times?: number; readonly target?: FaultTarget },
  ): void;
  /** Revokes consent: 'api' answers 403 to Graph calls; 'token' refuses tokens (service principal removed). */
  revoke(tenantId: string, where: 'api' | 'token'): void;
  restore(tenantId: string): void;
  /** Makes every token issued so far invalid (as after a key roll-over): the next call gets 401. */
  expireTokens(): void;
  /** What the Entra stand-in issued a bearer token for (other APIs' stand-ins validate tokens with it). */
  tokenInfo(token: string): IssuedToken | undefined;
  /** An https.Agent that trusts the stand-in's certificate and records where it connects. */
  agent(): Agent;
  graphRequests(tenantId?: string): RequestRecord[];
  close(): Promise<void>;
}

export interface StandInOptions {
  readonly now?: () => number;
  readonly app?: Partial<AppRegistration>;
  readonly tokenLifetimeSeconds?: number;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Graph's own audience; the stand-in also accepts its origin (what a client on GRAPH_BASE_URL asks for). */
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** Starts the stand-in on a free loopback port. */
export async function startGraphStandIn(options: StandInOptions = {}): Promise<GraphStandIn> {
  const now = options.now ?? Date.now;
  const tls = await standInTls();
  const table = new IncidentTable(now);
  const app: AppRegistration = {
    clientId: 'a0b1c2d3-0000-4000-8000-00000000c11e',
    secret: 'stand-in-secret',
    ...options.app,
  };
  const tokens = new Map<string, IssuedToken>();
  const revoked = new Map<string, 'api' | 'token'>();
  const writers = new Set<string>();
  const rules: FaultRule[] = [];
  const requests: RequestRecord[] = [];
  const connections: string[] = [];
  const sockets = new Set<Socket>();
  const agents: Agent[] = [];
  let origin = '';

  async function answer(
    req: IncomingMessage,
    url: URL,
    body: string,
  ): Promise<{
    kind: RequestKind;
    tenantId: string | null;
    a: GraphAnswer;
    headers?: Record<string, string>;
  }> {
    const method = req.method ?? 'GET';
    const entra = /^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration)$/.exec(
      url.pathname,
    );
    if (entra !== null) {
      const tenantId = decodeURIComponent(entra[1] ?? '');
      if (entra[2]?.startsWith('v2.0')) {
        if (!table.hasTenant(tenantId))
          return {
            kind: 'metadata',
            tenantId,
            a: {
              status: 400,
              body: {
                error: 'invalid_tenant',
                error_description: `AADSTS90002: Tenant '${tenantId}' not found.`,
              },
            },
          };
        return {
          kind: 'metadata',
          tenantId,
          a: { status: 200, body: openIdConfiguration(origin, tenantId) },
        };
      }
      if (method !== 'POST') return { kind: 'token', tenantId, a: { status: 405, body: {} } };
      const result = tokenAnswer(
        {
          origin,
          tenantId,
          knownTenant: table.hasTenant(tenantId),
          revoked: revoked.get(tenantId) === 'token',
          app,
          lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
        },
        new URLSearchParams(body),
      );
      if (result.token !== undefined)
        tokens.set(result.token, {
          tenantId,
          expiresAt: Date.now() + (options.tokenLifetimeSeconds ?? 3599) * 1000,
          audience: (new URLSearchParams(body).get('scope') ?? '').replace(/\/\.default$/, ''),
        });
      return { kind: 'token', tenantId, a: result };
    }
    if (!url.pathname.startsWith('/v1.0'))
      return { kind: 'unknown', tenantId: null, a: { status: 404, body: {} } };
    const probe = url.pathname.replace(/\/+$/, '') === '/v1.0';
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = bearer === undefined ? undefined : tokens.get(bearer);
    if (issued === undefined || issued.expiresAt <= Date.now()) {
      return {
        kind: probe ? 'probe' : 'graph',
        tenantId: null,
        a: graphError(
          401,
          'InvalidAuthenticationToken',
          bearer === undefined
            ? 'Access token is empty.'
            : 'Lifetime validation failed, the token is expired.',
        ),
      };
    }
    // Like Graph: a token for another resource (e.g. the Defender API's audience) is refused.
    if (issued.audience !== origin && issued.audience !== GRAPH_AUDIENCE) {
      return {
        kind: probe ? 'probe' : 'graph',
        tenantId: null,
        a: graphError(401, 'InvalidAuthenticationToken', 'Invalid audience.'),
      };
    }
    const { tenantId } = issued;
    if (revoked.has(tenantId)) {
      return {
        kind: 'graph',
        tenantId,
        a: graphError(
          403,
          'Forbidden',
          'Missing application roles. API required roles: SecurityIncident.Read.All, SecurityIncident.ReadWrite.All.',
        ),
      };
    }
    const rule = rules.find((r) => r.tenantId === tenantId && r.left > 0 && matches(r.target, method, url));
    if (rule !== undefined) {
      rule.left -= 1;
      if ('delayMs' in rule.fault) await sleepReal(rule.fault.delayMs);
      else {
        const headers: Record<string, string> =
          rule.fault.retryAfter === undefined ? {} : { 'retry-after': rule.fault.retryAfter };
        const code = rule.fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
        return {
          kind: 'graph',
          tenantId,
          a: graphError(rule.fault.status, code, 'Injected by the stand-in.'),
          headers,
        };
      }
    }
    const userAnswer = userActionAnswer(standIn.users, tenantId, method, url, body);
    if (userAnswer !== null) return { kind: 'graph', tenantId, a: userAnswer };
    const scoreAnswer = secureScoreAnswer(standIn.secureScores, tenantId, method, url, origin, now());
    if (scoreAnswer !== null) return { kind: 'graph', tenantId, a: scoreAnswer };
    const a = await graphAnswer(
      table,
      {
        origin: standIn.nextLinkOrigin ?? origin,
        tenantId,
        method,
        url,
        body,
        prefer: /include-unknown-enum-members/.test(String(req.headers.prefer ?? '')),
        clientId: app.clientId,
        canWrite: writers.has(tenantId),
      },
      standIn.beforeListPage,
    );
    return { kind: 'graph', tenantId, a };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const body = await readBody(req);
    const { kind, tenantId, a, headers } = await answer(req, url, body);
    requests.push({
      at: now(),
      kind,
      tenantId,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      status: a.status,
    });
    if (res.destroyed) return;
    res.writeHead(a.status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(a.body));
  }

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: GraphStandIn = {
    url: origin,
    ca: tls.cert,
    table,
    users: new UserDirectory(),
    secureScores: new SecureScoreBook(),
    app,
    requests,
    connections,
    beforeListPage: null,
    nextLinkOrigin: null,
    addTenant(tenantId, incidents = 0, opts = {}) {
      table.addTenant(tenantId);
      if (opts.canWrite ?? true) writers.add(tenantId);
      else writers.delete(tenantId);
      if (incidents > 0) table.seed(tenantId, incidents);
    },
    fail(tenantId, fault, opts = {}) {
      rules.push({ tenantId, fault, target: opts.target ?? 'any', left: opts.times ?? 1 });
    },
    revoke: (tenantId, where) => void revoked.set(tenantId, where),
    restore: (tenantId) => void revoked.delete(tenantId),
    expireTokens: () => tokens.clear(),
    tokenInfo: (token) => tokens.get(token),
    agent() {
      const agent = new (class extends Agent {
        override createConnection(
          o: RequestOptions,
          cb?: (err: Error | null, stream: Duplex) => void,
        ): Duplex | null | undefined {
          connections.push(String(o.host ?? o.hostname ?? ''));
          return super.createConnection(o, cb);
        }
      })({ ca: tls.cert, keepAlive: true });
      agents.push(agent);
      return agent;
    },
    graphRequests: (tenantId) =>
      requests.filter((r) => r.kind === 'graph' && (tenantId === undefined || r.tenantId === tenantId)),
    async close() {
      for (const agent of agents) agent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return standIn;
}
