// A cheap look at the bearer token before botbuilder validates it. botbuilder routes a token by its
// unverified issuer: one that claims to come from the Bot Framework Emulator or an Entra tenant is checked
// against Microsoft's public OpenID metadata — so a forged token could make the bot fetch from the
// internet, and a failed fetch surfaces as a 500. A Teams bot accepts channel tokens only, so anything not
// shaped like one (scheme, JWT syntax, RSA algorithm, key id, configured issuer, an expiry) is refused
// here with 401.
// This screen never accepts anything by itself: the signature, lifetime and audience are botbuilder's job.

/** Algorithms Bot Framework channel tokens are signed with (botbuilder allows the same list). */
export const CHANNEL_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];

/** The screen's verdict; a refusal says why, for the log (never the token itself). */
export type ScreenVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const JWT = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

function json(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Screens an Authorization header for the shape of a Bot Framework channel token from `issuer`. */
export function screenChannelToken(header: string | undefined, issuer: string): ScreenVerdict {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'no Authorization header' };
  const match = JWT.exec(header.trim());
  if (match === null) return { ok: false, reason: 'Authorization is not a Bearer JWT' };
  const head = json(match[1] ?? '');
  const payload = json(match[2] ?? '');
  if (head === null || payload === null) return { ok: false, reason: 'token is not valid JSON' };
  if (typeof head.alg !== 'string' || !CHANNEL_TOKEN_ALGORITHMS.includes(head.alg)) {
    return { ok: false, reason: 'token algorithm not allowed' };
  }
  if (typeof head.kid !== 'string' || head.kid === '') return { ok: false, reason: 'token has no key id' };
  if (payload.iss !== issuer) return { ok: false, reason: 'token issuer is not the Bot Framework channel' };
  // jsonwebtoken accepts a token without `exp` forever; channel tokens always expire.
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'token has no expiry' };
  return { ok: true };
}

/**
 * What an authentication failure means for the caller: 503 when the bot could not fetch the channel's
 * signing keys (our problem, retry later), 401 for everything about the token itself. Never 500.
 */
export function authFailureStatus(error: unknown): 401 | 503 {
  if (typeof error !== 'object' || error === null) return 401;
  const e = error as { statusCode?: unknown; name?: unknown; code?: unknown; message?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 500) return 503;
  if (e.name === 'FetchError' || e.name === 'AbortError') return 503;
  if (
    typeof e.code === 'string' &&
    /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(e.code)
  ) {
    return 503;
  }
  return 401;
}
