import { BotError } from '../../bot/errors.js';

// Driver failures are mapped here, once (no driver error past the edge): every error the pg driver raises becomes
// store_unavailable with a message naming the server (host, port, database) — never the password.

/** "host:port/database" from a connection string, safe to log (no user, no password, no query). */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

interface PgLikeError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

/** What went wrong, in one line an operator can act on. */
function reason(error: unknown, target: string): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (CONNECTION_CODES.has(code)) {
    return `cannot reach PostgreSQL at ${target} (${code}): is the server running and DATABASE_URL right?`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL at ${target} refused the login: ${message}`;
  if (code === '3D000') return `PostgreSQL at ${target}: ${message} — create the database first`;
  if (code.startsWith('57P') || code.startsWith('08')) {
    return `PostgreSQL at ${target} closed the connection (${code}): ${message}`;
  }
  // Only our own close() ends the pool; a client that "was closed" lost its connection (server restart,
  // network drop, our timeouts) and the next query gets a fresh one: say so, do not call the store closed.
  if (/after calling end on the pool/i.test(message)) return `PostgreSQL store for ${target} is closed`;
  if (
    /Connection terminated|Client was closed|not queryable|Query read timeout|connection timeout/i.test(
      message,
    )
  ) {
    return `lost the connection to PostgreSQL at ${target} (${message}): is the server up and reachable? the next request reconnects`;
  }
  return `PostgreSQL at ${target}: ${message}${code ? ` (${code})` : ''}`;
}

/** Turns a driver error into the bot's vocabulary; our own BotErrors and programming errors pass through. */
export function mapPgError(error: unknown, target: string): unknown {
  if (error instanceof BotError) return error;
  if (error instanceof TypeError || error instanceof RangeError) return error;
  return new BotError('store_unavailable', reason(error, target), { cause: error });
}

/** A save carrying a stale poller fence: another instance took over this customer's polling. */
export class FencedOffError extends BotError {
  constructor(customerId: string, held: number, current: number) {
    super(
      'conflict',
      `poller fence ${held} for customer ${customerId} is stale (current ${current}): another instance took over its polling`,
    );
    this.name = 'FencedOffError';
  }
}
