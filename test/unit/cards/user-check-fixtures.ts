import type { Incident } from '../../../bot/domain/incident.js';
import {
  incidentAlertCard,
  incidentDetailCard,
  userCheckQuestionCard,
  userCheckStatusCard,
} from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';

// "Was this you?" cards for the shared card checks (schema, fallback, verbs, injection, snapshots): the
// question open, answered and as a reminder; the requester's status with and without Withdraw; the urgent
// "No" line; and the incident and alert cards of an incident whose evidence names a person.

/** An incident whose alert names a person and describes a sign-in, built from `base`. */
export function identityIncident(base: Incident, hostile: string): Incident {
  return {
    ...base,
    id: '77',
    alerts: [
      {
        id: 'ad-77',
        title: 'Unfamiliar sign-in properties',
        severity: 'medium',
        status: 'new',
        category: 'InitialAccess',
        serviceSource: 'azureAdIdentityProtection',
        detectionSource: 'azureAdIdentityProtection',
        createdDateTime: '2026-11-20T03:12:00.000Z',
        assets: ['alex.wilber@contoso.example'],
        users: [{ upn: 'alex.wilber@contoso.example', objectId: '00000000-0000-4000-8000-0000000a1e77' }],
        signIn: { app: 'Exchange Online', ip: '203.0.113.7', location: hostile, at: null, newDevice: true },
      },
    ],
  };
}

export function userCheckCards(base: Incident, hostile: string, now: Date): [string, CardMessage][] {
  const incident = identityIncident(base, hostile);
  const question = (closed: string | null, reminder = false) =>
    userCheckQuestionCard({
      checkId: 'UC-7K2M9P',
      customerName: 'Contoso Ltd',
      incidentId: incident.id,
      seen: `Sign-in to Exchange Online from 203.0.113.7, ${hostile}, at 03:12 UTC, new device`,
      askedBy: hostile,
      closed,
      reminder,
    });
  const facts = [
    ['Incident', '77'],
    ['Person', 'alex.wilber@contoso.example'],
    ['Note', hostile],
  ] as const;
  return [
    ['user-check/question', question(null)],
    ['user-check/reminder', question(null, true)],
    ['user-check/answered', question(`You answered "No, this wasn't me". ${hostile}`)],
    [
      'user-check/asked',
      userCheckStatusCard({
        title: 'Asked alex.wilber@contoso.example: was this you?',
        text: hostile,
        tone: 'info',
        facts,
        cancel: { k: 'UC-7K2M9P', c: 'contoso' },
      }),
    ],
    [
      'user-check/urgent',
      userCheckStatusCard({
        title: "URGENT: alex.wilber@contoso.example says this wasn't them",
        text: hostile,
        tone: 'urgent',
        facts,
        cancel: null,
      }),
    ],
    ['user-check/incident', incidentDetailCard({ incident, commentsShown: 3, now })],
    ['user-check/incident-provider', incidentDetailCard({ incident, commentsShown: 3, now, readOnly: true })],
    [
      'user-check/alert',
      incidentAlertCard({ customerName: 'Contoso Ltd', incident, latest: 'Handed off to you', now }),
    ],
    [
      'user-check/alert-not-them',
      incidentAlertCard({
        customerName: 'Contoso Ltd',
        incident: {
          ...incident,
          userChecks: [
            { upn: hostile, state: 'answered', answer: 'no', answeredAt: '2026-11-20T03:14:00.000Z' },
            { upn: 'alex.wilber@contoso.example', state: 'asked', answer: null, answeredAt: null },
          ],
        },
        latest: `alex.wilber@contoso.example answered "Was this you?": No, this wasn't me.`,
        now,
      }),
    ],
    [
      'user-check/alert-answered',
      incidentAlertCard({
        customerName: 'Contoso Ltd',
        incident: {
          ...incident,
          userChecks: [
            { upn: 'alex.wilber@contoso.example', state: 'answered', answer: 'yes', answeredAt: null },
            { upn: hostile, state: 'answered', answer: 'unsure', answeredAt: '2026-11-20T03:14:00.000Z' },
          ],
        },
        latest: 'Handed off to you',
        now,
      }),
    ],
  ];
}
