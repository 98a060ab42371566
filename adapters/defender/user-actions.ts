import type { KnownActionKind } from '../../bot/domain/enums.js';
import type { ResponseAction } from '../../bot/domain/incident.js';

// Microsoft Entra user actions through Microsoft Graph v1.0, all answered at once (no remote job to follow):
// disable: PATCH /users/{id} { accountEnabled: false } (User.EnableDisableAccount.All);
// revoke sessions: POST /users/{id}/revokeSignInSessions (User.RevokeSessions.All);
// force password reset: PATCH /users/{id} { passwordProfile: { forceChangePasswordNextSignIn: true } }
// (User-PasswordProfile.ReadWrite.All) — the user must set a new password at the next sign-in.

export const USER_KINDS: ReadonlySet<KnownActionKind> = new Set<KnownActionKind>([
  'disableUser',
  'revokeSessions',
  'forcePasswordReset',
]);

/** One user action as a Graph call. */
export interface UserCall {
  readonly method: 'PATCH' | 'POST';
  readonly url: string;
  readonly body: Record<string, unknown>;
  /** PATCH sets a value (safe to repeat); the revoke POST is harmless to repeat as well. */
  readonly idempotent: boolean;
}

// An object id (GUID) or a user principal name; nothing that could climb out of /users/{id}.
const USER_ID = /^([0-9a-fA-F-]{36}|[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+)$/;

/** The call for one action, or null when it is not a user action or the target is not a user id. */
export function userCall(action: ResponseAction): UserCall | null {
  const kind = action.kind;
  const id = action.target.id.trim();
  if (typeof kind !== 'string' || !USER_KINDS.has(kind)) return null;
  if (action.target.type !== 'user' || !USER_ID.test(id)) return null;
  const url = `/v1.0/users/${encodeURIComponent(id)}`;
  switch (kind) {
    case 'disableUser':
      return { method: 'PATCH', url, body: { accountEnabled: false }, idempotent: true };
    case 'forcePasswordReset':
      return {
        method: 'PATCH',
        url,
        body: { passwordProfile: { forceChangePasswordNextSignIn: true } },
        idempotent: true,
      };
    case 'revokeSessions':
      return { method: 'POST', url: `${url}/revokeSignInSessions`, body: {}, idempotent: true };
    default:
      return null;
  }
}
