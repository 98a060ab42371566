import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../../bot/ports.js';
import { spawnBot } from '../spawn-bot.js';
import { viewCard } from './card-view.js';
import { simulationControl } from './sim-control.js';
import {
  buttonOf,
  type ChannelName,
  type Observed,
  type Person,
  type Surface,
  sequence,
  waitInLog,
} from './surface.js';

// The dev console surface: the real bot process with DEV_CONSOLE=on and its demo customers, driven through
// the console's HTTP API as the page drives it. A turn's answers are what the writer's page shows; the
// feeds (alert channel, experts' queue, each persona's chat and direct messages) are what everyone sees.

const PERSONAS: Readonly<Record<Person, string>> = {
  analyst: 'contoso-analyst',
  responder: 'contoso-responder',
  admin: 'contoso-admin',
  expert: 'expert',
  sdm: 'sdm:dana@provider.example',
  unlinked: 'unlinked',
};

const CHANNELS: Readonly<Record<ChannelName, string>> = {
  soc: 'web:alerts:contoso',
  queue: 'web:experts-queue',
};

/** The SDM's direct messages (where customers' messages to the SDM arrive). */
const SDM_DMS = 'web:dm:dana@provider.example';

interface Ref {
  readonly conversation: string;
  /** The thread a reply under this message goes to (the top-level post it is in or is). */
  readonly threadId: string | null;
}

interface FeedPost {
  readonly messageId: string;
  readonly seq: number;
  readonly reply: Reply;
  readonly thread: readonly { readonly messageId: string; readonly reply: Reply }[];
}

/** Who a conversation belongs to, for personal chats and direct messages. */
function ownerOf(conversation: string): Person | null {
  if (conversation === SDM_DMS) return 'sdm';
  const entry = Object.entries(PERSONAS).find(([, id]) => conversation === `web:${id}`);
  return entry === undefined ? null : (entry[0] as Person);
}

const channelOf = (conversation: string): ChannelName | null =>
  conversation === CHANNELS.soc ? 'soc' : conversation === CHANNELS.queue ? 'queue' : null;

