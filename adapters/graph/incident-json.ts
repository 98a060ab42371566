import { type Incident, parseIncident } from '../../bot/domain/incident.js';

// Graph's security incident JSON (v1.0, `$expand=alerts`) into our Incident. Graph's alerts carry their
// entities as `evidence`; we keep what a person recognises as the assets involved (device names, user
// principal names, mailboxes, file names) and let the tolerant parser do the rest.

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Most assets kept per alert: enough for "most impacted assets", bounded for storage. */
export const MAX_ASSETS_PER_ALERT = 25;

function assetOf(evidence: Json): string | null {
  const type = String(evidence['@odata.type'] ?? '').toLowerCase();
  const account = obj(evidence.userAccount);
  if (type.endsWith('deviceevidence')) {
    return text(evidence.deviceDnsName) ?? text(evidence.hostName) ?? text(evidence.mdeDeviceId);
  }
  if (type.endsWith('userevidence')) {
    const upn = text(account.userPrincipalName);
    if (upn !== null) return upn;
    const name = text(account.accountName);
    const domain = text(account.domainName);
    return name === null ? null : domain === null ? name : `${domain}\\${name}`;
  }
  if (type.endsWith('mailboxevidence'))
    return text(evidence.primaryAddress) ?? text(account.userPrincipalName);
  if (type.endsWith('fileevidence')) return text(obj(evidence.fileDetails).fileName);
  if (type.endsWith('processevidence')) return text(obj(evidence.imageFile).fileName);
  return null;
}

/** The distinct assets named by an alert's evidence, in the order Graph lists them. */
export function assetsOfEvidence(evidence: unknown): string[] {
  const assets: string[] = [];
  const seen = new Set<string>();
  for (const item of Array.isArray(evidence) ? evidence : []) {
    const asset = assetOf(obj(item));
    if (asset === null || seen.has(asset.toLowerCase())) continue;
    seen.add(asset.toLowerCase());
    assets.push(asset);
    if (assets.length >= MAX_ASSETS_PER_ALERT) break;
  }
  return assets;
}

/** The users an alert's evidence names, with their Entra object id (userEvidence.userAccount). */
export function usersOfEvidence(evidence: unknown): Json[] {
  const users: Json[] = [];
  for (const item of Array.isArray(evidence) ? evidence : []) {
    const e = obj(item);
    if (
      !String(e['@odata.type'] ?? '')
        .toLowerCase()
        .endsWith('userevidence')
    )
      continue;
    const account = obj(e.userAccount);
    const upn = text(account.userPrincipalName);
    if (upn !== null) users.push({ upn, objectId: text(account.azureAdUserId) });
    if (users.length >= MAX_ASSETS_PER_ALERT) break;
  }
  return users;
}

/**
 * The sign-in an alert's evidence describes: the cloud application signed in to, the IP address and its
 * location, and when. "New device" is Entra ID Protection's own wording in the alert title (unfamiliar
 * sign-in properties, new device); the evidence carries no such flag. Null for alerts about no sign-in.
 */
export function signInOfEvidence(alert: Json): Json | null {
  const evidence = Array.isArray(alert.evidence) ? alert.evidence.map(obj) : [];
  const of = (suffix: string) =>
    evidence.find((e) =>
      String(e['@odata.type'] ?? '')
        .toLowerCase()
        .endsWith(suffix),
    );
  const ip = of('ipevidence');
  const app = of('cloudapplicationevidence') ?? of('oauthapplicationevidence');
  const title = String(alert.title ?? '');
  // An IP address alone is no sign-in (a PowerShell alert lists the address it called): an application signed
  // in to, or an alert that says it is about a sign-in, makes it one.
  if (ip === undefined || (app === undefined && !/sign-in|sign in|logon|log on|login/i.test(title)))
    return null;
  const where = obj(ip.location);
  const place = [text(where.city), text(where.countryName) ?? text(ip.countryLetterCode)].filter(
    (p): p is string => p !== null,
  );
  return {
    app:
      text(of('cloudapplicationevidence')?.displayName) ?? text(of('oauthapplicationevidence')?.displayName),
    ip: text(ip.ipAddress),
    location: place.length === 0 ? null : place.join(', '),
    at: text(alert.firstActivityDateTime) ?? text(alert.createdDateTime),
    newDevice: /new device|unfamiliar sign-in/i.test(title),
  };
}

/** One Graph alert (alerts_v2 shape) as the summary our Incident keeps. */
export function alertSummaryJson(raw: unknown): Json {
  const a = obj(raw);
  return {
    id: a.id,
    title: a.title,
    severity: a.severity,
    status: a.status,
    category: a.category,
    serviceSource: a.serviceSource,
    detectionSource: a.detectionSource,
    createdDateTime: a.createdDateTime,
    assets: Array.isArray(a.assets) ? a.assets : assetsOfEvidence(a.evidence),
    ...evidenceDetail(a),
  };
}

function evidenceDetail(a: Json): Json {
  if (!Array.isArray(a.evidence)) return { users: a.users, signIn: a.signIn };
  const users = usersOfEvidence(a.evidence);
  const signIn = signInOfEvidence(a);
  return { ...(users.length > 0 ? { users } : {}), ...(signIn === null ? {} : { signIn }) };
}

/** Graph's alertComment names its author `createdByDisplayName`; our Incident calls it `createdBy`. */
export function commentJson(raw: unknown): Json {
  const c = obj(raw);
  return {
    comment: c.comment,
    createdBy: c.createdBy ?? c.createdByDisplayName,
    createdDateTime: c.createdDateTime,
  };
}

/** Graph incident JSON → Incident of `customerId`; throws only when the id is missing (see parseIncident). */
export function incidentFromGraph(raw: unknown, customerId: string): Incident {
  const r = obj(raw);
  const alerts = Array.isArray(r.alerts) ? r.alerts.map(alertSummaryJson) : [];
  const comments = Array.isArray(r.comments) ? r.comments.map(commentJson) : [];
  return parseIncident({ ...r, alerts, comments }, customerId);
}

/** Incident ids Graph hands out are short digit strings; anything else cannot name an incident. */
export function isIncidentId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id);
}
