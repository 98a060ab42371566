import { ALERT_RULES, type AlertRule, DEFAULT_RULES } from '../../alerts/events.js';
import { admins } from '../../authz/grants.js';
import {
  subscribe as subscribeChannel,
  unsubscribe as unsubscribeChannel,
} from '../../flows/channel-alerts.js';
import { customerCtx } from '../../flows/context.js';
import { defineCommand, type ParseFailure } from '../define.js';

// `subscribe` and `unsubscribe`: an admin turns incident alerts on or off in a channel.

export type SubscribeCommand = {
  readonly name: 'subscribe';
  readonly rules: readonly AlertRule[] | null;
  readonly onCall: string | null;
};
export type UnsubscribeCommand = { readonly name: 'unsubscribe' };

const RULE_WORDS: Readonly<Record<string, readonly AlertRule[]>> = {
  all: ALERT_RULES,
  default: DEFAULT_RULES,
  handoff: ['handedOff'],
  handoffs: ['handedOff'],
  resolved: ['resolvedTruePositive', 'resolvedOther'],
  tp: ['resolvedTruePositive'],
  'true-positive': ['resolvedTruePositive'],
  started: ['expertsStarted'],
  investigating: ['expertsStarted'],
  classification: ['classificationChanged'],
  comments: ['commentAdded'],
  actions: ['actionChanged'],
  reopened: ['reopened'],
};

/** `subscribe [all|handoff|resolved|tp|started|classification|comments|actions|reopened…] [oncall <id>]`. */
function subscribeCommand(args: readonly string[]): SubscribeCommand | ParseFailure {
  const rules = new Set<AlertRule>();
  let onCall: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const word = (args[i] ?? '').toLowerCase().replace(/,$/, '');
    if (word === 'oncall' || word === 'on-call') {
      const who = args[i + 1];
      if (who === undefined || !/^[A-Za-z0-9@._:^!<>|-]{1,128}$/.test(who)) {
        return { name: 'unknown', hint: 'Try: subscribe oncall <user or group id>' };
      }
      onCall = who.replace(/^<[@!]?(?:subteam\^)?([A-Za-z0-9]+)(?:\|[^>]*)?>$/, '$1');
      i += 1;
      continue;
    }
    const found = RULE_WORDS[word];
    if (found === undefined) {
      return {
        name: 'unknown',
        hint: `"${word}" is not an alert type. Try: subscribe [all|handoff|resolved|tp|started|classification|comments|actions|reopened] [oncall <id>]`,
      };
    }
    for (const r of found) rules.add(r);
  }
  return {
    name: 'subscribe',
    rules: rules.size === 0 ? null : ALERT_RULES.filter((r) => rules.has(r)),
    onCall,
  };
}

export const subscribe = defineCommand<SubscribeCommand>({
  name: 'subscribe',
  parse: ({ args }) => subscribeCommand(args),
  usage: 'subscribe [all|handoff|resolved|tp|comments|actions…] [oncall <id>] (admin, in a channel)',
  description: 'Post incident alerts to this channel (default: handoffs and true positives resolved)',
  teams: ['channel'],
  requires: admins,
  handle: (ctx, c) => subscribeChannel(customerCtx(ctx), c),
});

export const unsubscribe = defineCommand<UnsubscribeCommand>({
  name: 'unsubscribe',
  // With words after it, "unsubscribe" is not the command; the looser phrasings may still map the message.
  parse: ({ args }) => (args.length === 0 ? { name: 'unsubscribe' } : null),
  usage: 'unsubscribe (admin, in a channel)',
  description: 'Stop incident alerts in this channel',
  teams: ['channel'],
  requires: admins,
  handle: (ctx) => unsubscribeChannel(customerCtx(ctx)),
});
