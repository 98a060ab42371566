import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Signed, expiring links (chart images, CSV downloads): an HMAC-SHA256 over the path and the expiry, so
// a link cannot be moved to another report or kept alive longer. Every instance must share the secret.

export type LinkCheck = 'ok' | 'forbidden' | 'expired';

export interface LinkSigner {
  /** `path?exp=<unix seconds>&sig=<base64url>`; the caller prefixes the public base URL. */
  sign(path: string, expiresAt: Date): string;
  check(path: string, exp: unknown, sig: unknown, now: Date): LinkCheck;
}

/** A signer over `secret`; without one, a random per-process secret (links die with the process). */
export function createLinkSigner(secret: string | undefined): LinkSigner {
  const key = secret === undefined || secret === '' ? randomBytes(32) : Buffer.from(secret, 'utf8');
  const mac = (path: string, exp: string): Buffer =>
    createHmac('sha256', key).update(`${path}\n${exp}`).digest();
  return {
    sign(path, expiresAt) {
      const exp = String(Math.floor(expiresAt.getTime() / 1000));
      return `${path}?exp=${exp}&sig=${mac(path, exp).toString('base64url')}`;
    },
    check(path, exp, sig, now) {
      if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp)) return 'forbidden';
      if (typeof sig !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'forbidden';
      const given = Buffer.from(sig, 'base64url');
      const want = mac(path, exp);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return 'forbidden';
      return Number(exp) * 1000 <= now.getTime() ? 'expired' : 'ok';
    },
  };
}
