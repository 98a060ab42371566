// One way to drive the bot on any chat surface: people say things, click buttons and fill in forms, and
// what the bot sends comes back as platform-neutral observed messages (text, card title, facts, buttons,
// where it landed and who can see it). Teams, Slack and the dev console each implement it against the real
// bot process, so one table of cases runs on all three.

/** The people of one customer (Contoso), the provider's expert and SDM, and someone no customer owns. */
export type Person = 'analyst' | 'responder' | 'admin' | 'expert' | 'sdm' | 'unlinked';

/** The two shared conversations of the matrix: the customer's alert channel and the experts' queue. */
export type ChannelName = 'soc' | 'queue';

export type SurfaceName = 'teams' | 'slack' | 'console';

/** A button as the person sees it: its title, and the verb and data it sends. */
export interface ObservedButton {
  readonly title: string;
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The platform's own handle for the click (Slack's button, with its action id and value). */
  readonly handle?: unknown;
}

/** One message the bot sent (or one it changed), as a person on the surface sees it. */
export interface Observed {
  /** Order of observation on this surface (marks compare against it). */
  readonly seq: number;
  /** The platform's id of the message (a Teams activity id, a Slack ts, a console message id). */
  readonly id: string;
  /** A personal chat, a channel's top level, or a thread under a channel post (or a personal post). */
  readonly where: 'personal' | 'channel' | 'thread';
  /** The shared conversation it is in (null for a personal chat). */
  readonly channel: ChannelName | null;
  /** Whose personal chat it is in, or who alone sees it. */
  readonly person: Person | null;
  /** Private: only `person` sees it (personal chat, ephemeral answer, a dialog); shared: everyone there. */
  readonly visibility: 'private' | 'shared';
  /** The id of the post whose thread this is in. */
  readonly threadOf: string | null;
  /** An edit of an earlier message (the id is that message's). */
  readonly update: boolean;
  /** A dialog of its own (a Slack modal), not drawn in the conversation. */
  readonly dialog: boolean;
  /** Notification text and every text of the card, joined. */
  readonly text: string;
  readonly title: string | null;
  readonly facts: Readonly<Record<string, string>>;
  readonly buttons: readonly ObservedButton[];
  /** Ids of the card inputs (a form); empty for a plain message. */
  readonly inputs: readonly string[];
  /** The surface's handle for clicking on it and replying under it. */
  readonly ref: unknown;
}

/** Where a person writes: their personal chat (default), a channel (mentioning the bot), or a thread. */
export interface Where {
  readonly channel?: ChannelName;
  /** Reply in this post's thread (a channel post, or a post in a personal chat where threads exist). */
  readonly thread?: Observed;
  /** In a channel or thread: address the bot (@mention); default true at a channel's top level. */
  readonly mention?: boolean;
}

/** What the provider's side does to an incident, played through the simulated incident source. */
export interface SimulationControl {
  /** A new incident of Contoso, investigated, classified true positive and handed to the customer. */
  handoff(): Promise<string>;
  /** Contoso's incident ids as the bot holds them. */
  incidents(): Promise<readonly { id: string; status: string; title: string }[]>;
}

/** One surface driving one real bot process. */
export interface Surface {
  readonly name: SurfaceName;
  /** Everything observed so far, in order. */
  readonly log: readonly Observed[];
  /** The current end of the log: pass it to waitFor to see only what comes after. */
  mark(): number;
  /** The person opens the app for the first time; null where the surface has no such event. */
  install(person: Person): Promise<number | null>;
  say(person: Person, text: string, where?: Where): Promise<number>;
  /** Clicks the button whose verb (or title) matches on `message`, with inputs merged in as a host does. */
  click(person: Person, message: Observed, button: string, inputs?: Record<string, string>): Promise<number>;
  /** Fills in and submits a form (a card with inputs, or a dialog). */
  submitForm(person: Person, form: Observed, inputs: Record<string, string>): Promise<number>;
  waitFor(predicate: (m: Observed) => boolean, what: string, after?: number): Promise<Observed>;
  readonly sim: SimulationControl;
  close(): Promise<void>;
}

/** The button on a message with this verb or title; fails listing the buttons there are. */
export function buttonOf(message: Observed, button: string): ObservedButton {
  const found =
    message.buttons.find((b) => b.verb === button) ?? message.buttons.find((b) => b.title === button);
  if (found === undefined) {
    const have = message.buttons.map((b) => `${b.title} (${b.verb})`).join(', ');
    throw new Error(`no "${button}" button on "${message.text.slice(0, 200)}"; buttons: ${have || 'none'}`);
  }
  return found;
}

/** Polls `log` until a message after `after` matches; fails naming what was seen. */
export async function waitInLog(
  log: () => readonly Observed[],
  refresh: () => Promise<void>,
  predicate: (m: Observed) => boolean,
  what: string,
  after = 0,
  timeoutMs = 20_000,
): Promise<Observed> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await refresh();
    const found = log().find((m) => m.seq > after && predicate(m));
    if (found !== undefined) return found;
    if (Date.now() > until) {
      const seen = log()
        .filter((m) => m.seq > after)
        .map(
          (m) => `  [${m.where}${m.channel ? `:${m.channel}` : ''} ${m.visibility}] ${m.text.slice(0, 160)}`,
        )
        .join('\n');
      throw new Error(`timed out waiting for ${what}; seen after the mark:\n${seen || '  nothing'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A per-surface sequence counter for observed messages. */
export function sequence(): () => number {
  let n = 0;
  return () => {
    n += 1;
    return n;
  };
}
