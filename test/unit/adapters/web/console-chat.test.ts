import { describe, expect, it } from 'vitest';
import {
  consoleAlertsConversation,
  consoleExpertsQueue,
  createConsoleChat,
} from '../../../../adapters/web/console-chat.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import { ChatDeliveryError } from '../../../../bot/errors.js';
import type { Reply } from '../../../../bot/ports.js';

// The console's ChatPort keeps a bounded in-memory feed per conversation that the Alerts pane polls.

const text = (t: string): Reply => ({ text: t, card: null, mode: 'new' });
const card = (title: string): Reply => ({
  text: title,
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: title }] },
  mode: 'new',
});
const clock = { now: () => new Date('2026-11-27T10:00:00.000Z') };
const contoso = consoleAlertsConversation('contoso');

describe('createConsoleChat', () => {
  it('posts a new entry with a generated id and serves it in the feed', async () => {
    const chat = createConsoleChat({ clock });
    const a = await chat.post(contoso, card('Incident 1 handed off'));
    const b = await chat.post(contoso, card('Incident 2 handed off'));
    expect(a.messageId).not.toBe(b.messageId);
    const page = chat.feed(contoso.id, 0);
    expect(page.posts.map((p) => p.messageId)).toEqual([a.messageId, b.messageId]);
    expect(page.posts[0]).toMatchObject({
      postedAt: '2026-11-27T10:00:00.000Z',
      reply: card('Incident 1 handed off'),
      updates: [],
      thread: [],
    });
    expect(chat.feed(contoso.id, page.seq).posts).toEqual([]);
  });

  it('keeps conversations apart', async () => {
    const chat = createConsoleChat({ clock });
    await chat.post(contoso, text('for contoso'));
    await chat.post(consoleExpertsQueue, text('for the experts'));
    expect(chat.feed(contoso.id, 0).posts.map((p) => p.reply.text)).toEqual(['for contoso']);
    expect(chat.feed(consoleAlertsConversation('fabrikam').id, 0).posts).toEqual([]);
  });

  it('updates a post in place, marks it updated and returns it as changed', async () => {
    const chat = createConsoleChat({ clock });
    const { messageId } = await chat.post(contoso, card('Awaiting customer action'));
    const before = chat.feed(contoso.id, 0).seq;
    await chat.update(contoso, messageId, card('Resolved'));
    const page = chat.feed(contoso.id, before);
    expect(page.posts).toHaveLength(1);
    expect(page.posts[0]?.messageId).toBe(messageId);
    expect(page.posts[0]?.reply).toEqual(card('Resolved'));
    expect(page.posts[0]?.updates).toEqual([{ at: '2026-11-27T10:00:00.000Z' }]);
    expect(chat.feed(contoso.id, 0).posts).toHaveLength(1);
  });

  it('adds thread lines under their root', async () => {
    const chat = createConsoleChat({ clock });
    const root = await chat.post(contoso, card('Handoff'));
    const line = await chat.reply(contoso, root.messageId, text('Device isolated by the experts'));
    expect(line.messageId).not.toBe(root.messageId);
    const post = chat.feed(contoso.id, 0).posts[0];
    expect(post?.thread).toEqual([
      {
        messageId: line.messageId,
        reply: text('Device isolated by the experts'),
        at: '2026-11-27T10:00:00.000Z',
      },
    ]);
    expect(post?.reply).toEqual(card('Handoff'));
  });

  it('rejects unknown message ids, ids of another conversation and non-web conversations', async () => {
    const chat = createConsoleChat({ clock });
    const { messageId } = await chat.post(contoso, text('x'));
    // An unknown message is "that message no longer exists" (as after a restart), not a gone channel.
    await expect(chat.update(contoso, 'web-msg-nope', text('y'))).rejects.toMatchObject({
      failure: 'messageGone',
    });
    await expect(chat.reply(contoso, 'web-msg-nope', text('y'))).rejects.toBeInstanceOf(ChatDeliveryError);
    await expect(chat.reply(contoso, 'web-msg-nope', text('y'))).rejects.toMatchObject({
      failure: 'messageGone',
    });
    const other = consoleAlertsConversation('fabrikam');
    await expect(chat.update(other, messageId, text('y'))).rejects.toMatchObject({ failure: 'messageGone' });
    const slack: ConversationRef = { platform: 'slack', id: 'slack:T1:C1', threadId: null, kind: 'channel' };
    await expect(chat.post(slack, text('y'))).rejects.toMatchObject({ code: 'bad_input' });
    expect(chat.feed(contoso.id, 0).posts[0]?.reply).toEqual(text('x'));
  });

  it('keeps only the newest posts per conversation and forgets evicted ids', async () => {
    const chat = createConsoleChat({ clock, maxPosts: 3 });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await chat.post(contoso, text(`post ${i}`))).messageId);
    expect(chat.feed(contoso.id, 0).posts.map((p) => p.reply.text)).toEqual(['post 3', 'post 4', 'post 5']);
    await expect(chat.update(contoso, ids[0] ?? '', text('late'))).rejects.toMatchObject({
      failure: 'messageGone',
    });
  });

  it('bounds each thread', async () => {
    const chat = createConsoleChat({ clock, maxThreadLines: 2 });
    const root = await chat.post(contoso, text('root'));
    for (let i = 1; i <= 4; i++) await chat.reply(contoso, root.messageId, text(`line ${i}`));
    const thread = chat.feed(contoso.id, 0).posts[0]?.thread ?? [];
    expect(thread.map((l) => l.reply.text)).toEqual(['line 3', 'line 4']);
  });

  it('answers everything again for a cursor from before a restart', async () => {
    const chat = createConsoleChat({ clock });
    await chat.post(contoso, text('x'));
    expect(chat.feed(contoso.id, 999).posts).toHaveLength(1);
  });
});
