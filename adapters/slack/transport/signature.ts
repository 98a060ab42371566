import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../../../bot/ports.js';
import { SLACK_BODY_LIMIT_BYTES } from '../../http/inbound-limits.js';

// Slack request signing (v0 HMAC-SHA256 over "v0:<timestamp>:<raw body>"), checked before bolt sees the
// request. Bolt only refuses old timestamps; a replay window must be closed in both directions, so a
// timestamp more than five minutes in the future is refused too (invalid credentials → 401).

/** Slack's replay window. */
export const SIGNATURE_WINDOW_SECONDS = 300;
/** Largest body we read: Slack's biggest payloads are view submissions (Slack caps views at 250 kB). */
export const MAX_BODY_BYTES = SLACK_BODY_LIMIT_BYTES;

/** Why a request was refused (logged, never sent back). */
export type SignatureProblem = 'missing' | 'timestamp' | 'stale' | 'future' | 'mismatch';

/** Checks one request; null when it is authentic. Pure apart from the clock, for unit tests. */
export function checkSignature(
  secret: string,
  headers: { readonly signature: string | undefined; readonly timestamp: string | undefined },
  body: Buffer,
  nowMs: number,
): SignatureProblem | null {
  const { signature, timestamp } = headers;
  if (signature === undefined || timestamp === undefined || signature === '' || timestamp === '')
    return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'timestamp';
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (skew > SIGNATURE_WINDOW_SECONDS) return 'stale';
  if (skew < -SIGNATURE_WINDOW_SECONDS) return 'future';
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'mismatch';
}

const header = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function readBody(req: Request, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > limit) return 'too_large';
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Express middleware: reads the raw body, refuses unsigned, forged, stale and future requests with 401,
 * and leaves the body on `req.rawBody` for bolt's receiver (which reads it from there).
 */
export function verifySlackSignature(
  secret: string,
  clock: Clock,
  onRefused: (problem: SignatureProblem) => void,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // A declared length over the limit is refused unread; the connection closes so nothing more is taken in.
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.set('Connection', 'close');
      res.status(413).json({ error: 'too_large', message: 'Request body too large.' });
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too_large') {
      res.status(413).json({ error: 'too_large', message: 'Request body too large.' });
      return;
    }
    const problem = checkSignature(
      secret,
      { signature: header(req, 'x-slack-signature'), timestamp: header(req, 'x-slack-request-timestamp') },
      body,
      clock.now().getTime(),
    );
    if (problem !== null) {
      onRefused(problem);
      res.status(401).json({ error: 'invalid_signature', message: 'The request is not signed by Slack.' });
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };
}
