// Who is talking to the bot, resolved from the platform identity before any flow runs.

export type Platform = 'teams' | 'slack' | 'web';

/** The platform identity as an adapter reports it; never trusted for customer selection by itself. */
export interface Principal {
  readonly platform: Platform;
  /** Platform user id (Slack U…, Teams AAD object id, console persona id). */
  readonly userId: string;
  /** Teams tenant id, Slack team id of the *user*, or the console persona's workspace key. */
  readonly workspaceId: string;
  readonly displayName: string;
}

export type Role = 'analyst' | 'responder' | 'admin' | 'expert' | 'sdm';

/**
 * The resolved caller. `customerId` is null for the provider's experts (who work across customers, one
 * request at a time) and for unlinked workspaces (who see nothing).
 */
export interface Actor {
  readonly principal: Principal;
  readonly qualifiedId: string;
  readonly customerId: string | null;
  readonly roles: ReadonlySet<Role>;
  readonly linked: boolean;
}

export const qualifiedUserId = (p: Pick<Principal, 'platform' | 'userId'>): string =>
  `${p.platform}:${p.userId}`;