/** Starts the bot process with the console and returns the console surface. */
export async function startConsoleSurface(): Promise<Surface> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dxb-matrix-console-'));
  const bot = spawnBot({
    DATA_DIR: dataDir,
    DEV_CONSOLE: 'on',
    SIMULATION_STEP_SECONDS: '0',
    RELAY_SETTLE_MS: '0',
    LOG_LEVEL: 'warn',
  });
  const url = await bot.ready;
  const log: Observed[] = [];
  const next = sequence();
  const cursors = new Map<string, number>();
  const known = new Map<string, { reply: string; thread: number }>();

  const observe = (
    reply: Reply,
    o: { id: string; conversation: string; threadOf: string | null; update: boolean; turn: Person | null },
  ): void => {
    const channel = channelOf(o.conversation);
    const card = viewCard(reply.card);
    const owner = ownerOf(o.conversation);
    const threadOf = o.threadOf;
    log.push({
      seq: next(),
      id: o.id,
      where: threadOf !== null ? 'thread' : channel !== null ? 'channel' : 'personal',
      channel,
      person: o.turn ?? owner,
      // A turn's answer is drawn on the writer's page only; feed posts are seen by everyone in the feed.
      visibility: o.turn !== null || owner !== null || reply.ephemeral === true ? 'private' : 'shared',
      threadOf,
      update: o.update,
      dialog: false,
      text: [reply.text, ...card.texts].join('\n'),
      title: card.title,
      facts: card.facts,
      buttons: card.buttons,
      inputs: card.inputs,
      // A reply under a feed post goes to its thread; under a turn's answer, where that turn was.
      ref: {
        conversation: o.conversation,
        threadId: o.turn !== null ? threadOf : (threadOf ?? o.id),
      } satisfies Ref,
    });
  };

  const feeds = [...Object.values(CHANNELS), ...Object.values(PERSONAS).map((p) => `web:${p}`), SDM_DMS];
  const refresh = async (): Promise<void> => {
    for (const conversation of feeds) {
      const since = cursors.get(conversation) ?? 0;
      const res = await fetch(
        `${url}/console/api/alerts?conversation=${encodeURIComponent(conversation)}&since=${since}`,
      );
      const page = (await res.json()) as { seq: number; posts: FeedPost[] };
      cursors.set(conversation, page.seq);
      for (const post of page.posts) {
        const key = `${conversation}/${post.messageId}`;
        const before = known.get(key);
        const reply = JSON.stringify(post.reply);
        if (before === undefined || before.reply !== reply) {
          observe(post.reply, {
            id: post.messageId,
            conversation,
            threadOf: null,
            update: before !== undefined,
            turn: null,
          });
        }
        for (const line of post.thread.slice(before?.thread ?? 0)) {
          observe(line.reply, {
            id: line.messageId,
            conversation,
            threadOf: post.messageId,
            update: false,
            turn: null,
          });
        }
        known.set(key, { reply, thread: post.thread.length });
      }
    }
  };

  let turns = 0;
  const turn = async (
    person: Person,
    body: Record<string, unknown>,
    at: { conversation: string | null; threadId: string | null; clicked: string | null },
  ): Promise<number> => {
    const mark = log.length === 0 ? 0 : (log.at(-1)?.seq ?? 0);
    const res = await fetch(`${url}/console/api/turn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        personaId: PERSONAS[person],
        deliveryId: randomUUID(),
        ...body,
        ...(at.conversation === null ? {} : { conversation: at.conversation }),
        ...(at.threadId === null ? {} : { threadId: at.threadId }),
      }),
    });
    const json = (await res.json()) as { replies?: Reply[] };
    if (res.status !== 200) throw new Error(`console turn answered ${res.status}: ${JSON.stringify(json)}`);
    const conversation = at.conversation ?? `web:${PERSONAS[person]}`;
    for (const reply of json.replies ?? []) {
      turns += 1;
      const replaced = reply.mode === 'replace' && at.clicked !== null;
      observe(reply, {
        id: replaced ? (at.clicked ?? '') : `turn-${turns}`,
        conversation,
        threadOf: at.threadId,
        update: replaced,
        turn: person,
      });
    }
    return mark;
  };

  const surface: Surface = {
    name: 'console',
    log,
    mark: () => log.at(-1)?.seq ?? 0,
    install: async () => null,
    say(person, text, where = {}) {
      if (where.thread !== undefined) {
        const ref = where.thread.ref as Ref;
        return turn(
          person,
          { text },
          { conversation: ref.conversation, threadId: ref.threadId, clicked: null },
        );
      }
      if (where.channel !== undefined)
        return turn(
          person,
          { text },
          { conversation: CHANNELS[where.channel], threadId: null, clicked: null },
        );
      return turn(person, { text }, { conversation: null, threadId: null, clicked: null });
    },
    click(person, message, title, inputs = {}) {
      const button = buttonOf(message, title);
      // As the page does: a card action is sent from the persona's own chat, whichever pane showed the card.
      return turn(
        person,
        { action: { verb: button.verb, data: { ...button.data, ...inputs } } },
        { conversation: null, threadId: null, clicked: message.ref === undefined ? null : message.id },
      );
    },
    submitForm(person, form, inputs) {
      const submit = form.buttons.find((b) => !/cancel/i.test(b.title));
      if (submit === undefined) throw new Error(`no submit button on the form "${form.text.slice(0, 120)}"`);
      return surface.click(person, form, submit.verb, inputs);
    },
    waitFor: (predicate, what, after = 0) => waitInLog(() => log, refresh, predicate, what, after),
    sim: simulationControl(url),
    async close() {
      bot.child.kill('SIGTERM');
      await bot.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await refresh();
  return surface;
}
