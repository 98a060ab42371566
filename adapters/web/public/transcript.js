// One transcript per persona: the user's messages on the right, the bot's replies (cards rendered with
// the official renderer, or plain text) on the left. Switching persona shows that persona's transcript.
import { el } from './api.js';
import { renderCard } from './cards.js';

const time = () => new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Creates the transcripts inside `root`; `onAction(persona, action, messageEl)` runs card actions. */
export function createTranscripts(root, onAction) {
  const lists = new Map();

  function listFor(persona) {
    let list = lists.get(persona.id);
    if (!list) {
      list = el(
        'div',
        { class: 'transcript', dataset: { persona: persona.id }, role: 'log', 'aria-label': persona.label },
        el(
          'p',
          { class: 'intro' },
          `You are ${persona.principal.displayName} (${persona.roles.join(', ') || 'no role'}). `,
          persona.kind === 'unlinked'
            ? 'This workspace is not linked to any customer. Say anything to see what the bot answers there.'
            : persona.principal.workspaceId === 'experts'
              ? 'Customer commands work in a customer’s workspace; drive the simulated service from the expert panel. Try "help".'
              : 'Try "incidents awaiting", "summary" or "help".',
        ),
      );
      lists.set(persona.id, list);
      root.append(list);
    }
    return list;
  }

  function scroll(list) {
    list.scrollTop = list.scrollHeight;
  }

  // A card taller than the view is shown from its top (its title), anything else scrolls to the end.
  function reveal(list, first) {
    if (first && first.offsetHeight > list.clientHeight)
      list.scrollTop = first.offsetTop - list.offsetTop - 8;
    else scroll(list);
  }

  function bubble(kind, ...content) {
    return el(
      'div',
      { class: `msg ${kind}` },
      el('div', { class: 'meta' }, kind === 'user' ? `You · ${time()}` : `Bot · ${time()}`),
      el('div', { class: 'bubble' }, ...content),
    );
  }

  function replyContent(persona, reply, message) {
    if (!reply.card) return [el('div', { class: 'text' }, reply.text)];
    const { element, issues } = renderCard(reply.card, `persona ${persona.id}`, (action) =>
      onAction(persona, action, message),
    );
    const out = [element ?? el('div', { class: 'text' }, reply.text)];
    if (issues.length > 0) {
      out.push(
        el(
          'ul',
          { class: 'card-issues', title: 'Adaptive Cards renderer issues (dev only)' },
          issues.map((i) => el('li', {}, `${i.phase} · ${i.event}: ${i.message}`)),
        ),
      );
    }
    return out;
  }

  return {
    show(persona) {
      const list = listFor(persona);
      for (const other of lists.values()) other.hidden = other !== list;
      scroll(list);
    },
    addUser(persona, text) {
      const list = listFor(persona);
      list.append(bubble('user', el('div', { class: 'text' }, text)));
      scroll(list);
    },
    /** Adds replies; a 'replace' reply takes the place of the clicked card's message, if there was one. */
    addReplies(persona, replies, source) {
      const list = listFor(persona);
      let replaceable = source ?? null;
      let first = null;
      if (replies.length === 0) {
        list.append(
          el('p', { class: 'system' }, 'No reply (a resend of a delivery the bot already answered).'),
        );
      }
      for (const reply of replies) {
        const message = bubble('bot');
        message.querySelector('.bubble').append(...replyContent(persona, reply, message));
        if (reply.mode === 'replace' && replaceable?.isConnected) {
          replaceable.replaceWith(message);
          message.classList.add('replaced');
          replaceable = null;
        } else {
          list.append(message);
        }
        first ??= message;
      }
      reveal(list, first);
    },
    addError(persona, text) {
      const list = listFor(persona);
      list.append(el('p', { class: 'system error', role: 'alert' }, text));
      scroll(list);
    },
    /** Shows a typing indicator until the returned function is called. */
    pending(persona) {
      const list = listFor(persona);
      const dots = el('p', { class: 'system typing' }, 'Bot is typing…');
      list.append(dots);
      scroll(list);
      return () => dots.remove();
    },
  };
}
