import { type IncidentPreview, incidentPreviewCard, neutralPreviewCard } from '../../cards/index.js';
import { type AudienceFacts, decideAudience, mayAnswerOpenly } from '../audience.js';
import { COMMAND_PERMISSIONS, permits } from '../authz/permissions.js';
import { resolveActor } from '../authz/resolve-actor.js';
import type { Actor, Principal } from '../domain/actor.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { Incident } from '../domain/incident.js';
import type { Store } from '../ports.js';
import { searchIncidents } from './incident-search.js';
import { parseIncidentLink } from './incident-url.js';

// Previews of portal links shared in chat (Slack unfurls, Teams link unfurling) and the Teams compose-box
// search. Both put one customer's incident where the whole conversation sees it, so both follow the
// tenancy rule (bot/audience.ts): only the sharer's own customer's incident, and only where every
// organisation present may read that customer's data. Otherwise one neutral preview, the same for an
// unknown id, another customer's id and a conversation that may not carry the data.

/** Who shares or searches, and what the platform says about who reads the conversation. */
export interface LinkAsker {
  readonly principal: Principal;
  /** Undefined only where a conversation cannot span organisations (the dev console). */
  readonly audience: AudienceFacts | undefined;
}

export interface PreviewOutcome {
  /** True when the preview shows the incident; false for the neutral preview. */
  readonly shown: boolean;
  readonly preview: IncidentPreview;
}

/** One search result: the incident's id (for the platform's own bookkeeping) and its preview. */
export interface SearchResult {
  readonly id: string;
  readonly preview: IncidentPreview;
}

export type SearchOutcome =
  | { readonly kind: 'results'; readonly results: readonly SearchResult[]; readonly total: number }
  /** Why nothing can be searched here, said to the searcher alone. */
  | { readonly kind: 'refused'; readonly text: string };

export interface IncidentLinks {
  /** The preview of a shared link, or null when the link is not a portal incident link (not ours). */
  preview(asker: LinkAsker, url: string): Promise<PreviewOutcome | null>;
  /** A page of the searcher's own incidents; empty text lists those awaiting the customer. */
  search(asker: LinkAsker, text: string, offset: number, limit: number): Promise<SearchOutcome>;
}

export interface IncidentLinksDeps {
  readonly store: Store;
  readonly directory: Directory;
}

/** The most results one search page returns, whatever the platform asks for. */
export const SEARCH_PAGE_MAX = 25;

const NEUTRAL: PreviewOutcome = { shown: false, preview: neutralPreviewCard() };

/** Builds the service over the store and the customers file. */
export function createIncidentLinks(deps: IncidentLinksDeps): IncidentLinks {
  const customers = new Map<string, Customer>(deps.directory.customers.map((c) => [c.id, c]));

  /** The asker's customer when this conversation may show that customer's incidents, else why not. */
  function scope(asker: LinkAsker): { customer: Customer; actor: Actor } | { refused: string } {
    const actor = resolveActor(deps.directory, asker.principal);
    const customer = actor.customerId === null ? undefined : customers.get(actor.customerId);
    if (!actor.linked || customer === undefined || !permits(actor, COMMAND_PERMISSIONS.find))
      return { refused: 'Incident search works for the people of a customer linked to Defender Experts.' };
    const audience = decideAudience(
      deps.directory,
      asker.principal.platform,
      asker.principal.workspaceId,
      asker.audience,
    );
    if (!mayAnswerOpenly(audience, actor))
      return {
        refused:
          'Your incidents cannot be shared in this conversation: it includes people from other organisations, or I cannot tell who reads it. Search in your chat with the bot instead.',
      };
    return { customer, actor };
  }

  const previewOf = (incident: Incident, url?: string): IncidentPreview =>
    incidentPreviewCard({ incident, ...(url === undefined ? {} : { url }) });

  return {
    async preview(asker, url) {
      const link = parseIncidentLink(url);
      if (link === null) return null;
      const allowed = scope(asker);
      if ('refused' in allowed) return NEUTRAL;
      const { customer } = allowed;
      // A link into another tenant's portal is not this customer's incident, whatever its number.
      const tenant = customer.entraTenantId?.toLowerCase() ?? null;
      if (link.tenantId !== null && tenant !== null && link.tenantId !== tenant) return NEUTRAL;
      const incident = await deps.store.getIncident(customer.id, link.id);
      if (incident === null || incident.customerId !== customer.id) return NEUTRAL;
      return { shown: true, preview: previewOf(incident, url) };
    },

    async search(asker, text, offset, limit) {
      const allowed = scope(asker);
      if ('refused' in allowed) return { kind: 'refused', text: allowed.refused };
      const { customer } = allowed;
      const size = Math.min(SEARCH_PAGE_MAX, Math.max(1, Math.floor(limit)));
      const start = Math.max(0, Math.floor(offset));
      const page =
        text.trim() === ''
          ? await deps.store.listIncidents({
              customerId: customer.id,
              view: 'awaiting',
              severity: null,
              limit: size,
              offset: start,
            })
          : await searchIncidents(deps.store, { customerId: customer.id, text, offset: start, limit: size });
      const results = page.items
        .filter((i) => i.customerId === customer.id)
        .map((incident) => ({ id: incident.id, preview: previewOf(incident) }));
      return { kind: 'results', results, total: page.total };
    },
  };
}
