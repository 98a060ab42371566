import { BotError, type ErrorCode } from '../../bot/errors.js';

// Graph failures mapped once, here, into the core's coded errors (no SDK error past the edge). `kind` tells the
// caller what to do: wait (throttled), tell the customer's admin (access_lost), try later (unavailable),
// or stop because the request itself is wrong (rejected) or needs a permission only writes need (forbidden).

export type GraphErrorKind =
  | 'throttled'
  | 'access_lost'
  | 'unavailable'
  | 'rejected'
  | 'forbidden'
  | 'not_found';

const CODES: Readonly<Record<GraphErrorKind, ErrorCode>> = {
  throttled: 'source_unavailable',
  access_lost: 'forbidden',
  unavailable: 'source_unavailable',
  rejected: 'bad_input',
  forbidden: 'forbidden',
  not_found: 'not_found',
};

/** A failed Graph call for one tenant; the message is safe to log (no token, no secret). */
export class GraphError extends BotError {
  readonly kind: GraphErrorKind;
  readonly tenantId: string;
  /** HTTP status when Graph answered; null for token, timeout and network failures. */
  readonly status: number | null;
  /** When a throttled tenant may be asked again. */
  readonly retryAt: Date | null;
  constructor(
    kind: GraphErrorKind,
    tenantId: string,
    message: string,
    extra: { status?: number | null; retryAt?: Date | null; cause?: unknown } = {},
  ) {
    super(CODES[kind], message, { cause: extra.cause });
    this.name = 'GraphError';
    this.kind = kind;
    this.tenantId = tenantId;
    this.status = extra.status ?? null;
    this.retryAt = extra.retryAt ?? null;
  }
}

/** Graph's error body `{ error: { code, message, innerError: { request-id } } }` as one short line. */
export function describeGraphError(status: number, text: string): string {
  let code = '';
  let message = '';
  let requestId = '';
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; innerError?: unknown } };
    code = typeof body.error?.code === 'string' ? body.error.code : '';
    message = typeof body.error?.message === 'string' ? body.error.message : '';
    const inner = body.error?.innerError;
    if (typeof inner === 'object' && inner !== null && 'request-id' in inner) {
      requestId = String((inner as Record<string, unknown>)['request-id']);
    }
  } catch {
    message = text.slice(0, 200);
  }
  const parts = [`HTTP ${status}`, code, message.slice(0, 300), requestId ? `request-id ${requestId}` : ''];
  return parts.filter((p) => p !== '').join(': ');
}
