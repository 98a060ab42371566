import type { Platform } from './actor.js';
import type { ConversationRef } from './conversation.js';
import type { AlertSummary, Incident, UserEvidence } from './incident.js';

// "Was this you?": the bot asks the person an incident's evidence names whether the activity was theirs.
// The question, its answer and its reminders are one record; only that person may answer it.

export const USER_CHECK_ANSWERS = ['yes', 'no', 'unsure'] as const;
export type UserCheckAnswer = (typeof USER_CHECK_ANSWERS)[number];

export const USER_CHECK_STATES = ['asked', 'answered', 'cancelled', 'unreachable'] as const;
export type UserCheckState = (typeof USER_CHECK_STATES)[number];

/** How an answer reads on cards and in the incident's comments. */
export const ANSWER_LABELS: Readonly<Record<UserCheckAnswer, string>> = {
  yes: 'Yes, this was me',
  no: "No, this wasn't me",
  unsure: "I'm not sure",
};

/** Where a person is told things later (reminders, results): their platform, DM workspace and user id. */
export interface PersonAddress {
  readonly platform: Platform;
  /** What ChatPort.directConversation takes as the workspace (adapter-built; opaque here). */
  readonly workspace: string;
  readonly userId: string;
  readonly name: string;
  /** Their own direct conversation with the bot when the request came from one. */
  readonly direct: ConversationRef | null;
}

export interface UserCheck {
  /** "UC-7K2M9P". */
  readonly id: string;
  readonly customerId: string;
  readonly incidentId: string;
  /** The affected user as the evidence names them (UPN, compared in lower case). */
  readonly upn: string;
  readonly platform: Platform;
  /** The platform id the answer must come from (Teams Entra object id, Slack U…, console persona). */
  readonly targetUserId: string | null;
  readonly dm: ConversationRef | null;
  readonly dmMessageId: string | null;
  /** What was seen, as asked ("Sign-in to Exchange Online from 203.0.113.7, Lagos, at 03:12 UTC"). */
  readonly seen: string;
  readonly requesterId: string;
  readonly requester: PersonAddress;
  readonly state: UserCheckState;
  readonly answer: UserCheckAnswer | null;
  readonly note: string | null;
  readonly answeredAt: string | null;
  /** Why the person could not be asked (state unreachable), or who withdrew the question. */
  readonly reason: string | null;
  readonly createdAt: string;
  readonly remindedAt: string | null;
  readonly escalatedAt: string | null;
  /** The answer's comment on the incident: none yet, waiting to be written, or written. */
  readonly comment: 'none' | 'pending' | 'written';
  readonly commentAttempts: number;
}

/** A user principal name as evidence spells it; anything else (DOMAIN\name, a device) is not one. */
export const UPN = /^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,63}$/;

/** The people an incident's evidence names (structured user evidence first, then UPN-shaped assets). */
export function affectedUsers(incident: Pick<Incident, 'alerts'>): readonly UserEvidence[] {
  const found = new Map<string, UserEvidence>();
  for (const alert of incident.alerts) {
    for (const u of alert.users ?? []) {
      const key = u.upn.toLowerCase();
      if (UPN.test(u.upn) && (found.get(key)?.objectId ?? null) === null) found.set(key, u);
    }
    for (const asset of alert.assets) {
      if (UPN.test(asset) && !found.has(asset.toLowerCase()))
        found.set(asset.toLowerCase(), { upn: asset, objectId: null });
    }
  }
  return [...found.values()];
}

const names = (alert: AlertSummary, upn: string): boolean =>
  alert.assets.some((a) => a.toLowerCase() === upn) ||
  (alert.users ?? []).some((u) => u.upn.toLowerCase() === upn);

const hhmm = (iso: string | null): string | null => {
  if (iso === null || Number.isNaN(Date.parse(iso))) return null;
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
};

/**
 * What was seen, for the question: the first sign-in the evidence of an alert naming this user describes
 * ("Sign-in to Exchange Online from 203.0.113.7, Lagos, at 03:12 UTC, new device"), else that alert's title
 * and time. Plain text: the card escapes it.
 */
export function seenFor(incident: Pick<Incident, 'alerts' | 'displayName'>, upn: string): string {
  const key = upn.toLowerCase();
  const alerts = incident.alerts.filter((a) => names(a, key));
  const withSignIn = alerts.find((a) => a.signIn !== undefined);
  const s = withSignIn?.signIn;
  if (withSignIn !== undefined && s !== undefined) {
    const parts = [
      `Sign-in${s.app === null ? '' : ` to ${s.app}`}${s.ip === null ? '' : ` from ${s.ip}`}`,
      s.location,
      (() => {
        const t = hhmm(s.at ?? withSignIn.createdDateTime);
        return t === null ? null : `at ${t}`;
      })(),
      s.newDevice ? 'new device' : null,
    ].filter((p): p is string => p !== null && p !== '');
    return parts.join(', ');
  }
  const first = alerts[0];
  if (first === undefined) return incident.displayName;
  const t = hhmm(first.createdDateTime);
  return t === null ? first.title : `${first.title}, at ${t}`;
}

/** Check ids as the service makes them. */
export const isUserCheckId = (v: unknown): v is string =>
  typeof v === 'string' && /^UC-[0-9A-Z]{6,12}$/.test(v);
