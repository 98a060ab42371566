import { decodeExecute } from '../../../adapters/slack/render/action-codec.js';
import type { SlackBlock } from '../../../adapters/slack/render/block-kit.js';
import { type Button, buttonsOf } from '../slack-harness.js';
import type { ChannelName, ObservedButton, Person } from './surface.js';

// Who is who on the Slack surface (each matrix person's user and workspace, the two channels, each
// person's DM, the customers file), and what a person reads in Block Kit.

export const PEOPLE: Readonly<Record<Person, { readonly user: string; readonly team: string }>> = {
  analyst: { user: 'U0ALICE', team: 'T0CONTOSO' },
  responder: { user: 'U0RESP', team: 'T0CONTOSO' },
  admin: { user: 'U0ADMIN', team: 'T0CONTOSO' },
  expert: { user: 'U0EXPERT1', team: 'T0EXPERTS' },
  sdm: { user: 'U0DANA', team: 'T0EXPERTS' },
  unlinked: { user: 'U0OUTSIDER', team: 'T0STRANGER' },
};

export const CHANNELS: Readonly<Record<ChannelName, string>> = { soc: 'C0MATRIXSOC', queue: 'C0QUEUE' };

/** A person's DM with the bot (the stand-in's conversations.open answers D + the user id's tail). */
export const dm = (p: Person): string => `D${PEOPLE[p].user.slice(1)}`;

export const CUSTOMERS = [
  'customers:',
  '  - id: contoso',
  '    name: Contoso Ltd',
  '    expertsAccess: reader',
  '    slack: { teamId: T0CONTOSO }',
  '    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA }',
  '    responders: [ "slack:U0RESP" ]',
  '    admins: [ "slack:U0ADMIN" ]',
  'experts:',
  `  slack: { teamId: T0EXPERTS, channelId: ${CHANNELS.queue} }`,
  // The console's expert persona plays the provider's side of incidents (simulationControl).
  '  members: [ "slack:U0EXPERT1", "web:expert" ]',
  '',
].join('\n');

export const personOfDm = (channel: string): Person | null =>
  (Object.keys(PEOPLE) as Person[]).find((p) => dm(p) === channel) ?? null;
export const personOfUser = (user: unknown): Person | null =>
  (Object.keys(PEOPLE) as Person[]).find((p) => PEOPLE[p].user === user) ?? null;
export const channelName = (channel: string): ChannelName | null =>
  channel === CHANNELS.soc ? 'soc' : channel === CHANNELS.queue ? 'queue' : null;

/** Texts, title, facts and buttons of Block Kit blocks. */
export function viewBlocks(blocks: readonly SlackBlock[]) {
  const texts: string[] = [];
  const facts: Record<string, string> = {};
  let title: string | null = null;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
        texts.push(o.text);
        title ??= o.text;
        const fact = /^\*([^*]+)\*\n([\s\S]*)$/.exec(o.text);
        if (fact?.[1] !== undefined) facts[fact[1]] = fact[2] ?? '';
      }
      if (o.type === 'text' && typeof o.text === 'string') texts.push(o.text);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(blocks);
  const buttons: ObservedButton[] = buttonsOf(blocks).map((b: Button) => {
    const decoded = decodeExecute(b.action_id, b.value);
    return { title: b.text.text, verb: decoded?.verb ?? '', data: decoded?.data ?? {}, handle: b };
  });
  return { texts, facts, title, buttons };
}
