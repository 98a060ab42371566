// Fault injection for the Graph stand-in: which of a tenant's requests fail, how, and how many times.

/** An injected failure: an HTTP status (with Retry-After), or a delay before the normal answer. */
export type Fault = { readonly status: number; readonly retryAfter?: string } | { readonly delayMs: number };

/** Which Graph requests a fault hits: every one, list pages (all or after the first), one by id, writes. */
export type FaultTarget = 'any' | 'list' | 'next-page' | 'get' | 'write';

export interface FaultRule {
  readonly tenantId: string;
  readonly fault: Fault;
  readonly target: FaultTarget;
  left: number;
}

/** Whether a rule aimed at `target` hits this request. */
export function matches(target: FaultTarget, method: string, url: URL): boolean {
  const list = url.pathname.replace(/\/+$/, '') === '/v1.0/security/incidents';
  switch (target) {
    case 'any':
      return true;
    case 'list':
      return list;
    case 'next-page':
      return list && url.searchParams.has('$skip');
    case 'get':
      return !list && method === 'GET';
    case 'write':
      return method !== 'GET';
  }
}
