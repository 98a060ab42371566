import type { Customer } from '../../bot/domain/customer.js';
import type { KnownActionKind, KnownSeverity } from '../../bot/domain/enums.js';
import type {
  ActionSpec,
  AppAsset,
  AssetContext,
  DeviceAsset,
  FileAsset,
  GraphActionTarget,
  MailAsset,
  UserAsset,
} from './graph-json.js';
import type { Random } from './random.js';

// The shape of one catalogue entry and the helpers scenarios use to name assets. Every name is invented
// and every domain is under .example, so no real company's data can appear in a demo.

export type Verdict = 'truePositive' | 'falsePositive' | 'informationalExpectedActivity';

export interface AlertTemplate {
  readonly title: string;
  readonly severity: KnownSeverity;
  /** MITRE-style Graph category: InitialAccess, Execution, CredentialAccess, LateralMovement… */
  readonly category: string;
  readonly serviceSource: string;
  readonly detectionSource: string;
  readonly assets: (c: AssetContext) => readonly string[];
}

/** One realistic Defender XDR incident story, from first alert to the experts' verdict. */
export interface Scenario {
  readonly key: string;
  readonly title: string;
  readonly severity: KnownSeverity;
  readonly description: (c: AssetContext) => string;
  readonly alerts: readonly AlertTemplate[];
  readonly verdict: Verdict;
  /** Graph wire text; may be a value outside DETERMINATIONS (e.g. "clickFix") to exercise tolerance. */
  readonly determination: string;
  /** What the analyst writes when picking the incident up. */
  readonly triage: (c: AssetContext) => string;
  /** The conclusion comment (also the incident summary; the resolving comment for FP/informational). */
  readonly conclusion: (c: AssetContext) => string;
  /** True positives only: the investigation summary shown in Guided response. */
  readonly investigationSummary: (c: AssetContext) => string;
  /** True positives only: the recommended actions. */
  readonly actions: (c: AssetContext) => readonly ActionSpec[];
  readonly fileNames?: readonly string[];
  readonly mailSubjects?: readonly string[];
  readonly appNames?: readonly string[];
}

// ---- Target helpers ------------------------------------------------------------------------------------

/** Action on a device (isolate, scan, collect package, restrict). */
export const onDevice = (kind: KnownActionKind, d: DeviceAsset, excluded = false): ActionSpec => ({
  kind,
  target: { type: 'device', id: d.id, name: d.name, excluded },
});

/** Action on a user account (disable, reset password, revoke sessions). */
export const onUser = (kind: KnownActionKind, u: UserAsset, excluded = false): ActionSpec => ({
  kind,
  target: { type: 'user', id: u.id, name: u.upn, excluded },
});

/** Stop and quarantine: the name carries the hash so the customer can check it before acting. */
export const onFile = (kind: KnownActionKind, f: FileAsset): ActionSpec => ({
  kind,
  target: { type: 'file', id: f.sha256, name: `${f.name} (SHA-256 ${f.sha256})`, excluded: false },
});

/** Soft-delete: named by subject line, identified by network message id. */
export const onMail = (kind: KnownActionKind, m: MailAsset): ActionSpec => ({
  kind,
  target: { type: 'mailMessage', id: m.id, name: `"${m.subject}" from ${m.sender}`, excluded: false },
});

/** Block an OAuth app by its application id. */
export const onApp = (kind: KnownActionKind, a: AppAsset): ActionSpec => {
  const target: GraphActionTarget = { type: 'app', id: a.id, name: a.name, excluded: false };
  return { kind, target };
};

// ---- Asset context -------------------------------------------------------------------------------------

const FIRST = [
  'alex',
  'megan',
  'nestor',
  'lidia',
  'isaiah',
  'joni',
  'lynne',
  'adele',
  'diego',
  'grady',
  'priya',
];
const LAST = ['wilber', 'bowen', 'wilke', 'holloway', 'langer', 'sherman', 'robbins', 'vance', 'siciliani'];
const DEPTS = ['FIN', 'HR', 'ENG', 'OPS', 'SALES', 'LEGAL', 'IT', 'MKT'];
const SERVER_ROLES = ['FS', 'SQL', 'APP', 'WEB', 'BKP'];
const COUNTRIES = ['NL', 'RO', 'BR', 'VN', 'NG', 'US', 'DE'];
const DEFAULT_FILES = ['update.exe', 'svchost32.exe', 'invoice_0923.iso'];
const DEFAULT_SUBJECTS = ['Updated remittance details', 'Action required: shared document'];
const DEFAULT_APPS = ['Mail Backup Pro', 'PDF Sign Online'];

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The customer's mail domain in the demo: always under the reserved .example TLD. */
export function demoDomain(customer: Pick<Customer, 'id'>): string {
  const label = customer.id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${label === '' ? 'customer' : label}.example`;
}

function user(rng: Random, domain: string): UserAsset {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return { upn: `${first}.${last}@${domain}`, displayName: `${cap(first)} ${cap(last)}`, id: rng.guid() };
}

/** Draws the assets of one incident; the number of draws is fixed so the stream stays reproducible. */
export function buildContext(rng: Random, customer: Customer, scenario: Scenario): AssetContext {
  const domain = demoDomain(customer);
  const dept = rng.pick(DEPTS);
  const device: DeviceAsset = { name: `WS-${dept}-${pad(rng.int(1, 199), 3)}`, id: rng.hex(40) };
  const device2: DeviceAsset = {
    name: `${rng.pick(['WS', 'LT'])}-${rng.pick(DEPTS)}-${pad(rng.int(1, 199), 3)}`,
    id: rng.hex(40),
  };
  const server: DeviceAsset = {
    name: `SRV-${rng.pick(SERVER_ROLES)}-${pad(rng.int(1, 9), 2)}`,
    id: rng.hex(40),
  };
  const domainController: DeviceAsset = { name: `DC-${pad(rng.int(1, 3), 2)}`, id: rng.hex(40) };
  const u1 = user(rng, domain);
  let u2 = user(rng, domain);
  if (u2.upn === u1.upn) u2 = { ...u2, upn: u2.upn.replace('@', '2@') };
  const breakGlass: UserAsset = {
    upn: `breakglass-admin@${domain}`,
    displayName: 'Break-glass admin',
    id: rng.guid(),
  };
  const file: FileAsset = { name: rng.pick(scenario.fileNames ?? DEFAULT_FILES), sha256: rng.hex(64) };
  const mail: MailAsset = {
    subject: rng.pick(scenario.mailSubjects ?? DEFAULT_SUBJECTS),
    sender: `${rng.pick(['billing', 'accounts', 'docs', 'no-reply'])}@${rng.pick(['fabrikam-invoices', 'northwind-payments', 'sharefile-docs'])}.example`,
    id: rng.guid(),
  };
  const app: AppAsset = { name: rng.pick(scenario.appNames ?? DEFAULT_APPS), id: rng.guid() };
  const ip = `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(2, 254)}`;
  return {
    customerName: customer.name,
    domain,
    device,
    device2,
    server,
    domainController,
    user: u1,
    user2: u2,
    breakGlass,
    file,
    mail,
    app,
    ip,
    country: rng.pick(COUNTRIES),
  };
}
