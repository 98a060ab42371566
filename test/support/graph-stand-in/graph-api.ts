import { parseListQuery } from './odata.js';
import type { GraphIncidentJson, GraphJson, IncidentTable } from './table.js';

// The Graph half of the stand-in: /v1.0/security/incidents (list with the OData subset, one by id with
// $expand=alerts), PATCH of the lifecycle fields and POST of a comment, answered as Graph v1.0 answers.

export interface GraphCall {
  readonly origin: string;
  readonly tenantId: string;
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  /** The caller sent `Prefer: include-unknown-enum-members`. */
  readonly prefer: boolean;
  readonly clientId: string;
  /** Whether the tenant granted SecurityIncident.ReadWrite.All. */
  readonly canWrite: boolean;
}

export interface GraphAnswer {
  readonly status: number;
  readonly body: unknown;
}

const ROOT = '/v1.0/security/incidents';
const PATCHABLE = new Set(['assignedTo', 'status', 'classification', 'determination', 'customTags']);

export const graphError = (status: number, code: string, message: string): GraphAnswer => ({
  status,
  body: {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString(), 'request-id': '11111111-2222-3333-4444-555555555555' },
    },
  },
});

/** The incident as a response shows it: alerts only when expanded, evolvable enum members only when asked. */
function view(incident: GraphIncidentJson, expandAlerts: boolean, prefer: boolean): GraphJson {
  const { alerts, ...rest } = incident;
  const shown: GraphJson = expandAlerts ? { ...rest, alerts } : rest;
  if (!prefer && shown.status === 'awaitingAction') shown.status = 'unknownFutureValue';
  return shown;
}

/** Answers one authenticated Graph call for `call.tenantId`. */
export async function graphAnswer(
  table: IncidentTable,
  call: GraphCall,
  beforeListPage: ((tenantId: string, skip: number) => void | Promise<void>) | null,
): Promise<GraphAnswer> {
  const path = call.url.pathname.replace(/\/+$/, '');
  if (path === '/v1.0') return { status: 200, body: { '@odata.context': `${call.origin}/v1.0/$metadata` } };
  if (path === ROOT && call.method === 'GET') {
    const query = parseListQuery(call.url.searchParams);
    if (typeof query === 'string') return graphError(400, 'BadRequest', query);
    await beforeListPage?.(call.tenantId, query.skip);
    const all = table.list(call.tenantId).filter(query.filter).sort(query.order);
    const page = all.slice(query.skip, query.skip + query.top);
    const body: GraphJson = {
      '@odata.context': `${call.origin}/v1.0/$metadata#security/incidents`,
      value: page.map((i) => view(i, query.expandAlerts, call.prefer)),
    };
    if (query.skip + query.top < all.length) {
      const params = [...call.url.searchParams].filter(([k]) => k !== '$skip');
      params.push(['$skip', String(query.skip + query.top)]);
      const text = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      body['@odata.nextLink'] = `${call.origin}${ROOT}?${text}`;
    }
    return { status: 200, body };
  }
  const m = /^\/v1\.0\/security\/incidents\/([^/]+)(\/comments)?$/.exec(path);
  if (m === null) return graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  const id = decodeURIComponent(m[1] ?? '');
  if (!/^\d+$/.test(id)) return graphError(400, 'BadRequest', `Invalid incident id '${id}'.`);
  const incident = table.get(call.tenantId, id);
  if (incident === undefined) return graphError(404, 'NotFound', `Incident ${id} was not found.`);
  if (m[2] === undefined && call.method === 'GET') {
    const expand = call.url.searchParams.get('$expand');
    if (expand !== null && expand !== 'alerts')
      return graphError(400, 'BadRequest', `Cannot expand '${expand}'.`);
    return { status: 200, body: view(incident, expand === 'alerts', call.prefer) };
  }
  if (call.method !== 'GET' && !call.canWrite) {
    return graphError(
      403,
      'Forbidden',
      'Missing application roles. API required roles: SecurityIncident.ReadWrite.All.',
    );
  }
  let input: GraphJson;
  try {
    input = JSON.parse(call.body) as GraphJson;
  } catch {
    return graphError(400, 'BadRequest', 'The request body is not JSON.');
  }
  if (m[2] === undefined && call.method === 'PATCH') {
    for (const key of Object.keys(input)) {
      if (!PATCHABLE.has(key)) return graphError(400, 'BadRequest', `Property '${key}' cannot be updated.`);
    }
    if (input.status === 'awaitingAction' && !call.prefer) {
      return graphError(400, 'BadRequest', "'awaitingAction' needs Prefer: include-unknown-enum-members.");
    }
    const updated = table.update(call.tenantId, id, input as Partial<GraphIncidentJson>);
    return { status: 200, body: view(updated, false, call.prefer) };
  }
  if (m[2] !== undefined && call.method === 'POST') {
    if (typeof input.comment !== 'string' || input.comment.trim() === '') {
      return graphError(400, 'BadRequest', 'A comment needs text.');
    }
    const comments = [
      ...incident.comments,
      {
        comment: input.comment,
        createdByDisplayName: `API-App:${call.clientId}`,
        createdDateTime: table.stamp(),
      },
    ];
    const updated = table.update(call.tenantId, id, { comments });
    return {
      status: 200,
      body: {
        '@odata.context': `${call.origin}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)`,
        value: updated.comments,
      },
    };
  }
  return graphError(405, 'MethodNotAllowed', `${call.method} is not allowed here.`);
}
