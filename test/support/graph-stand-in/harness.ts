import { Registry } from 'prom-client';
import {
  createGraphSource,
  type GraphSource,
  type GraphSourceOptions,
} from '../../../adapters/graph/graph-source.js';
import { opaqueCustomerLabel } from '../../../adapters/graph/metrics.js';
import type { GraphTuning } from '../../../adapters/graph/tuning.js';
import type { Customer } from '../../../bot/domain/customer.js';
import type { Logger } from '../../../bot/ports.js';
import { createFakeTime, type FakeTime } from './fake-time.js';
import { type GraphStandIn, startGraphStandIn } from './server.js';
import { appCertificate } from './tls.js';

// The Graph source wired to a fresh stand-in, in-process: the real client, real tokens from the stand-in's
// token endpoint, real HTTPS on loopback, and virtual time shared by both sides.

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/** A logger that keeps every line, for "reported once" assertions. */
export function recordingLogger(): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg: msg ?? '' });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** A customer whose incidents live in `tenantId`. */
export function graphCustomer(id: string, tenantId: string | null): Customer {
  return {
    id,
    name: `${id[0]?.toUpperCase() ?? ''}${id.slice(1)} Ltd`,
    entraTenantId: tenantId,
    expertsAccess: 'reader',
    teamsTenantId: null,
    slackTeamId: null,
    sdm: null,
    responders: [],
    admins: [],
  };
}

export interface HarnessOptions {
  /** customer id → incidents to seed; tenant ids are made up per customer. */
  readonly customers: Readonly<Record<string, number>>;
  readonly tuning?: Partial<GraphTuning>;
  readonly credential?: 'secret' | 'certificate';
  /** Virtual time between seeded incidents (default 10 min: more than the overlap, so a skip would show). */
  readonly seedSpacingMs?: number;
  /** The bot's clock minus the stand-in's (a bot whose clock runs ahead or behind Graph's). */
  readonly clockOffsetMs?: number;
  readonly source?: Partial<Pick<GraphSourceOptions, 'onAccessLost' | 'onAccessRestored' | 'random'>>;
}

export interface GraphHarness {
  readonly standIn: GraphStandIn;
  readonly time: FakeTime;
  readonly customers: readonly Customer[];
  readonly registry: Registry;
  readonly lines: LogLine[];
  source: GraphSource;
  tenantOf(customerId: string): string;
  /** A customer's label on the graph_* series (opaque, as in production). */
  metricsLabelOf(customerId: string): string;
  /** A new source over the same stand-in (a restarted bot: no tokens, no memory). */
  restartSource(): GraphSource;
  close(): Promise<void>;
}

const TENANT_PREFIX = ['7c1f', '5e2a', '9b3d', '1f4c', '3a5e', '8d6b'];

/** Starts the stand-in with the customers' tenants seeded, and a Graph source pointed at it. */
export async function startGraphHarness(options: HarnessOptions): Promise<GraphHarness> {
  const time = createFakeTime();
  const standIn = await startGraphStandIn({ now: time.now });
  const cert = options.credential === 'certificate' ? await appCertificate() : null;
  if (cert !== null) Object.assign(standIn.app, { certificate: cert.cert });
  const customers = Object.keys(options.customers).map((id, i) => {
    const tenantId = `${TENANT_PREFIX[i % TENANT_PREFIX.length]}0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    standIn.addTenant(tenantId);
    return graphCustomer(id, tenantId);
  });
  // Incidents of all tenants interleaved in time, spaced out, like a real history.
  const left = new Map(customers.map((c) => [c, options.customers[c.id] ?? 0]));
  for (let more = true; more; ) {
    more = false;
    for (const [customer, n] of left) {
      if (n <= 0) continue;
      standIn.table.create(customer.entraTenantId ?? '');
      time.advance(options.seedSpacingMs ?? 600_000);
      left.set(customer, n - 1);
      more = true;
    }
  }
  const { logger, lines } = recordingLogger();
  const offset = options.clockOffsetMs ?? 0;
  const agent = standIn.agent();
  let registry = new Registry();
  const metricsLabel = opaqueCustomerLabel('graph-harness-metrics-key');
  const make = (): GraphSource => {
    registry = new Registry();
    return createGraphSource({
      clientId: standIn.app.clientId,
      credential:
        cert === null
          ? { kind: 'secret', secret: standIn.app.secret }
          : { kind: 'certificate', pem: cert.pem },
      graphBaseUrl: standIn.url,
      authorityHost: standIn.url,
      logger,
      clock: { now: () => new Date(time.now() + offset) },
      sleep: time.sleep,
      random: () => 0.5,
      registry,
      metricsLabel,
      agent,
      tuning: options.tuning,
      ...options.source,
    });
  };
  const harness: GraphHarness = {
    standIn,
    time,
    customers,
    get registry() {
      return registry;
    },
    lines,
    source: make(),
    metricsLabelOf: metricsLabel,
    tenantOf(customerId) {
      const tenantId = customers.find((c) => c.id === customerId)?.entraTenantId;
      if (!tenantId) throw new Error(`no customer ${customerId}`);
      return tenantId;
    },
    restartSource() {
      harness.source.close();
      harness.source = make();
      return harness.source;
    },
    async close() {
      harness.source.close();
      await standIn.close();
    },
  };
  return harness;
}
