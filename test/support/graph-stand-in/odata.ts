import type { GraphIncidentJson } from './table.js';

// The OData subset the Graph security API offers on /security/incidents and the client uses: $filter on
// lastUpdateDateTime/createdDateTime (ge, gt, le, lt, eq; joined by "and"), $orderby on them, $top (max 50),
// $skip (what @odata.nextLink carries) and $expand=alerts. Anything else is a 400, as Graph answers.

export interface ListQuery {
  readonly filter: (incident: GraphIncidentJson) => boolean;
  readonly order: (a: GraphIncidentJson, b: GraphIncidentJson) => number;
  readonly top: number;
  readonly skip: number;
  readonly expandAlerts: boolean;
}

const MAX_TOP = 50;
const FIELDS = new Set(['lastUpdateDateTime', 'createdDateTime']);
const CLAUSE =
  /^\s*(\w+)\s+(ge|gt|le|lt|eq)\s+(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2}))\s*$/;

/** 100 ns ticks of an ISO instant (the precision Graph compares at). */
export function ticks(text: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (m === null) throw new Error(`not an instant: ${text}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 10_000n + BigInt((m[2] ?? '').padEnd(7, '0'));
}

const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function fieldTicks(incident: GraphIncidentJson, field: string): bigint {
  return ticks(field === 'createdDateTime' ? incident.createdDateTime : incident.lastUpdateDateTime);
}

/** Parses the query of a list request; a string is the 400 message. */
export function parseListQuery(params: URLSearchParams): ListQuery | string {
  for (const key of params.keys()) {
    if (!['$filter', '$orderby', '$top', '$skip', '$expand'].includes(key))
      return `Query option '${key}' is not allowed`;
  }
  const clauses: ((i: GraphIncidentJson) => boolean)[] = [];
  const filter = params.get('$filter');
  if (filter !== null) {
    for (const part of filter.split(/\s+and\s+/)) {
      const m = CLAUSE.exec(part);
      if (m === null || !FIELDS.has(m[1] ?? '')) return `Invalid filter clause: ${part}`;
      const [, field = '', op, value = ''] = m;
      const bound = ticks(value);
      clauses.push((i) => {
        const c = compare(fieldTicks(i, field), bound);
        return op === 'ge'
          ? c >= 0
          : op === 'gt'
            ? c > 0
            : op === 'le'
              ? c <= 0
              : op === 'lt'
                ? c < 0
                : c === 0;
      });
    }
  }
  let order = (a: GraphIncidentJson, b: GraphIncidentJson): number => compare(BigInt(a.id), BigInt(b.id));
  const orderby = params.get('$orderby');
  if (orderby !== null) {
    const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/.exec(orderby);
    if (m === null || !FIELDS.has(m[1] ?? '')) return `Invalid orderby clause: ${orderby}`;
    const field = m[1] ?? '';
    const sign = m[2] === 'desc' ? -1 : 1;
    order = (a, b) =>
      sign * compare(fieldTicks(a, field), fieldTicks(b, field)) || compare(BigInt(a.id), BigInt(b.id));
  }
  const top = Number(params.get('$top') ?? MAX_TOP);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return `$top must be 1 to ${MAX_TOP}`;
  const skip = Number(params.get('$skip') ?? 0);
  if (!Number.isInteger(skip) || skip < 0) return 'Invalid $skip';
  const expand = params.get('$expand');
  if (expand !== null && expand !== 'alerts') return `Could not find a property named '${expand}' to expand`;
  return {
    filter: (i) => clauses.every((c) => c(i)),
    order,
    top,
    skip,
    expandAlerts: expand === 'alerts',
  };
}
