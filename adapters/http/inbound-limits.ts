import type { IncomingMessage, ServerResponse } from 'node:http';

// Limits every inbound door shares. Bodies are small (a Teams activity, a console turn); a JSON document
// nested deeper than any real one exists only to make the parser work, so it is refused before parsing.

/** Largest JSON body read at /api/messages and the console's API. */
export const INBOUND_BODY_LIMIT_BYTES = 100 * 1024;
/** Slack bodies carry whole views (Slack allows 250 kB), and are read only to check their HMAC first. */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;
/** Deepest JSON nesting accepted; real activities and card data stay under ten. */
export const MAX_JSON_DEPTH = 32;
/** Time to receive a request's headers, and its whole body, before the connection is dropped. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Whether the JSON text nests arrays/objects deeper than `max`, in one pass that skips strings. */
export function jsonDepthExceeds(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i += 1) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** An error body-parser passes on with its status: too deep is the caller's mistake (400). */
class TooDeep extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** express.json's `verify` hook: refuses a body nested too deep before it is parsed. */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) throw new TooDeep();
}

/**
 * Express middleware: a body declared longer than `limit` is answered 413 before anything is read, and the
 * connection is closed so the body is never taken in (the JSON parser would read it all before answering).
 */
export function refuseDeclaredOversize(limit: number) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (Number(req.headers['content-length'] ?? 0) <= limit) {
      next();
      return;
    }
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: 'too_large', message: 'Request body too large.' }));
  };
}
