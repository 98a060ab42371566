import type { AlertRule } from '../alerts/events.js';
import type { KnownSeverity } from '../domain/enums.js';
import type { IncidentView } from '../domain/incident.js';

// The chat grammar (docs/usage.md) as data. The parser produces these; flows consume them.

export type ReportPeriod =
  | { readonly kind: 'days'; readonly days: 7 | 30 | 90 }
  | { readonly kind: 'month'; readonly month: string };

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'summary' }
  | {
      readonly name: 'incidents';
      readonly view: IncidentView;
      readonly severity: KnownSeverity | null;
      readonly offset: number;
    }
  | { readonly name: 'incident'; readonly id: string; readonly allComments: boolean }
  /** Free-text search over the caller's own incidents (id, title, entities). */
  | { readonly name: 'find'; readonly text: string }
  /** The provider's side (experts, SDMs): one customer's incident or summary, named by customer id. */
  | { readonly name: 'incidentFor'; readonly customerId: string; readonly id: string }
  | { readonly name: 'summaryFor'; readonly customerId: string }
  | { readonly name: 'ask'; readonly incidentId: string | null; readonly text: string }
  | { readonly name: 'questions' }
  | { readonly name: 'sdm'; readonly message: string | null }
  | { readonly name: 'escalate'; readonly message: string }
  | {
      readonly name: 'report';
      readonly period: ReportPeriod;
      /** The customer an SDM asks about (`report contoso 2026-10`); absent for a customer's own people. */
      readonly customerId?: string | null;
    }
  | { readonly name: 'checkin'; readonly startFor: string | null }
  | { readonly name: 'messages'; readonly filter: '7d' | '30d' | 'open' }
  | {
      readonly name: 'subscribe';
      readonly rules: readonly AlertRule[] | null;
      readonly onCall: string | null;
    }
  | { readonly name: 'unsubscribe' };

export type CommandName = Command['name'];

/** What the parser returns when it cannot map the text: the hint says what was close. */
export interface ParseFailure {
  readonly name: 'unknown';
  readonly hint: string;
}
