import { createQuestionsStore } from '../../../../adapters/store/questions/questions-store.js';
import { createRelayStore } from '../../../../adapters/store/relay/relay-store.js';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { QuestionDesk } from '../../../../bot/questions/desk.js';
import type { QuestionsStore } from '../../../../bot/questions/questions-ports.js';
import { registerQuestionHooks } from '../../../../bot/questions/service.js';
import { createRelay, type Relay } from '../../../../bot/relay/relay.js';
import type { RelayStore } from '../../../../bot/relay/relay-ports.js';
import { createRelayWorker, type RelayWorker } from '../../../../bot/relay/relay-worker.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';
import { createRecordingChat, type RecordingChat } from '../../../support/recording-chat.js';

// The core harness with Ask Defender Experts wired in: the relay and questions stores on the harness's
// SQLite file, a recording chat for every platform, and the worker run by hand (no timers).

export const QUEUE: ConversationRef = {
  platform: 'web',
  id: 'web:experts-queue',
  threadId: null,
  kind: 'channel',
};
export const analyst = webUser('contoso-analyst', 'customer:contoso');
export const woodgrove = webUser('woodgrove-analyst', 'customer:woodgrove');
export const expert: Principal = { ...webUser('expert', 'experts'), displayName: 'Eve Expert' };
export const notExpert = webUser('visitor', 'experts');

export interface RelayHarness extends CoreHarness {
  readonly chat: RecordingChat;
  readonly relay: Relay;
  readonly relayStore: RelayStore;
  readonly questions: QuestionsStore;
  readonly worker: RelayWorker;
  /** Moves the clock past the settle window and delivers everything due. */
  flush(): Promise<number>;
  /** The id of the customer's newest mirrored incident (the simulation seeds every customer with some). */
  firstIncidentId(customerId?: string): Promise<string>;
}

/** Faults to inject into the real relay store: the next N openPair calls fail (a crash mid-turn). */
export interface RelayFaults {
  failOpenPair: number;
}

/** Builds the harness; `settleMs` is the relay's ordering window. */
export async function createRelayHarness(settleMs = 1_000, faults?: RelayFaults): Promise<RelayHarness> {
  let relay: Relay | null = null;
  let relayStore: RelayStore | null = null;
  let questions: QuestionsStore | null = null;
  let chat: RecordingChat | null = null;
  let worker: RelayWorker | null = null;
  const core = await createCoreHarness({
    deps: async ({ store, clock, logger, directory }) => {
      const real = await createRelayStore(store.host);
      relayStore =
        faults === undefined
          ? real
          : {
              ...real,
              openPair: async (pair, drafts) => {
                if (faults.failOpenPair > 0) {
                  faults.failOpenPair -= 1;
                  throw new Error('SQLITE_IOERR: disk I/O error (injected)');
                }
                return real.openPair(pair, drafts);
              },
            };
      questions = await createQuestionsStore(store.host);
      chat = createRecordingChat(clock);
      const c = chat;
      worker = createRelayWorker({ store: relayStore, chatFor: () => c, clock, logger });
      relay = createRelay({ store: relayStore, clock, logger, settleMs });
      registerQuestionHooks({ relay, questions, store, directory, clock, logger });
      const desk: QuestionDesk = { store: questions, queue: QUEUE };
      return { relay, questions: desk };
    },
  });
  if (relay === null || relayStore === null || questions === null || chat === null || worker === null)
    throw new Error('relay harness not wired');
  const w: RelayWorker = worker;
  return {
    ...core,
    chat,
    relay,
    relayStore,
    questions,
    worker: w,
    async flush() {
      core.clock.advance(settleMs + 1);
      return w.runOnce();
    },
    async firstIncidentId(customerId = 'contoso') {
      const page = await core.store.listIncidents({
        customerId,
        view: 'all',
        severity: null,
        limit: 1,
        offset: 0,
      });
      const id = page.items[0]?.id;
      if (id === undefined) throw new Error(`no incident of ${customerId} in the harness`);
      return id;
    },
  };
}
