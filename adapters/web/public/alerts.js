// The "Alerts channel" pane: polls the console chat feed of the persona's alert channel (a customer's
// channel, or the experts' queue) and shows each post as a card with its thread lines beneath it.
import { api, el } from './api.js';
import { renderCard } from './cards.js';

const POLL_MS = 3000;

/** Builds the pane inside `root`; `onAction(persona, action)` runs actions clicked on alert cards. */
export function createAlertsPane(root, onAction) {
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
        since: 0,
        posts: new Map(),
        list: el('div', { class: 'alerts-feed', dataset: { conversation: conversationId } }),
      };
      feeds.set(conversationId, feed);
      body.append(feed.list);
    }
    return feed;
  }

  function thread(post, p) {
    return el(
      'ul',
      { class: 'thread' },
      post.thread.map((line) =>
        el(
          'li',
          {},
          el('span', { class: 'meta' }, new Date(line.at).toLocaleTimeString()),
          ' ',
          content(line.reply, p),
        ),
      ),
    );
  }

  function content(reply, p) {
    if (!reply.card) return el('span', { class: 'text' }, reply.text);
    const { element } = renderCard(reply.card, `alerts ${p.alertsConversationId}`, (action) =>
      onAction(p, action),
    );
    return element ?? el('span', { class: 'text' }, reply.text);
  }

  function render(feed, post, p) {
    const updated = post.updates.length > 0 ? ` · updated ${post.updates.length}×` : '';
    const node = el(
      'article',
      { class: 'alert-post', dataset: { message: post.messageId } },
      el('div', { class: 'meta' }, `${new Date(post.postedAt).toLocaleString()}${updated}`),
      content(post.reply, p),
      post.thread.length > 0 ? thread(post, p) : null,
    );
    const old = feed.posts.get(post.messageId);
    if (old?.isConnected) old.replaceWith(node);
    else feed.list.prepend(node);
    feed.posts.set(post.messageId, node);
  }

  async function poll() {
    const p = persona;
    if (!p || document.hidden) return;
    const feed = feedFor(p.alertsConversationId);
    try {
      const query = `conversation=${encodeURIComponent(p.alertsConversationId)}&since=${feed.since}`;
      const page = await api(`/alerts?${query}`);
      if (page.seq < feed.since) {
        feed.posts.clear();
        feed.list.replaceChildren();
      }
      for (const post of page.posts) render(feed, post, p);
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
      for (const other of feeds.values()) other.list.hidden = other !== feed;
      title.textContent = p.customerName !== null ? 'Alerts channel' : 'Experts queue';
      hint.textContent =
        p.customerName !== null
          ? `Alerts for ${p.customerName} will appear here: one post per incident handoff, updated in place, with its thread.`
          : "Questions and handoff-thread replies for the experts' queue will appear here.";
      hint.hidden = feed.posts.size > 0;
      poll();
      if (timer === null) timer = setInterval(poll, POLL_MS);
    },
  };
}
