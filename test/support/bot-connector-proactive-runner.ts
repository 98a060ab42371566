import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createSimulatedSource } from '../../adapters/simulated/simulated-source.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createPlatforms } from '../../adapters/wiring/platforms.js';
import { createBot } from '../../bot/bot.js';
import { demoDirectory } from '../../bot/config/demo-customers.js';
import { loadConfig } from '../../bot/config/env.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError, ChatDeliveryError } from '../../bot/errors.js';
import { type Logger, type Reply, systemClock } from '../../bot/ports.js';

// Child-process side of the proactive tests: the composition root's createPlatforms builds the Teams
// adapter from the environment (NODE_EXTRA_CA_CERTS must be set at process start, hence a child), and the
// test drives its ChatPort over stdin/stdout, one JSON line per call.

type Request =
  | { id: number; op: 'post'; conversation: ConversationRef; reply: Reply }
  | { id: number; op: 'update'; conversation: ConversationRef; messageId: string; reply: Reply }
  | { id: number; op: 'reply'; conversation: ConversationRef; threadId: string; reply: Reply }
  | { id: number; op: 'burst'; conversation: ConversationRef; reply: Reply; count: number }
  | { id: number; op: 'audience'; conversation: ConversationRef }
  | { id: number; op: 'shape'; conversation: ConversationRef; membershipType: string; hostTenant: string }
  | { id: number; op: 'delayFor'; conversation: ConversationRef };

const write = (line: unknown): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const errorOf = (e: unknown) => ({
  message: e instanceof Error ? e.message : String(e),
  code: e instanceof BotError ? e.code : null,
  failure: e instanceof ChatDeliveryError ? e.failure : null,
});

const dir = mkdtempSync(join(tmpdir(), 'teams-proactive-'));
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
};
const config = loadConfig({ ...process.env, DATA_DIR: dir });
const directory = demoDirectory();
const store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger });
const source = createSimulatedSource({ customers: directory.customers, seed: 7, clock: systemClock });
const bot = createBot({ store, source, directory, clock: systemClock, logger });
const platforms = await createPlatforms(config, { directory, store, clock: systemClock, logger });
platforms.bind(bot);
await platforms.start();
const chat = platforms.chat.teams;
if (chat === undefined) throw new Error('Teams is not configured in this environment');

createInterface({ input: process.stdin }).on('line', (line) => {
  const req = JSON.parse(line) as Request;
  const run = async (): Promise<unknown> => {
    switch (req.op) {
      case 'post':
        return chat.post(req.conversation, req.reply);
      case 'update':
        return chat.update(req.conversation, req.messageId, req.reply);
      case 'reply':
        return chat.reply(req.conversation, req.threadId, req.reply);
      case 'delayFor':
        return chat.delayFor(req.conversation);
      case 'burst':
        return Promise.all(
          Array.from({ length: req.count }, () =>
            chat.post(req.conversation, req.reply).then(
              (posted) => ({ ok: true, posted }),
              (e: unknown) => ({ ok: false, error: errorOf(e) }),
            ),
          ),
        );
      case 'audience':
        return chat.audience?.(req.conversation) ?? null;
      case 'shape':
        // What the adapter remembers from a channel's activities (as if one had arrived from it).
        return store.saveInstallation('teams-shape', req.conversation.id, {
          membershipType: req.membershipType,
          hostTenant: req.hostTenant,
        });
    }
  };
  run().then(
    (value) => write({ id: req.id, ok: true, value: value ?? null }),
    (e: unknown) => write({ id: req.id, ok: false, error: errorOf(e) }),
  );
});
process.stdin.on('end', () => {
  void platforms.stop().then(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
write({ ready: true });
