import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { loopbackHosts } from '../http/loopback-hosts.js';

// The console lets whoever holds the page act as any persona, so only a browser on this machine talking to
// this very listener may use it. Host must be one of the listener's own loopback names: a page on another
// site that re-points its DNS name at 127.0.0.1 (DNS rebinding) sends its own name and is refused. A request
// that changes state must also come from the console's own origin: a cross-site form or fetch is refused.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Host values this listener answers to on `port`. */
export const consoleHosts = loopbackHosts;

const refuse = (res: Response, message: string): void => {
  res.status(403).json({ error: 'forbidden', message });
};

/** Whether a request for a console path is from this machine's browser, at this listener, same-origin. */
export function consoleGuard(port: () => number | null): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const bound = port();
    const host = (req.headers.host ?? '').toLowerCase();
    if (bound === null || !consoleHosts(bound).has(host)) {
      refuse(
        res,
        'The dev console answers only at its own loopback address (127.0.0.1, localhost or [::1]).',
      );
      return;
    }
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    // Browsers send Origin with every POST; tools without one (curl, tests) are not a cross-site page.
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const crossSite = typeof site === 'string' && site !== 'same-origin' && site !== 'none';
    if ((origin !== undefined && origin.toLowerCase() !== `http://${host}`) || crossSite) {
      refuse(res, 'The dev console accepts changes only from its own page.');
      return;
    }
    next();
  };
}
