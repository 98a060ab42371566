import { Router } from 'express';
import { z } from 'zod/v4';
import type { Turn } from '../../bot/ports.js';
import type { ConsoleChat } from './console-chat.js';
import type { ConsoleDeps } from './console-deps.js';
import { HttpError, jsonBody, parseWith } from './http-json.js';
import type { Persona } from './personas.js';

// The chat half of the console API: who you can be, one turn as that persona (the same core entry point
// Teams and Slack use), and the proactive feed the Alerts pane polls.

/** Longest text the console forwards; the core then applies its own, smaller, polite limit. */
export const MAX_CONSOLE_TEXT = 20_000;

// One object with exactly one of text/action (not a union), so a bad field is named in the 400 message.
const turnBody = z
  .strictObject({
    personaId: z.string().min(1).max(200),
    // Made by the page once per message, so a resend (double click, retry) is de-duplicated by the core.
    deliveryId: z.uuid(),
    text: z.string().optional(),
    // A reply in a thread of one of the persona's feeds (a queue card, an alert post): relayed to the other side.
    conversation: z.string().min(1).max(300).optional(),
    threadId: z.string().min(1).max(200).optional(),
    action: z
      .strictObject({
        verb: z.string().min(1).max(200),
        data: z.record(z.string(), z.unknown()).default({}),
      })
      .optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.action === undefined), {
    message: 'send exactly one of text or action',
  });

const alertsQuery = z.object({
  conversation: z.string().min(1).max(300),
  since: z.coerce.number().int().min(0).default(0),
});

/**
 * Where a console turn happens: the persona's own chat, or a thread of a feed the persona sees (its alert
 * channel or the experts' queue, its own chat feed). Any other conversation is refused (400).
 */
export function conversationOf(
  persona: Persona,
  conversation: string | undefined,
  threadId: string | undefined,
): Turn['conversation'] {
  const own = `web:${persona.id}`;
  if (conversation === undefined && threadId === undefined)
    return { platform: 'web', id: own, threadId: null, kind: 'personal' };
  const id = conversation ?? own;
  if (id !== own && id !== persona.alertsConversationId)
    throw new HttpError(400, 'bad_conversation', `Persona "${persona.id}" cannot post in ${id}.`);
  const kind = id === own || id.startsWith('web:dm:') ? 'personal' : 'channel';
  return { platform: 'web', id, threadId: threadId ?? null, kind };
}

/** Finds a persona by id; an unknown id is the caller's mistake (400), never a silent default. */
export function personaOf(personas: ReadonlyMap<string, Persona>, id: string): Persona {
  const persona = personas.get(id);
  if (persona === undefined) throw new HttpError(400, 'unknown_persona', `There is no persona "${id}".`);
  return persona;
}

/** The routes under /console/api for personas, turns and alerts. */
export function chatApi(
  deps: ConsoleDeps,
  personas: ReadonlyMap<string, Persona>,
  chat: ConsoleChat,
): Router {
  const router = Router();

  router.get('/personas', (_req, res) => {
    res.json({
      personas: [...personas.values()],
      simulation: deps.simulation !== null,
    });
  });

  router.post('/turn', ...jsonBody, async (req, res) => {
    // Checked before the schema so an oversized message gets its own status, not a generic 400.
    const raw: unknown = req.body;
    if (
      typeof raw === 'object' &&
      raw !== null &&
      'text' in raw &&
      typeof raw.text === 'string' &&
      raw.text.length > MAX_CONSOLE_TEXT
    ) {
      throw new HttpError(
        413,
        'too_large',
        `Messages are limited to ${MAX_CONSOLE_TEXT.toLocaleString('en-US')} characters.`,
      );
    }
    const body = parseWith(turnBody, raw);
    const persona = personaOf(personas, body.personaId);
    const turn: Turn = {
      deliveryId: body.deliveryId,
      principal: persona.principal,
      conversation: conversationOf(persona, body.conversation, body.threadId),
      input:
        body.action === undefined
          ? // The page's delivery id is also the message id: the relay pairs and de-duplicates by it.
            { kind: 'message', text: body.text ?? '', attachmentCount: 0, messageId: body.deliveryId }
          : { kind: 'action', verb: body.action.verb, data: body.action.data },
    };
    const replies = await deps.bot.handleTurn(turn);
    res.json({ replies });
  });

  router.get('/alerts', (req, res) => {
    const query = parseWith(alertsQuery, req.query);
    res.json(chat.feed(query.conversation, query.since));
  });

  return router;
}
