import express, { type Router } from 'express';
import type { Directory } from '../../bot/domain/customer.js';
import { listThreads, MESSAGE_FILTERS, type MessagesFilter } from '../../bot/messages/history.js';
import { messagesCsv } from '../../bot/messages/messages-csv.js';
import type { Clock, Store } from '../../bot/ports.js';
import type { QuestionsStore } from '../../bot/questions/questions-ports.js';
import type { RelayStore } from '../../bot/relay/relay-ports.js';
import type { LinkSigner } from './signed-links.js';

// The messages view's CSV at a signed, expiring URL (the report CSV's signing): the scope (which customers),
// the filter and the reader are all inside the signed path, so a link cannot be widened to another customer
// or another person's unread marks. Computed when fetched, so it is current.

const CUSTOMER = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const READER = /^[A-Za-z0-9:@._+-]{1,200}$/;

/** "all" or customer ids joined by commas → the ids (null: every customer), or undefined when malformed. */
function scopeOf(raw: string, directory: Directory): readonly string[] | null | undefined {
  if (raw === 'all') return null;
  const ids = raw.split(',');
  if (ids.length === 0 || ids.length > 100 || !ids.every((id) => CUSTOMER.test(id))) return undefined;
  return ids.filter((id) => directory.customers.some((c) => c.id === id));
}

/** GET /messages/:scope/:filter/:reader/messages.csv?exp&sig. */
export function createMessagesFilesRouter(deps: {
  readonly signer: LinkSigner;
  readonly relay: RelayStore;
  readonly questions: QuestionsStore | undefined;
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
}): Router {
  const router = express.Router();
  router.get('/messages/:scope/:filter/:reader/messages.csv', async (req, res, next) => {
    try {
      const { scope, filter, reader } = req.params;
      const verdict = deps.signer.check(req.path, req.query.exp, req.query.sig, deps.clock.now());
      const customerIds = scopeOf(scope, deps.directory);
      const known = (MESSAGE_FILTERS as readonly string[]).includes(filter);
      if (verdict === 'forbidden' || customerIds === undefined || !known || !READER.test(reader)) {
        res.status(403).type('text/plain').send('This link is not valid.');
        return;
      }
      if (verdict === 'expired') {
        res
          .status(410)
          .type('text/plain')
          .send('This link has expired. Ask the bot for your messages again.');
        return;
      }
      const { rows } = await listThreads(
        { relay: deps.relay, questions: deps.questions, store: deps.store, directory: deps.directory },
        { customerIds, filter: filter as MessagesFilter, reader, now: deps.clock.now() },
      );
      const name = `defender-experts-messages-${scope === 'all' ? 'all' : scope.split(',')[0]}-${filter}.csv`;
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Cache-Control', 'private, no-store');
      res.set('X-Content-Type-Options', 'nosniff');
      res.set('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
      res.send(messagesCsv(rows));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
