import { BotError } from '../../../bot/errors.js';

// The Bot Framework token is a bearer credential for the bot: whoever receives it can post as the bot.
// Teams tells us where to send replies (activity.serviceUrl), so every outbound call first checks that
// URL against an exact host allowlist (no suffix or wildcard match: anyone can register a name under
// trafficmanager.net). HTTPS only, because the token travels in a header.

/** Why a service URL was refused, for logs and the 403 body (never includes the token). */
export type ServiceUrlVerdict =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/** A service URL that passed the first checks only: not a verdict (its host is not checked yet). */
export type ParsedServiceUrl =
  | { readonly parsed: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/**
 * What every service URL rule asks first: an absolute URL with exactly this scheme (`refused` says why
 * another is turned away) and no credentials in it. Which hosts may be reached is the rule's own part, so
 * the result cannot be returned as an allowing verdict.
 */
export function parseServiceUrl(
  raw: unknown,
  protocol: 'http:' | 'https:',
  refused: string,
): ParsedServiceUrl {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'no service URL' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'service URL is not an absolute URL' };
  }
  if (url.protocol !== protocol) return { ok: false, reason: refused };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'service URL carries credentials' };
  }
  return { parsed: true, url };
}

/**
 * Checks a service URL: absolute https URL, no credentials in it, and its host name (or host:port) exactly
 * in the allowlist (entries lowercased by the config module).
 */
export function checkServiceUrl(raw: unknown, allowlist: readonly string[]): ServiceUrlVerdict {
  const parsed = parseServiceUrl(raw, 'https:', 'service URL is not https');
  if (!('parsed' in parsed)) return parsed;
  const { url } = parsed;
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  if (!allowlist.includes(hostname) && !allowlist.includes(host)) {
    return { ok: false, reason: `service URL host ${hostname} is not in TEAMS_SERVICE_URL_ALLOWLIST` };
  }
  return { ok: true, url };
}

/** Thrown before any request (and before any token is attached) to a host off the allowlist. */
export class ServiceUrlRefusedError extends BotError {
  constructor(reason: string) {
    super('forbidden', `refused to contact the Bot Connector: ${reason}`);
    this.name = 'ServiceUrlRefusedError';
  }
}

/** Decides where the bot may talk to: the allowlist in production, the local Playground in its mode. */
export type ServiceUrlCheck = (raw: unknown) => ServiceUrlVerdict;

/** The production rule as a check. */
export const allowlistCheck =
  (allowlist: readonly string[]): ServiceUrlCheck =>
  (raw) =>
    checkServiceUrl(raw, allowlist);

/** Throws ServiceUrlRefusedError unless the URL is allowed; returns the parsed URL. */
export function assertServiceUrl(raw: unknown, allowed: readonly string[] | ServiceUrlCheck): URL {
  const verdict = typeof allowed === 'function' ? allowed(raw) : checkServiceUrl(raw, allowed);
  if (!verdict.ok) throw new ServiceUrlRefusedError(verdict.reason);
  return verdict.url;
}
