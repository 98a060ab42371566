import type { Customer } from '../../bot/domain/customer.js';
import type { KnownClassification, KnownDetermination, KnownIncidentStatus } from '../../bot/domain/enums.js';
import type { IncidentComment } from '../../bot/domain/incident.js';
import { parseIncident } from '../../bot/domain/incident.js';
import { BotError } from '../../bot/errors.js';
import { GraphError } from './errors.js';
import type { GraphClient } from './graph-client.js';
import { tenantOf } from './graph-client.js';
import { commentJson, isIncidentId } from './incident-json.js';

// Writes back to a customer's incident, for guided response and the handoff conversation: comments and the
// lifecycle fields. They need SecurityIncident.ReadWrite.All and share the tenant's request budget with
// the poller. A comment POST is never repeated after an unclear failure (it would post twice).

/** The fields guided response may set; a field left out stays as it is. */
export interface IncidentPatch {
  /** Free text in Graph ("Defender Experts", "Customer", a UPN); '' unassigns. */
  readonly assignedTo?: string;
  readonly status?: KnownIncidentStatus;
  readonly classification?: KnownClassification;
  readonly determination?: KnownDetermination;
}

/** Tags to add and remove; the rest of the incident's tags are kept (read-modify-write). */
export interface TagChange {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

/** What the Graph source can write; guided response reaches it through the core's IncidentWriter port. */
export interface IncidentWriter {
  /** Adds a comment to "Comments and history"; returns the incident's comments as Graph answers them. */
  addComment(customer: Customer, incidentId: string, comment: string): Promise<readonly IncidentComment[]>;
  updateIncident(customer: Customer, incidentId: string, patch: IncidentPatch): Promise<void>;
  /** Read-modify-write of customTags (case-insensitive); returns the tags now on the incident. */
  updateCustomTags(customer: Customer, incidentId: string, change: TagChange): Promise<readonly string[]>;
}

const path = (incidentId: string): string => `/v1.0/security/incidents/${encodeURIComponent(incidentId)}`;

/** Creates the writer over the source's client (same tokens, same per-tenant budget). */
export function createIncidentWriter(client: GraphClient): IncidentWriter {
  const notFound = (customer: Customer, incidentId: string): GraphError =>
    new GraphError('not_found', customer.entraTenantId ?? '', `no incident ${incidentId} for ${customer.id}`);

  async function patch(customer: Customer, incidentId: string, body: Record<string, unknown>): Promise<void> {
    const res = await client.send(customer, {
      method: 'PATCH',
      url: path(incidentId),
      body,
      idempotent: true,
    });
    if (res.status === 404) throw notFound(customer, incidentId);
  }

  const check = (customer: Customer, incidentId: string): void => {
    tenantOf(customer);
    if (!isIncidentId(incidentId)) throw notFound(customer, incidentId);
  };

  return {
    async addComment(customer, incidentId, comment) {
      check(customer, incidentId);
      if (comment.trim() === '') throw new BotError('bad_input', 'a comment needs some text');
      const res = await client.send(customer, {
        method: 'POST',
        url: `${path(incidentId)}/comments`,
        body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
        idempotent: false,
      });
      if (res.status === 404) throw notFound(customer, incidentId);
      const value = (res.body as { value?: unknown } | null)?.value;
      return parseIncident(
        { id: incidentId, comments: Array.isArray(value) ? value.map(commentJson) : [] },
        customer.id,
      ).comments;
    },

    async updateIncident(customer, incidentId, change) {
      check(customer, incidentId);
      const body = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      if (Object.keys(body).length === 0) throw new BotError('bad_input', 'nothing to change');
      await patch(customer, incidentId, body);
    },

    async updateCustomTags(customer, incidentId, change) {
      check(customer, incidentId);
      const res = await client.send(customer, { method: 'GET', url: path(incidentId), idempotent: true });
      if (res.status === 404) throw notFound(customer, incidentId);
      const current = parseIncident(res.body, customer.id).customTags;
      const removing = new Set((change.remove ?? []).map((t) => t.trim().toLowerCase()));
      const next = current.filter((t) => !removing.has(t.trim().toLowerCase()));
      for (const tag of change.add ?? []) {
        const clean = tag.trim();
        if (clean !== '' && !next.some((t) => t.trim().toLowerCase() === clean.toLowerCase()))
          next.push(clean);
      }
      const same = next.length === current.length && next.every((t, i) => t === current[i]);
      // Graph has no ETag on incidents: the window between read and write is one round trip, no more.
      if (!same) await patch(customer, incidentId, { customTags: next });
      return next;
    },
  };
}
