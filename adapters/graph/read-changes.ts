import type { Customer } from '../../bot/domain/customer.js';
import { type Incident, isExpertsIncident } from '../../bot/domain/incident.js';
import type { ChangeBatch, Clock, Logger } from '../../bot/ports.js';
import {
  advanceCursor,
  alreadySeen,
  decodeCursor,
  encodeCursor,
  type GraphCursor,
  type ReadVersion,
  rememberVersions,
} from './cursor.js';
import { GraphError } from './errors.js';
import type { GraphClient } from './graph-client.js';
import { incidentFromGraph } from './incident-json.js';
import { isoOfTicks, TICKS_PER_MS, ticksOf } from './instant.js';
import type { GraphMetrics } from './metrics.js';
import type { GraphTuning } from './tuning.js';

// One poll of one customer: every incident changed since the high-water mark minus the overlap window,
// newest first, page by page along @odata.nextLink.
//
// Why newest first: Graph pages with $skip, and an incident that changes while we page jumps to the newest
// end. Newest first, that jump lands on pages already read, so later pages shift down (we may see an
// incident twice: de-duplicated) and nothing unchanged is skipped; the jumped incident's new version is
// newer than the mark and comes with the next poll. Oldest first, the same jump shifts later pages up and
// silently skips one incident at each page boundary. The mark only moves after a pass reached the last
// page: a pass cut short keeps what it read but leaves the mark, so the next pass reads that range again.

/** The parts a poll needs; all shared with the rest of the source (same client, same budget). */
export interface ReadChangesDeps {
  readonly client: GraphClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: GraphMetrics;
  readonly tuning: GraphTuning;
}

/** The first page's URL (path under the Graph base); `from` null reads every incident of the tenant. */
export function incidentsPageUrl(from: bigint | null, pageSize: number): string {
  const query = [
    ...(from === null ? [] : [`$filter=${encodeURIComponent(`lastUpdateDateTime ge ${isoOfTicks(from)}`)}`]),
    '$expand=alerts',
    `$orderby=${encodeURIComponent('lastUpdateDateTime desc')}`,
    `$top=${pageSize}`,
  ];
  return `/v1.0/security/incidents?${query.join('&')}`;
}

interface Read {
  readonly incident: Incident;
  readonly ticks: bigint | null;
}

function pageOf(body: unknown, tenantId: string): { value: unknown[]; next: string | null } {
  const page = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (!Array.isArray(page.value)) {
    throw new GraphError('unavailable', tenantId, 'an incidents page without a "value" array');
  }
  const next = page['@odata.nextLink'];
  return { value: page.value, next: typeof next === 'string' && next !== '' ? next : null };
}

/** Reads one customer's changes since `cursorText` (see the comment above for why it is gap-free). */
export async function readIncidentChanges(
  deps: ReadChangesDeps,
  customer: Customer,
  cursorText: string | null,
): Promise<ChangeBatch> {
  const { cursor: previous, recognised } = decodeCursor(cursorText);
  if (!recognised) {
    deps.logger.warn(
      { customer: customer.id },
      'incident cursor not written by the Graph source (INCIDENT_SOURCE changed?): reading every incident again',
    );
  }
  const overlap = BigInt(deps.tuning.overlapMs) * TICKS_PER_MS;
  const from = previous.hwm === null ? null : previous.hwm - overlap;
  const newest = new Map<string, Read>();
  let url: string | null = incidentsPageUrl(from, deps.tuning.pageSize);
  let pages = 0;
  try {
    while (url !== null) {
      const answer = await deps.client.send(customer, { method: 'GET', url, idempotent: true });
      const page = pageOf(answer.body, customer.entraTenantId ?? '');
      for (const raw of page.value) {
        let incident: Incident;
        try {
          incident = incidentFromGraph(raw, customer.id);
        } catch {
          deps.logger.warn({ customer: customer.id }, 'skipped an incident without an id in a Graph page');
          continue;
        }
        const ticks = ticksOf(incident.lastUpdateDateTime);
        const known = newest.get(incident.id);
        // De-duplication by id + lastUpdateDateTime: a repeat (page shift) or an older copy is dropped.
        if (known === undefined || (ticks !== null && (known.ticks === null || ticks > known.ticks))) {
          newest.set(incident.id, { incident, ticks });
        }
      }
      pages += 1;
      url = page.next;
    }
  } catch (error) {
    if (newest.size === 0) throw error;
    deps.logger.warn(
      { customer: customer.id, pages, read: newest.size, err: error },
      'incident read stopped part-way: handing out what was read; the high-water mark stays until a pass completes',
    );
    const incidents = fresh(deps, previous, newest);
    return {
      incidents,
      cursor: encodeCursor(rememberVersions(previous, versionsOf(newest), deps.tuning.maxSeen)),
    };
  }
  const incidents = fresh(deps, previous, newest);
  return {
    incidents,
    cursor: encodeCursor(advanceCursor(previous, versionsOf(newest), overlap, deps.tuning.maxSeen)),
  };
}

function versionsOf(newest: ReadonlyMap<string, Read>): ReadVersion[] {
  const versions: ReadVersion[] = [];
  for (const [id, r] of newest) if (r.ticks !== null) versions.push({ id, ticks: r.ticks });
  return versions;
}

/**
 * Versions not handed out before, oldest first (the order changes happened). Records the detection lag of
 * each, except on a customer's very first read, whose incidents are history rather than news.
 */
function fresh(deps: ReadChangesDeps, previous: GraphCursor, newest: ReadonlyMap<string, Read>): Incident[] {
  const measureLag = previous.hwm !== null;
  const now = BigInt(deps.clock.now().getTime()) * TICKS_PER_MS;
  const out = [...newest.values()].filter((r) => !alreadySeen(previous, r.incident.id, r.ticks));
  out.sort((a, b) => ((a.ticks ?? 0n) < (b.ticks ?? 0n) ? -1 : (a.ticks ?? 0n) > (b.ticks ?? 0n) ? 1 : 0));
  if (measureLag) {
    for (const r of out) {
      if (r.ticks === null) continue;
      deps.metrics.detected(Number(now - r.ticks) / 1e7, isExpertsIncident(r.incident));
    }
  }
  return out.map((r) => r.incident);
}
