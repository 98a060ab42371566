import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A Slack Web API stand-in on loopback: answers the methods the adapter calls (auth.test, chat.* including
// chat.unfurl for links the test said were posted, views.*,
// users.info, users.lookupByEmail, conversations.info/open, oauth.v2.access; Slack Connect channels as conversations.info
// describes them), records every call with its bearer token, takes
// response_url posts under /hooks/, and injects 429s (with Retry-After) and platform errors on demand.

export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** The bearer token sent, or null (response_url posts carry none). */
  readonly token: string | null;
  readonly seq: number;
  /** What the stand-in answered. */
  result: unknown;
}

export interface SlackUser {
  readonly team_id: string;
  /** The handle (users.info `name`). */
  readonly name?: string;
  /** The person's full name (profile.real_name); absent: the profile carries none, as Slack allows. */
  readonly real_name?: string;
  /** The name they chose to be shown (profile.display_name); Slack sends '' when unset. */
  readonly display_name?: string;
  readonly enterprise_id?: string;
  /** profile.email: what users.lookupByEmail finds them by (Slack compares it case-insensitively). */
  readonly email?: string;
  /** A deactivated account (users.lookupByEmail still finds it, with deleted: true). */
  readonly deleted?: boolean;
}

/**
 * A channel as conversations.info describes it (the fields the bot reads, shaped as Slack returns them).
 * A Slack Connect channel has is_ext_shared and names every organisation's team in shared_team_ids.
 */
export interface SlackChannel {
  readonly id: string;
  readonly name: string;
  readonly is_channel: boolean;
  readonly is_private: boolean;
  readonly is_im: boolean;
  readonly is_mpim: boolean;
  readonly is_shared: boolean;
  readonly is_ext_shared: boolean;
  readonly is_org_shared: boolean;
  readonly is_pending_ext_shared: boolean;
  readonly context_team_id: string;
  readonly shared_team_ids: readonly string[];
  readonly connected_team_ids?: readonly string[];
  readonly internal_team_ids?: readonly string[];
  readonly conversation_host_id?: string;
  readonly pending_shared: readonly string[];
  readonly pending_connected_team_ids: readonly string[];
}

/** The team that auth.test names: channels no test describes belong to it alone. */
export const STANDIN_TEAM = 'T0CONTOSO';

/** A channel of one workspace, not shared (what conversations.info answers for an ordinary channel). */
export const internalChannel = (id: string, team = STANDIN_TEAM): SlackChannel => ({
  id,
  name: `soc-${id.toLowerCase()}`,
  is_channel: true,
  is_private: false,
  is_im: false,
  is_mpim: false,
  is_shared: false,
  is_ext_shared: false,
  is_org_shared: false,
  is_pending_ext_shared: false,
  context_team_id: team,
  shared_team_ids: [team],
  pending_shared: [],
  pending_connected_team_ids: [],
});

/** A Slack Connect channel hosted by `host` and shared with `guests` (other organisations). */
export const connectChannel = (id: string, host: string, guests: readonly string[]): SlackChannel => ({
  ...internalChannel(id, host),
  name: `shared-${id.toLowerCase()}`,
  is_shared: true,
  is_ext_shared: true,
  shared_team_ids: [host, ...guests],
  connected_team_ids: [host, ...guests],
  internal_team_ids: [],
  conversation_host_id: host,
});

