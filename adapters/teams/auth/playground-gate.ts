import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../../bot/ports.js';
import { loopbackHosts } from '../../http/loopback-hosts.js';
import { parseServiceUrl, type ServiceUrlCheck, type ServiceUrlVerdict } from './service-url.js';

// Microsoft 365 Agents Playground mode (TEAMS_PLAYGROUND=on): the one door through which /api/messages
// takes activities nobody signed. Configuration already refused the mode with a bot app id or a
// non-loopback HOST; here every request must also come from a loopback peer and carry the Playground's
// marker header, and every activity must name the local Playground's connector as its serviceUrl — the
// only place the bot then talks to (plain http, no token: there is no credential to leak).

/** The header the Playground puts on every activity it sends. */
export const PLAYGROUND_HEADER = 'x-ms-agents-playground';

/** Host names the Playground uses for its connector (it names itself "localhost"). */
const CONNECTOR_HOSTS: readonly string[] = ['localhost', '127.0.0.1'];

/** A request's verdict before its body is read. */
export type PlaygroundScreen = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z): this machine only. */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined || address === '') return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  return isIP(address) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(address);
}

/** Screens a Playground-mode request: a loopback peer, and the Playground's marker header set to true. */
export function screenPlaygroundRequest(
  remoteAddress: string | undefined,
  marker: string | undefined,
): PlaygroundScreen {
  if (!isLoopbackPeer(remoteAddress)) {
    return { ok: false, reason: `peer ${remoteAddress ?? 'unknown'} is not this machine (loopback)` };
  }
  if (marker?.trim().toLowerCase() !== 'true') {
    return { ok: false, reason: `no ${PLAYGROUND_HEADER}: true header (not the Agents Playground)` };
  }
  return { ok: true };
}

/**
 * Screens who addressed the request: the Playground's server posts to the bot by its loopback address and
 * sends no Origin. A browser page (a site whose DNS name was re-pointed at 127.0.0.1, or any page on this
 * machine) names its own host or sends an Origin, and is refused: it must not speak as the Playground.
 */
export function screenPlaygroundCaller(
  host: string | undefined,
  localPort: number | undefined,
  origin: string | undefined,
  fetchSite: string | undefined,
): PlaygroundScreen {
  if (localPort === undefined || !loopbackHosts(localPort).has((host ?? '').toLowerCase())) {
    return { ok: false, reason: `Host ${host ?? 'missing'} is not this listener's loopback address` };
  }
  if (origin !== undefined || fetchSite !== undefined) {
    return { ok: false, reason: 'sent by a browser page (Origin or Sec-Fetch-Site), not the Playground' };
  }
  return { ok: true };
}

/** The connector URL the Playground on `port` names: what `npm run playground` prints too. */
export const playgroundConnectorUrl = (port: number): string => `http://localhost:${port}/_connector`;

/**
 * The service URL rule in Playground mode: http on localhost or 127.0.0.1, exactly the Playground's port,
 * under /_connector, no credentials. Used for the activity's serviceUrl and for every outbound request
 * (whose URL is the connector URL plus /v3/…), so nothing else on this machine or beyond is ever reached.
 */
export function playgroundServiceUrlCheck(port: number): ServiceUrlCheck {
  return (raw: unknown): ServiceUrlVerdict => {
    const parsed = parseServiceUrl(raw, 'http:', 'service URL is not the Playground (http)');
    if (!('parsed' in parsed)) return parsed;
    const { url } = parsed;
    if (!CONNECTOR_HOSTS.includes(url.hostname) || url.port !== String(port)) {
      return {
        ok: false,
        reason: `service URL ${url.host} is not the local Playground (localhost:${port}, PLAYGROUND_PORT)`,
      };
    }
    if (url.pathname !== '/_connector' && !url.pathname.startsWith('/_connector/')) {
      return { ok: false, reason: 'service URL is not the Playground connector (/_connector)' };
    }
    return { ok: true, url };
  };
}

/** Express middleware in place of the token screen: refuses (403) anything but the local Playground. */
export function playgroundGate(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const peer = screenPlaygroundRequest(req.socket.remoteAddress, req.get(PLAYGROUND_HEADER));
    const screen = peer.ok
      ? screenPlaygroundCaller(
          req.headers.host,
          req.socket.localPort,
          req.headers.origin,
          req.get('sec-fetch-site'),
        )
      : peer;
    if (!screen.ok) {
      logger.warn({ status: 403, reason: screen.reason }, 'teams playground request refused');
      res.status(403).json({
        error: 'playground_only',
        message: 'Playground mode accepts only the Microsoft 365 Agents Playground on this machine.',
      });
      return;
    }
    next();
  };
}
