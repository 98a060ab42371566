// The "Alerts channel" pane: polls the console chat feed of the persona's alert channel (a customer's
// channel, or the experts' queue) and shows each post as a card with its thread lines beneath it.
import { api, el, newDeliveryId } from './api.js';
import { renderCard } from './cards.js';

const POLL_MS = 3000;

/**
 * Builds the pane inside `root`; `onAction(persona, action)` runs actions clicked on alert cards, and
 * `onOwn(persona, reply)` receives each new message of the persona's own chat (shown in its transcript).
 */
export function createAlertsPane(root, onAction, onOwn = () => {}) {
  const feeds = new Map();
  const hint = el('p', { class: 'hint' });
  const body = el('div', { class: 'alerts-feeds' });
  const title = el('h2', {}, 'Alerts channel');
  root.replaceChildren(title, hint, body);
  let persona = null;
  let timer = null;

  function feedFor(conversationId) {
    let feed = feeds.get(conversationId);
    if (!feed) {
      feed = {
        conversationId,
        // The persona's own chat feed (its requests' cards and the answers to them), labelled in the pane.
        own:
          conversationId.startsWith('web:') &&
          !conversationId.startsWith('web:alerts:') &&
          conversationId !== 'web:experts-queue' &&
          !conversationId.startsWith('web:dm:'),
        since: 0,
        posts: new Map(),
        list: el('div', { class: 'alerts-feed', dataset: { conversation: conversationId } }),
        // What the persona wrote under each post, and what the bot answered them: the console's own record,
        // since the feed holds only what the bot posted (a platform shows your own messages itself).
        mine: new Map(),
        // Own chat messages already handed to the transcript (posts and thread lines, by message id).
        told: new Set(),
      };
      if (feed.own) feed.list.prepend(el('h3', { class: 'feed-label' }, 'Your requests and their answers'));
      feeds.set(conversationId, feed);
      body.append(feed.list);
    }
    return feed;
  }

  function thread(post, p, mine) {
    const lines = [
      ...post.thread.map((line) => ({ at: line.at, node: content(line.reply, p) })),
      ...mine.map((m) => ({ at: m.at, node: m.node })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return el(
      'ul',
      { class: 'thread' },
      lines.map((line) =>
        el('li', {}, el('span', { class: 'meta' }, new Date(line.at).toLocaleTimeString()), ' ', line.node),
      ),
    );
  }

  /** Keeps what the persona wrote under a post (and the bot's answer to it) and redraws the post. */
  function remember(feed, post, p, node) {
    const list = feed.mine.get(post.messageId) ?? [];
    list.push({ at: new Date().toISOString(), node });
    feed.mine.set(post.messageId, list);
    render(feed, post, p);
  }

  function content(reply, p) {
    if (!reply.card) return el('span', { class: 'text' }, reply.text);
    const { element } = renderCard(reply.card, `alerts ${p.alertsConversationId}`, (action) =>
      onAction(p, action),
    );
    return element ?? el('span', { class: 'text' }, reply.text);
  }

  /** A reply box under a post: the message goes into that post's thread (relayed to the other side). */
  function replyBox(feed, post, p) {
    const conversationId = feed.conversationId;
    const input = el('input', {
      type: 'text',
      class: 'thread-reply',
      placeholder: 'Reply in thread',
      maxLength: 4000,
    });
    const send = async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (text === '') return;
      input.value = '';
      const body = {
        personaId: p.id,
        deliveryId: newDeliveryId(),
        text,
        conversation: conversationId,
        threadId: post.messageId,
      };
      try {
        const answer = await api('/turn', body);
        remember(feed, post, p, el('span', { class: 'text own' }, `You: ${text}`));
        for (const reply of answer.replies ?? []) remember(feed, post, p, content(reply, p));
      } catch {
        input.value = text;
      }
      setTimeout(poll, 1500);
    };
    return el(
      'form',
      { class: 'thread-form', onsubmit: send },
      input,
      el('button', { type: 'submit' }, 'Reply'),
    );
  }

  /** Hands each new message of the persona's own chat to the transcript, once. */
  function tell(feed, post, p) {
    if (!feed.own) return;
    for (const m of [post, ...post.thread]) {
      if (feed.told.has(m.messageId)) continue;
      feed.told.add(m.messageId);
      onOwn(p, m.reply);
    }
  }

  function render(feed, post, p) {
    const updated = post.updates.length > 0 ? ` · updated ${post.updates.length}×` : '';
    const node = el(
      'article',
      { class: 'alert-post', dataset: { message: post.messageId } },
      el('div', { class: 'meta' }, `${new Date(post.postedAt).toLocaleString()}${updated}`),
      content(post.reply, p),
      post.thread.length > 0 || feed.mine.has(post.messageId)
        ? thread(post, p, feed.mine.get(post.messageId) ?? [])
        : null,
      // Every post that says "reply here" can be answered here, the persona's own chat feed included.
      replyBox(feed, post, p),
    );
    const old = feed.posts.get(post.messageId);
    if (old?.isConnected) old.replaceWith(node);
    else feed.list.prepend(node);
    feed.posts.set(post.messageId, node);
  }

  async function poll() {
    const p = persona;
    if (!p || document.hidden) return;
    await pollFeed(p, `web:${p.id}`);
    await pollFeed(p, p.alertsConversationId);
  }

  async function pollFeed(p, conversationId) {
    const feed = feedFor(conversationId);
    try {
      const query = `conversation=${encodeURIComponent(conversationId)}&since=${feed.since}`;
      const page = await api(`/alerts?${query}`);
      if (page.seq < feed.since) {
        feed.posts.clear();
        feed.list.replaceChildren();
      }
      for (const post of page.posts) {
        render(feed, post, p);
        tell(feed, post, p);
      }
      feed.since = page.seq;
      hint.hidden = feed.posts.size > 0;
    } catch {
      // The next poll tries again; the chat shows connection errors.
    }
  }

  return {
    show(p) {
      persona = p;
      const feed = feedFor(p.alertsConversationId);
      const own = feedFor(`web:${p.id}`);
      for (const other of feeds.values()) other.list.hidden = other !== feed && other !== own;
      // An SDM's pane is their direct messages (customers' messages and escalations, aging-handoff notes).
      const sdm = p.kind === 'sdm';
      const unlinked = p.kind === 'unlinked';
      const affected = p.kind === 'user';
      title.textContent = affected
        ? 'Direct messages'
        : p.customerName !== null
          ? 'Alerts channel'
          : sdm
            ? 'Direct messages'
            : unlinked
              ? 'Not linked'
              : 'Experts queue';
      hint.textContent = affected
        ? 'Questions the bot asks you ("Was this you?") arrive here. Only you can answer them.'
        : unlinked
          ? 'This workspace is not linked to a customer: the bot shows how to link it, and no customer’s data.'
          : p.customerName !== null
            ? `Alerts for ${p.customerName} will appear here: one post per incident handoff, updated in place, with its thread.`
            : sdm
              ? 'Messages, escalations and review requests from your customers appear here; reply in their thread.'
              : "Questions and handoff-thread replies for the experts' queue will appear here.";
      hint.hidden = feed.posts.size > 0;
      poll();
      if (timer === null) timer = setInterval(poll, POLL_MS);
    },
  };
}
