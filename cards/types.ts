// The one view model: Adaptive Card 1.5 JSON plus the fallback text that Teams search, notifications and
// clients without card support show (Sentry#64152: a card without summary text shows as "unsupported").

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: '1.5';
  readonly $schema?: string;
  readonly body: readonly unknown[];
  readonly actions?: readonly unknown[];
  readonly fallbackText?: string;
  readonly [key: string]: unknown;
}

export interface CardMessage {
  readonly card: AdaptiveCard;
  readonly fallbackText: string;
}
