import { expect } from 'vitest';
import { all, CUSTOMER_DATA, has, type MatrixCase, settle, to } from './case-kit.js';
import { INCIDENT_CASES } from './cases-incidents.js';
import { SERVICE_CASES } from './cases-service.js';

// One table of conversations, run unchanged on Teams, Slack and the dev console against the real bot
// process. Each case says, in its `differences`, where a surface behaves otherwise because the platform
// differs; the code branches on the surface only for what that column states. The cases run in this
// order in one bot process per surface (later ones use the incident and alert the handoff case made).

export type { MatrixCase, MatrixState } from './case-kit.js';

const FIRST_CASES: readonly MatrixCase[] = [
  {
    capability: 'Onboarding / unlinked',
    name: 'welcomes a new person, and gives an unlinked person only how to link',
    differences: {
      teams: 'welcome on app install (conversationUpdate) in the personal chat',
      slack: 'welcome the first time the Messages tab is opened (app_home_opened), in the DM',
      console: 'no install event: picking the persona is the start; its first `help` is the introduction',
    },
    async run(s) {
      const installed = await s.install('analyst');
      if (installed === null) {
        expect(s.name).toBe('console');
        const mark = await s.say('analyst', 'help');
        await s.waitFor(all(to('analyst'), has(/ask/i)), 'the help card', mark);
      } else {
        const welcome = await s.waitFor(
          all(to('analyst'), has(/Welcome to Defender Experts/)),
          'the welcome',
          installed,
        );
        expect(welcome.where).toBe('personal');
        expect(welcome.visibility).toBe('private');
      }
      await settle(s);
      for (const text of ['what needs my action?', 'incidents all']) {
        const mark = await s.say('unlinked', text);
        const answer = await s.waitFor(to('unlinked'), `the answer to "${text}"`, mark);
        expect(answer.text).toMatch(/not linked to Defender Experts/);
        // Nothing else reached anyone: no data of any customer.
        await new Promise((r) => setTimeout(r, 300));
        for (const m of s.log.filter((x) => x.seq > mark)) {
          expect({ person: m.person, text: m.text.slice(0, 120) }).toMatchObject({ person: 'unlinked' });
          expect(m.text).not.toMatch(CUSTOMER_DATA);
          expect(m.buttons.filter((b) => b.verb.startsWith('incident'))).toEqual([]);
        }
      }
    },
  },
  {
    capability: 'Status query',
    name: 'answers natural status questions in the personal chat and in a channel',
    differences: {
      console: 'a channel has no new thread under a top-level message: the answer is drawn under the message',
    },
    async run(s) {
      let mark = await s.say('analyst', 'what needs my action?');
      const list = await s.waitFor(to('analyst'), 'the awaiting list', mark);
      expect(list.where).toBe('personal');
      expect(list.visibility).toBe('private');
      expect(list.text).toMatch(/Awaiting customer action/);
      const [incident] = await s.sim.incidents();
      if (incident === undefined) throw new Error('the simulation holds no Contoso incident');
      mark = await s.say('analyst', `what's the status of ${incident.id}`);
      const card = await s.waitFor(to('analyst'), 'the incident card', mark);
      expect(card.text).toContain(incident.title);
      expect(card.text).toContain(incident.status);
      mark = await s.say('analyst', `status of #${incident.id}`, { channel: 'soc' });
      const inChannel = await s.waitFor(
        has(new RegExp(incident.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))),
        'the answer in the channel',
        mark,
      );
      expect(inChannel.channel).toBe('soc');
      expect(inChannel.where).toBe(s.name === 'console' ? 'channel' : 'thread');
    },
  },
];

export const MATRIX_CASES: readonly MatrixCase[] = [...FIRST_CASES, ...INCIDENT_CASES, ...SERVICE_CASES];
