import { type Agent, request } from 'node:https';

// The one HTTPS call every Graph request goes through: node:https on a shared keep-alive Agent (the same
// Agent @azure/identity uses for tokens), a hard deadline per request, and a cap on the body we buffer.

/** One request on the wire; every field explicit, nothing read from the environment. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/** The whole answer, buffered: Graph pages are small JSON, and retries need the status before the body. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Why a request produced no response: the deadline passed, or the connection failed or was cut. */
export class HttpFailure extends Error {
  readonly kind: 'timeout' | 'network' | 'aborted';
  /** True when the request certainly never reached the server (connection refused, DNS). */
  readonly notSent: boolean;
  constructor(kind: 'timeout' | 'network' | 'aborted', message: string, notSent: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = 'HttpFailure';
    this.kind = kind;
    this.notSent = notSent;
  }
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Sends one HTTPS request; rejects only with HttpFailure (every HTTP status is a response). */
export function sendHttps(agent: Agent, req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (req.url.protocol !== 'https:') {
      reject(new HttpFailure('network', `refusing to send a request over ${req.url.protocol}`, true));
      return;
    }
    let settled = false;
    const fail = (error: HttpFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outgoing.destroy();
      reject(error);
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const outgoing = request(req.url, { method: req.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) fail(new HttpFailure('network', 'response body too large', false));
        else chunks.push(chunk);
      });
      res.on('error', (error) => fail(new HttpFailure('network', error.message, false, error)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(
      () => fail(new HttpFailure('timeout', `no complete response within ${req.timeoutMs} ms`, false)),
      req.timeoutMs,
    );
    const onAbort = (): void => fail(new HttpFailure('aborted', 'the Graph source is closing', false));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      fail(new HttpFailure('network', error.message, NOT_SENT_CODES.has(error.code ?? ''), error)),
    );
    outgoing.end(req.body);
  });
}