export interface SlackStandIn {
  readonly url: string;
  /** SLACK_API_URL for the bot. */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  /** response_url posts, recorded as method "hook:<id>". */
  responseUrl(id: string): string;
  readonly users: Map<string, SlackUser>;
  /** What conversations.info answers per channel id; channels not listed are internal to STANDIN_TEAM. */
  readonly channels: Map<string, SlackChannel>;
  /**
   * The links Slack announced in a link_shared event, by `<channel>/<message_ts>` or `unfurl:<unfurl_id>`:
   * chat.unfurl accepts only those messages and only those URLs, as Slack does.
   */
  readonly sharedLinks: Map<string, readonly string[]>;
  /** The next `times` calls of `method` answer 429 with Retry-After `seconds`. */
  inject429(method: string, seconds: number, times?: number): void;
  /**
   * The next call of `method` answers ok:false with `error` (or HTTP `status` when given, with Retry-After
   * `retryAfterSeconds` when given). The call is recorded, and counts, like any other.
   */
  failNext(method: string, error: string, status?: number, retryAfterSeconds?: number): void;
  /** What oauth.v2.access answers (the OAuth test sets it). */
  oauthAccess: Record<string, unknown> | null;
  /** The WebSocket URL apps.connections.open hands out (the Socket Mode test sets it to a loopback server). */
  socketUrl: string | null;
  /**
   * A trigger_id as Slack puts in an interaction: views.open / views.push accept it once, until it expires
   * (Slack's is about 3 seconds; here only expireTriggers() ends it, so no test depends on the wall clock).
   */
  issueTrigger(): string;
  /** Every trigger issued so far expires, as if the bot took longer than Slack allows. */
  expireTriggers(): void;
  /**
   * Calls of `method` (a Web API method, or "hook:<id>") wait unanswered until the returned function is
   * called: work held at a slow Slack, so a test can fill the bot's queue behind it.
   */
  hold(method: string): () => void;
  /** Waits until a recorded call matches; fails with the calls seen so far. */
  waitFor(predicate: (c: RecordedCall) => boolean, what: string, timeoutMs?: number): Promise<RecordedCall>;
  of(method: string): RecordedCall[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends form fields with objects JSON-encoded; response_url posts are JSON. */
function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json'))
    return body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return args;
}

/** What Slack refuses in a modal view (the limits views.open, views.push and views.update enforce). */
function viewProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return 'view is required';
  const view = raw as Record<string, unknown>;
  const title = (view.title as { text?: unknown } | undefined)?.text;
  if (view.type !== 'modal') return 'view type must be modal';
  if (typeof title !== 'string' || title === '' || title.length > 24) return 'title must be 1-24 characters';
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : [];
  if (blocks.length > 100) return 'no more than 100 blocks';
  const inputs = blocks.filter((b) => b.type === 'input');
  if (inputs.length > 0 && view.submit === undefined) return 'submit is required when a view has inputs';
  for (const b of inputs) {
    const max = (b.element as { max_length?: unknown } | undefined)?.max_length;
    if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000))
      return 'max_length must be between 1 and 3000';
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    return 'private_metadata must be 3000 characters or fewer';
  return null;
}

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startSlackStandIn(): Promise<SlackStandIn> {
  const calls: RecordedCall[] = [];
  const users = new Map<string, SlackUser>();
  const channels = new Map<string, SlackChannel>();
  const sharedLinks = new Map<string, readonly string[]>();
  const throttles = new Map<string, { seconds: number; times: number }>();
  const failures = new Map<string, { error: string; status?: number; retryAfter?: number }>();
  const holds = new Map<string, Promise<void>>();
  let seq = 0;
  let ts = 1_800_000_000;
  const nextTs = (): string => {
    ts += 1;
    return `${ts}.000100`;
  };

  const triggers = new Map<string, 'fresh' | 'used' | 'expired'>();
  const views = new Set<string>();
  const posted = new Set<string>();
  let triggerSeq = 0;
  const openView = (args: Record<string, unknown>): Record<string, unknown> => {
    const trigger = typeof args.trigger_id === 'string' ? args.trigger_id : '';
    const state = triggers.get(trigger);
    if (state === undefined) return { ok: false, error: 'invalid_trigger_id' };
    if (state === 'expired') return { ok: false, error: 'expired_trigger_id' };
    if (state === 'used') return { ok: false, error: 'exchanged_trigger_id' };
    const problem = viewProblem(args.view);
    if (problem !== null)
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [problem] } };
    triggers.set(trigger, 'used');
    const id = `V${seq}`;
    views.add(id);
    return { ok: true, view: { ...(args.view as object), id } };
  };

  /** chat.unfurl as Slack checks it: one addressing pair, a JSON map of announced URLs to unfurls. */
  const unfurl = (args: Record<string, unknown>): Record<string, unknown> => {
    const has = (k: string): boolean => typeof args[k] === 'string' && args[k] !== '';
    const byMessage = has('channel') || has('ts');
    const byId = has('source') || has('unfurl_id');
    if (byMessage && byId) return { ok: false, error: 'invalid_arguments' };
    let key: string;
    if (byId) {
      if (!has('source') || !has('unfurl_id')) return { ok: false, error: 'invalid_arguments' };
      if (args.source !== 'composer' && args.source !== 'conversations_history')
        return { ok: false, error: 'invalid_source' };
      key = `unfurl:${String(args.unfurl_id)}`;
    } else {
      if (!has('channel')) return { ok: false, error: 'missing_channel' };
      if (!has('ts')) return { ok: false, error: 'missing_ts' };
      if (!/^[CDG][A-Z0-9]+$/.test(String(args.channel))) return { ok: false, error: 'cannot_find_channel' };
      key = `${String(args.channel)}/${String(args.ts)}`;
    }
    let unfurls: unknown = args.unfurls;
    if (typeof unfurls === 'string') {
      try {
        unfurls = JSON.parse(unfurls);
      } catch {
        return { ok: false, error: 'invalid_unfurls_format' };
      }
    }
    const isRecord = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isRecord(unfurls) || Object.keys(unfurls).length === 0)
      return { ok: false, error: 'invalid_unfurls_format' };
    const announced = sharedLinks.get(key);
    if (announced === undefined) return { ok: false, error: 'cannot_unfurl_message' };
    for (const [url, value] of Object.entries(unfurls)) {
      if (!announced.includes(url)) return { ok: false, error: 'cannot_unfurl_url' };
      // Each unfurl is Block Kit (`blocks`, at most 50) or a legacy attachment (text, title or fallback).
      if (!isRecord(value)) return { ok: false, error: 'invalid_unfurls_format' };
      const blocks = value.blocks;
      const legacy = ['text', 'title', 'fallback'].some((k) => typeof value[k] === 'string');
      if (
        blocks === undefined ? !legacy : !Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50
      )
        return { ok: false, error: 'invalid_unfurls_format' };
    }
    return { ok: true };
  };

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://contoso.slack.example/',
          team: 'Contoso',
          user: 'dxb',
          team_id: 'T0CONTOSO',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'chat.postMessage': {
        const posted_ts = nextTs();
        posted.add(`${String(args.channel)}/${posted_ts}`);
        return { ok: true, channel: args.channel, ts: posted_ts, message: { text: args.text } };
      }
      case 'chat.delete': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        if (!posted.delete(key)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.unfurl':
        return unfurl(args);
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.push':
        return openView(args);
      case 'views.update': {
        if (typeof args.view_id !== 'string' || !views.has(args.view_id))
          return { ok: false, error: 'not_found' };
        const problem = viewProblem(args.view);
        if (problem !== null)
          return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [problem] } };
        return { ok: true, view: { ...(args.view as object), id: args.view_id } };
      }
      case 'views.publish': {
        const view = args.view as { type?: unknown; blocks?: unknown } | undefined;
        const blocks = Array.isArray(view?.blocks) ? view.blocks.length : 0;
        if (typeof args.user_id !== 'string' || view?.type !== 'home' || blocks > 100)
          return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { ...(args.view as object), id: `V${seq}` } };
      }
      case 'users.info': {
        const user = users.get(String(args.user));
        if (user === undefined) return { ok: false, error: 'user_not_found' };
        // Shaped like Slack's answer: names under profile (display_name '' when unset), the handle as name.
        const realName = user.real_name ?? '';
        const displayName = user.display_name ?? '';
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: user.team_id,
            name: user.name ?? 'someone',
            deleted: false,
            is_bot: false,
            ...(realName === '' ? {} : { real_name: realName }),
            tz: 'Europe/Amsterdam',
            profile: {
              real_name: realName,
              real_name_normalized: realName,
              display_name: displayName,
              display_name_normalized: displayName,
              team: user.team_id,
            },
            ...(user.enterprise_id ? { enterprise_user: { enterprise_id: user.enterprise_id } } : {}),
          },
        };
      }
      case 'users.lookupByEmail': {
        // As Slack: email is required; no member with that profile email is users_not_found.
        if (typeof args.email !== 'string' || args.email === '')
          return { ok: false, error: 'invalid_arguments' };
        const wanted = args.email.toLowerCase();
        const hit = [...users.entries()].find(([, u]) => u.email?.toLowerCase() === wanted);
        if (hit === undefined) return { ok: false, error: 'users_not_found' };
        const [id, user] = hit;
        return {
          ok: true,
          user: {
            id,
            team_id: user.team_id,
            name: user.name ?? 'someone',
            deleted: user.deleted === true,
            is_bot: false,
            profile: {
              email: user.email,
              real_name: user.real_name ?? '',
              display_name: user.display_name ?? '',
              team: user.team_id,
            },
          },
        };
      }
      case 'conversations.info': {
        // As Slack: the channel argument is required, and DMs are IMs with the user.
        const id = typeof args.channel === 'string' ? args.channel : '';
        if (!/^[CDG][A-Z0-9]+$/.test(id)) return { ok: false, error: 'channel_not_found' };
        if (id.startsWith('D')) return { ok: true, channel: { id, is_im: true, is_ext_shared: false } };
        return { ok: true, channel: channels.get(id) ?? internalChannel(id) };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = await readBody(req);
    const auth = req.headers.authorization ?? null;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    const args = parseArgs(body, String(req.headers['content-type'] ?? ''));
    const method = path.startsWith('/api/')
      ? path.slice(5)
      : path.startsWith('/hooks/')
        ? `hook:${path.slice(7)}`
        : path;
    const held = holds.get(method);
    if (held !== undefined) await held;
    seq += 1;
    const call: RecordedCall = {
      method,
      args,
      token: token ?? (typeof args.token === 'string' ? args.token : null),
      seq,
      result: null,
    };
    const send = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      call.result = json;
      calls.push(call);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const throttle = throttles.get(method);
    if (throttle !== undefined && throttle.times > 0) {
      throttle.times -= 1;
      send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(throttle.seconds) });
      return;
    }
    const failure = failures.get(method);
    if (failure !== undefined) {
      failures.delete(method);
      const headers: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      send(failure.status ?? 200, { ok: false, error: failure.error }, headers);
      return;
    }
    if (method.startsWith('hook:')) {
      send(200, { ok: true });
      return;
    }
    if (method === 'apps.connections.open') {
      send(
        200,
        standIn.socketUrl === null
          ? { ok: false, error: 'not_allowed' }
          : { ok: true, url: standIn.socketUrl },
      );
      return;
    }
    if (method === 'oauth.v2.access') {
      send(200, standIn.oauthAccess ?? { ok: false, error: 'invalid_code' });
      return;
    }
    send(200, answer(method, args));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: SlackStandIn = {
    url,
    apiUrl: `${url}/api/`,
    calls,
    users,
    channels,
    sharedLinks,
    oauthAccess: null,
    socketUrl: null,
    responseUrl: (id) => `${url}/hooks/${id}`,
    issueTrigger() {
      triggerSeq += 1;
      const id = `${triggerSeq}.1800000000.${Math.random().toString(16).slice(2, 18)}`;
      triggers.set(id, 'fresh');
      return id;
    },
    expireTriggers() {
      for (const [id, state] of triggers) if (state === 'fresh') triggers.set(id, 'expired');
    },
    hold(method) {
      let release: () => void = () => undefined;
      holds.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        holds.delete(method);
        release();
      };
    },
    inject429(method, seconds, times = 1) {
      throttles.set(method, { seconds, times });
    },
    failNext(method, error, status, retryAfterSeconds) {
      failures.set(method, {
        error,
        ...(status === undefined ? {} : { status }),
        ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }),
      });
    },
    async waitFor(predicate, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `the Slack stand-in never saw ${what}; calls: ${calls.map((c) => c.method).join(', ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    of: (method) => calls.filter((c) => c.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
