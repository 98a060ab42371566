// The stand-in's data: each tenant's incidents in the Microsoft Graph v1.0 wire shape (alerts with
// evidence, comments with createdByDisplayName), stamped with 7-digit lastUpdateDateTime values from the
// stand-in's own clock — which a test may skew to play a Graph writer whose clock is minutes off.

export type GraphJson = Record<string, unknown>;

export interface GraphIncidentJson extends GraphJson {
  id: string;
  lastUpdateDateTime: string;
  createdDateTime: string;
  status: string;
  customTags: string[];
  comments: GraphJson[];
  alerts: GraphJson[];
}

const SEVERITIES = ['high', 'medium', 'low', 'informational'] as const;
const STATUSES = ['active', 'inProgress', 'awaitingAction', 'resolved'] as const;

let nextId = 100_000;

/** Per-tenant incident tables with Graph-like timestamps. */
export class IncidentTable {
  private readonly tenants = new Map<string, Map<string, GraphIncidentJson>>();
  private sub = 0;
  /** Added to the clock when stamping: a negative skew plays a Graph writer whose clock runs behind. */
  skewMs = 0;

  constructor(private readonly now: () => number) {}

  /** A Graph-style instant: the clock (plus skew) with seven fractional digits, unique within the table. */
  stamp(): string {
    this.sub = (this.sub + 1) % 10_000;
    const ms = this.now() + this.skewMs;
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 23)}${String(this.sub).padStart(4, '0')}Z`;
  }

  addTenant(tenantId: string): void {
    if (!this.tenants.has(tenantId)) this.tenants.set(tenantId, new Map());
  }

  private rows(tenantId: string): Map<string, GraphIncidentJson> {
    const rows = this.tenants.get(tenantId);
    if (rows === undefined) throw new Error(`the stand-in has no tenant ${tenantId}`);
    return rows;
  }

  /** Creates an incident stamped now (or with `overrides`); returns it. */
  create(tenantId: string, overrides: Partial<GraphIncidentJson> = {}): GraphIncidentJson {
    nextId += 1;
    const id = String(nextId);
    const at = this.stamp();
    const n = nextId;
    const incident: GraphIncidentJson = {
      '@odata.type': '#microsoft.graph.security.incident',
      id,
      tenantId,
      status: STATUSES[n % STATUSES.length] ?? 'active',
      incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`,
      redirectIncidentId: null,
      displayName: `Multi-stage incident involving Execution on one endpoint (${id})`,
      createdDateTime: at,
      lastUpdateDateTime: at,
      assignedTo: n % 3 === 0 ? 'Customer' : 'Defender Experts',
      classification: 'unknown',
      determination: 'unknown',
      severity: SEVERITIES[n % SEVERITIES.length] ?? 'high',
      customTags: [],
      systemTags: ['Defender Experts'],
      description: null,
      summary: null,
      resolvingComment: null,
      comments: [],
      alerts: [alertJson(id, at, n)],
      ...overrides,
    };
    this.rows(tenantId).set(id, incident);
    return incident;
  }

  /** Creates `count` incidents. */
  seed(tenantId: string, count: number): GraphIncidentJson[] {
    this.addTenant(tenantId);
    return Array.from({ length: count }, () => this.create(tenantId));
  }

  /** Applies `change` and stamps a new lastUpdateDateTime, as Graph does on every write. */
  update(tenantId: string, id: string, change: Partial<GraphIncidentJson> = {}): GraphIncidentJson {
    const current = this.get(tenantId, id);
    if (current === undefined) throw new Error(`no incident ${id} in tenant ${tenantId}`);
    const next: GraphIncidentJson = { ...current, ...change, lastUpdateDateTime: this.stamp() };
    this.rows(tenantId).set(id, next);
    return next;
  }

  get(tenantId: string, id: string): GraphIncidentJson | undefined {
    return this.rows(tenantId).get(id);
  }

  list(tenantId: string): GraphIncidentJson[] {
    return [...this.rows(tenantId).values()];
  }

  hasTenant(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }
}

function alertJson(incidentId: string, at: string, n: number): GraphJson {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: `da${incidentId}_1`,
    providerAlertId: `${incidentId}1`,
    incidentId,
    status: 'new',
    severity: SEVERITIES[n % SEVERITIES.length],
    classification: null,
    determination: null,
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: 'microsoftDefenderForEndpoint',
    title: 'Suspicious PowerShell command line',
    category: 'Execution',
    createdDateTime: at,
    lastUpdateDateTime: at,
    evidence: [
      {
        '@odata.type': '#microsoft.graph.security.deviceEvidence',
        deviceDnsName: `ws-${n % 17}.contoso.local`,
        mdeDeviceId: `${'a'.repeat(39)}${n % 10}`,
        verdict: 'suspicious',
      },
      {
        '@odata.type': '#microsoft.graph.security.userEvidence',
        userAccount: {
          accountName: 'alice',
          domainName: 'CONTOSO',
          userPrincipalName: 'alice@contoso.example',
        },
      },
      {
        '@odata.type': '#microsoft.graph.security.processEvidence',
        imageFile: { fileName: 'powershell.exe', filePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0' },
      },
      {
        '@odata.type': '#microsoft.graph.security.fileEvidence',
        fileDetails: { fileName: `invoice-${n}.js`, sha256: 'f'.repeat(64) },
      },
      { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.7' },
    ],
  };
}
