// Links to an incident in the Microsoft Defender portal, as people paste them into chat. Only the two
// forms the portal itself produces are recognised, read strictly: anything else is not ours to preview.

/** The one host whose links the bot previews (Slack's unfurl domain and the Teams message handler's). */
export const DEFENDER_PORTAL_HOST = 'security.microsoft.com';

/** A recognised portal link: the incident id and, when the link names one, the Entra tenant it belongs to. */
export interface IncidentLink {
  readonly id: string;
  readonly tenantId: string | null;
}

const MAX_URL_LENGTH = 2048;
const INCIDENT_PATHS = [/^\/incidents\/(\d{1,12})\/?$/, /^\/incident2\/(\d{1,12})\/overview\/?$/];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `https://security.microsoft.com/incidents/<id>[?tid=<tenant>]` or `…/incident2/<id>/overview[?tid=…]`:
 * https only, exactly that host (no port, no credentials), a numeric id, and `tid` a GUID when present.
 * Anything else is null.
 */
export function parseIncidentLink(raw: string): IncidentLink | null {
  if (raw.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname !== DEFENDER_PORTAL_HOST || url.port !== '') return null;
  if (url.username !== '' || url.password !== '') return null;
  const id = INCIDENT_PATHS.map((p) => p.exec(url.pathname)?.[1]).find((m) => m !== undefined);
  if (id === undefined) return null;
  const tids = url.searchParams.getAll('tid');
  if (tids.length > 1) return null;
  const tid = tids[0] ?? null;
  if (tid !== null && !GUID.test(tid)) return null;
  // Leading zeros name the same incident: "00042" is 42.
  return { id: String(Number(id)), tenantId: tid === null ? null : tid.toLowerCase() };
}
