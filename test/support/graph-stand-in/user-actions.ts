import { type GraphAnswer, graphError } from './graph-api.js';

// Microsoft Entra users on the Graph stand-in: GET /v1.0/users/{id | UPN} ("Was this you?" finds a person's
// object id), and for guided response PATCH /v1.0/users/{id}
// (accountEnabled, passwordProfile.forceChangePasswordNextSignIn) and POST /v1.0/users/{id}/revokeSignInSessions,
// answered as Graph v1.0 answers them (204 for a PATCH, 200 { value: true } for the revoke).

export interface StandInUser {
  readonly id: string;
  readonly userPrincipalName: string;
  accountEnabled: boolean;
  forceChangePasswordNextSignIn: boolean;
  /** How many times revokeSignInSessions was called. */
  revocations: number;
}

/** Users per tenant; tests add users and read their state after a run. */
export class UserDirectory {
  private readonly tenants = new Map<string, Map<string, StandInUser>>();

  add(tenantId: string, id: string, userPrincipalName: string): StandInUser {
    const user: StandInUser = {
      id,
      userPrincipalName,
      accountEnabled: true,
      forceChangePasswordNextSignIn: false,
      revocations: 0,
    };
    let users = this.tenants.get(tenantId);
    if (users === undefined) {
      users = new Map();
      this.tenants.set(tenantId, users);
    }
    users.set(id.toLowerCase(), user);
    users.set(userPrincipalName.toLowerCase(), user);
    return user;
  }

  get(tenantId: string, idOrUpn: string): StandInUser | undefined {
    return this.tenants.get(tenantId)?.get(idOrUpn.toLowerCase());
  }
}

const DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/**
 * GET /v1.0/users/{id | userPrincipalName} as Graph answers it: the default property set, or exactly the
 * `$select`ed ones (an unknown property is a 400), with the @odata.context of the entity.
 */
function userGet(user: StandInUser, url: URL): GraphAnswer {
  const all: Record<string, unknown> = {
    businessPhones: [],
    displayName: user.userPrincipalName.split('@')[0] ?? '',
    givenName: null,
    jobTitle: null,
    mail: user.userPrincipalName,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: user.accountEnabled,
  };
  const select = url.searchParams.get('$select');
  const wanted = select === null ? [...DEFAULT_PROPERTIES] : select.split(',').map((p) => p.trim());
  const unknown = wanted.find((p) => !(p in all));
  if (unknown !== undefined)
    return graphError(
      400,
      'Request_BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`,
    );
  const body: Record<string, unknown> = {
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users(${select === null ? '' : wanted.join(',')})/$entity`,
  };
  for (const p of wanted) body[p] = all[p];
  return { status: 200, body };
}

const USER_PATH = /^\/v1\.0\/users\/([^/]+)(\/revokeSignInSessions)?$/;

/** Answers a /v1.0/users call, or null when the path is not one (the incident routes answer it). */
export function userActionAnswer(
  users: UserDirectory,
  tenantId: string,
  method: string,
  url: URL,
  body: string,
): GraphAnswer | null {
  const m = USER_PATH.exec(url.pathname);
  if (m === null) return null;
  const user = users.get(tenantId, decodeURIComponent(m[1] ?? ''));
  if (user === undefined) {
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${decodeURIComponent(m[1] ?? '')}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (m[2] !== undefined) {
    if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Use POST.');
    user.revocations += 1;
    return {
      status: 200,
      body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true },
    };
  }
  if (method === 'GET') return userGet(user, url);
  if (method !== 'PATCH')
    return graphError(405, 'Request_BadRequest', 'Only GET and PATCH are modelled here.');
  let patch: Record<string, unknown>;
  try {
    patch = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
  const profile = patch.passwordProfile as { forceChangePasswordNextSignIn?: unknown } | undefined;
  const known = Object.keys(patch).every((k) => k === 'accountEnabled' || k === 'passwordProfile');
  if (!known || (patch.accountEnabled !== undefined && typeof patch.accountEnabled !== 'boolean')) {
    return graphError(400, 'Request_BadRequest', 'Invalid property in the request.');
  }
  if (typeof patch.accountEnabled === 'boolean') user.accountEnabled = patch.accountEnabled;
  if (profile !== undefined) {
    if (typeof profile.forceChangePasswordNextSignIn !== 'boolean') {
      return graphError(400, 'Request_BadRequest', 'passwordProfile needs forceChangePasswordNextSignIn.');
    }
    user.forceChangePasswordNextSignIn = profile.forceChangePasswordNextSignIn;
  }
  return { status: 204, body: null };
}
