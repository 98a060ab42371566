import { expect } from 'vitest';
import { type Observed, type Person, type Surface, type SurfaceName } from '../../support/surfaces/surface.js';

// One table of conversations, run unchanged on Teams, Slack and the dev console against the real bot
// process. Each case says, in its `differences`, where a surface behaves otherwise because the platform
// differs; the code branches on the surface only for what that column states.

/** What the cases hand on to later ones (the handed-off incident and its alert post). */
export interface MatrixState {
  incident: string;
  alert: Observed | null;
}

export interface MatrixCase {
  readonly capability: string;
  /** The test's name, the same on every surface. */
  readonly name: string;
  /** Where a surface differs from the others, and how; absent: the same everywhere. */
  readonly differences: Partial<Record<SurfaceName, string>>;
  run(s: Surface, state: MatrixState): Promise<void>;
}

const to = (person: Person) => (m: Observed) => m.person === person;
const has = (re: RegExp) => (m: Observed) => re.test(m.text);
const all =
  (...ps: ((m: Observed) => boolean)[]) =>
  (m: Observed) =>
    ps.every((p) => p(m));
const CUSTOMER_DATA = /Contoso|Fabrikam|Woodgrove|#\d{4,}/;

/**
 * Waits until nothing new has arrived for 1.5 s, so what a turn sends has all come in (Slack paces posts to one
 * conversation about one a second, so a follow-up can come a second after the first message).
 */
async function settle(s: Surface): Promise<void> {
  let last = -1;
  while (last !== s.mark()) {
    last = s.mark();
    await new Promise((r) => setTimeout(r, 1500));
    await s.waitFor(() => true, 'anything', -1).catch(() => undefined);
  }
}

/** The previous calendar month (UTC), the last one a business review may cover. */
function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export const MATRIX_CASES: readonly MatrixCase[] = [
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
      const inChannel = await s.waitFor(has(new RegExp(incident.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))), 'the answer in the channel', mark);
      expect(inChannel.channel).toBe('soc');
      expect(inChannel.where).toBe(s.name === 'console' ? 'channel' : 'thread');
    },
  },
  {
    capability: 'Handoff alert',
    name: 'posts the handoff alert card into the channel that subscribed',
    differences: {},
    async run(s, state) {
      let mark = await s.say('admin', 'subscribe', { channel: 'soc' });
      await s.waitFor(all(has(/subscri/i), (m) => m.channel === 'soc'), 'the subscribe answer', mark);
      mark = s.mark();
      state.incident = await s.sim.handoff();
      const alert = await s.waitFor(
        (m) => m.channel === 'soc' && m.where === 'channel' && !m.update && m.text.includes(state.incident),
        'the alert card in the channel',
        mark,
      );
      expect(alert.visibility).toBe('shared');
      expect(alert.text).toMatch(/Awaiting customer action/);
      state.alert = alert;
    },
  },
  {
    capability: 'Alert-thread relay',
    name: 'relays a reply in the alert thread to the experts and their answer back into that thread',
    differences: {},
    async run(s, state) {
      const alert = state.alert;
      if (alert === null) throw new Error('the handoff alert case did not run');
      let mark = await s.say('analyst', 'Is the device isolated already?', { thread: alert, mention: false });
      const queued = await s.waitFor(
        all((m) => m.channel === 'queue', has(/isolated already/)),
        'the reply in the experts’ queue',
        mark,
      );
      const queueText = s.log.filter((m) => m.channel === 'queue' && m.seq > mark).map((m) => m.text).join('\n');
      expect(queueText).toContain(state.incident);
      expect(queueText).toContain('Contoso');
      mark = await s.say('expert', 'Yes: isolated at 09:12.', { thread: queued, mention: false });
      const back = await s.waitFor(
        all((m) => m.channel === 'soc', has(/isolated at 09:12/)),
        'the expert’s answer in the alert thread',
        mark,
      );
      expect(back.where).toBe('thread');
      expect(back.threadOf).toBe(alert.id);
      expect(back.visibility).toBe('shared');
      expect(back.text).toContain('Defender Experts');
      expect(back.text).not.toContain('Defender Experts analyst');
    },
  },
  {
    capability: 'Ask Defender Experts',
    name: 'asks from the incident card’s form; the expert claims, answers and resolves',
    differences: {
      slack: 'the Ask form opens as a modal (a dialog of its own), not drawn over the card',
    },
    async run(s, state) {
      const alert = state.alert;
      if (alert === null) throw new Error('the handoff alert case did not run');
      // From the shared alert card, the form is for the clicker alone: nothing is drawn for the channel.
      let mark = await s.click('analyst', alert, 'question.form');
      const fromAlert = await s.waitFor((m) => m.inputs.includes('qText'), 'the Ask form from the alert', mark);
      expect({ person: fromAlert.person, visibility: fromAlert.visibility }).toEqual({
        person: 'analyst',
        visibility: 'private',
      });
      mark = await s.say('analyst', `incident ${state.incident}`);
      const card = await s.waitFor(
        all(to('analyst'), (m) => m.buttons.some((b) => b.verb === 'question.form')),
        'the incident card with Ask',
        mark,
      );
      mark = await s.click('analyst', card, 'question.form');
      const form = await s.waitFor(all(to('analyst'), (m) => m.inputs.includes('qText')), 'the Ask form', mark);
      expect(form.visibility).toBe('private');
      expect(form.dialog).toBe(s.name === 'slack');
      mark = await s.submitForm('analyst', form, { qTopic: 'alertOrIncident', qText: 'Was the malware contained?' });
      const request = await s.waitFor(all(to('analyst'), has(/Q-[0-9A-Z]{6}/)), 'the request card', mark);
      const id = /Q-[0-9A-Z]{6}/.exec(request.text)?.[0] ?? '';
      const queueCard = await s.waitFor(
        all((m) => m.channel === 'queue', has(new RegExp(id)), (m) => m.buttons.some((b) => b.verb === 'question.claim')),
        'the queue card with Claim',
      );
      expect(queueCard.text).toContain('Contoso');
      mark = await s.click('expert', queueCard, 'question.claim');
      // The queue card is redrawn (for everyone on Slack; for the clicker in Teams and the console).
      await s.waitFor(all((m) => m.id === queueCard.id, has(/Claimed by/)), 'the claimed card', mark);
      mark = await s.say('expert', 'It was contained by the isolation.', { thread: queueCard, mention: false });
      const answer = await s.waitFor(
        all((m) => m.person === 'analyst' || m.channel === null, has(/contained by the isolation/)),
        'the expert’s answer for the asker',
        mark,
      );
      expect(answer.person).toBe('analyst');
      expect(answer.text).toContain('Defender Experts');
      mark = await s.click('expert', queueCard, 'question.resolve');
      await s.waitFor(all((m) => m.id === queueCard.id, has(/Resolved/)), 'the resolved card', mark);
      await s.waitFor(all(to('analyst'), has(/resolved/), has(new RegExp(id))), 'the asker told', mark);
      mark = await s.say('analyst', 'questions');
      const mine = await s.waitFor(all(to('analyst'), has(new RegExp(id))), 'the asker’s questions', mark);
      expect(mine.text).toMatch(/Resolved/);
    },
  },
  {
    capability: 'Guided response',
    name: 'marks an action completed from the incident card; the alert follows',
    differences: {},
    async run(s, state) {
      let mark = await s.say('responder', `incident ${state.incident}`);
      const card = await s.waitFor(
        all(to('responder'), (m) => m.buttons.some((b) => b.verb === 'response.done')),
        'the incident card with guided response',
        mark,
      );
      const done = card.buttons.find((b) => b.verb === 'response.done');
      expect(done?.title).toBe('I’ve completed this action');
      mark = await s.click('responder', card, 'response.done');
      const after = await s.waitFor(all(to('responder'), has(/[Cc]ompleted/)), 'the card after the click', mark);
      expect(after.visibility).toBe('private');
      await s.waitFor(
        (m) => m.channel === 'soc' && m.text.includes('completed') && (m.threadOf === state.alert?.id || m.id === state.alert?.id),
        'the alert updated with the completed action',
        mark,
      );
    },
  },
  {
    capability: 'SDM contact',
    name: 'messages and escalates to the SDM from the SDM card’s forms; the SDM answers back',
    differences: {
      teams: 'the SDM’s personal chat has no threads: the SDM answers at its top level (one open request)',
      slack: 'the forms open as modals',
    },
    async run(s) {
      let mark = await s.say('analyst', 'sdm');
      const card = await s.waitFor(
        all(to('analyst'), (m) => m.buttons.some((b) => b.verb === 'sdm.form')),
        'the SDM card',
        mark,
      );
      mark = await s.click('analyst', card, 'Escalate');
      const form = await s.waitFor(all(to('analyst'), (m) => m.inputs.includes('sdmText')), 'the Escalate form', mark);
      mark = await s.submitForm('analyst', form, { sdmText: 'The handoff reached us 3 hours late.', sdmSeverity: 'high' });
      const toSdm = await s.waitFor(all(to('sdm'), has(/3 hours late/)), 'the escalation in the SDM’s chat', mark);
      expect(toSdm.text).toMatch(/Escalation/);
      expect(toSdm.visibility).toBe('private');
      await s.waitFor(all(to('analyst'), has(/Dana Reyes/)), 'the confirmation to the customer', mark);
      mark = await s.say('sdm', 'Calling you in ten minutes.', s.name === 'teams' ? {} : { thread: toSdm, mention: false });
      const back = await s.waitFor(has(/ten minutes/), 'the SDM’s answer for the customer', mark);
      expect(back.person === 'analyst' || back.channel === null).toBe(true);
      expect(back.text).toMatch(/Your SDM \(Dana Reyes\)/);
    },
  },
  {
    capability: 'Check-ins',
    name: 'starts a check-in in the channel; the customer edits an item and skips one with a reason',
    differences: {
      slack: 'the item form opens as a modal; a long checklist continues in its thread',
    },
    async run(s) {
      let mark = await s.say('sdm', 'checkin start contoso');
      const checklist = await s.waitFor(
        (m) => m.channel === 'soc' && m.where === 'channel' && /Readiness check-in/.test(m.text),
        'the checklist in the channel',
        mark,
      );
      expect(checklist.visibility).toBe('shared');
      await s.waitFor(all(to('sdm'), has(/Posted check-in/)), 'the confirmation to the SDM', mark);
      const item = async (): Promise<Observed> => {
        const parts = s.log.filter(
          (m) => (m.id === checklist.id || m.threadOf === checklist.id) && m.channel === 'soc',
        );
        const found = parts.reverse().find((m) => m.buttons.some((b) => b.verb === 'checkin.item'));
        if (found === undefined) throw new Error('no item button on the checklist');
        return found;
      };
      const edit = async (inputs: Record<string, string>, button: number): Promise<void> => {
        const where = await item();
        const target = where.buttons.filter((b) => b.verb === 'checkin.item')[button];
        if (target === undefined) throw new Error('not enough items');
        const m = await s.click('analyst', { ...where, buttons: [target] }, 'checkin.item');
        const form = await s.waitFor(all(to('analyst'), (x) => x.inputs.includes('itemState')), 'the item form', m);
        await s.submitForm('analyst', form, inputs);
      };
      mark = s.mark();
      await edit({ itemState: 'done' }, 0);
      // Everyone in the channel sees the edit: the posted checklist itself is redrawn, not only the clicker's view.
      await s.waitFor(
        (m) => m.id === checklist.id && m.update && m.visibility === 'shared' && /1 of 11 settled/.test(m.text),
        'the shared checklist redrawn for everyone',
        mark,
      );
      mark = await s.say('analyst', 'checkin');
      await s.waitFor(all(to('analyst'), has(/— Done/)), 'the item done', mark);
      await edit({ itemState: 'notApplicable', itemNote: 'No macOS devices here' }, 1);
      mark = await s.say('analyst', 'checkin');
      const skipped = await s.waitFor(all(to('analyst'), has(/No macOS devices here/)), 'the item skipped', mark);
      expect(skipped.text).toMatch(/Not applicable/);
    },
  },
  {
    capability: 'Reports',
    name: 'the SDM posts a month’s business review to the channel after a confirmation',
    differences: {},
    async run(s) {
      let mark = await s.say('sdm', `report contoso ${lastMonth()}`);
      const report = await s.waitFor(
        all(to('sdm'), (m) => m.buttons.some((b) => b.verb === 'report.post')),
        'the report card with Post',
        mark,
      );
      mark = await s.click('sdm', report, 'report.post');
      const confirm = await s.waitFor(
        all(to('sdm'), (m) => m.buttons.some((b) => b.verb === 'report.post' && b.data.confirmed === true)),
        'the confirmation',
        mark,
      );
      expect(confirm.visibility).toBe('private');
      expect(confirm.text).toMatch(/channel/);
      // Nothing reached the channel before the confirmation's own button.
      const early = s.log.filter((m) => m.seq > mark && m.channel === 'soc' && /Defender Experts report/.test(m.text));
      expect(early).toEqual([]);
      mark = await s.click('sdm', confirm, 'report.post');
      const posted = await s.waitFor(
        (m) => m.channel === 'soc' && m.where === 'channel' && m.visibility === 'shared' && /report/i.test(m.text),
        'the report in the channel',
        mark,
      );
      expect(posted.text).toContain('Contoso');
      await s.waitFor(all(to('sdm'), has(/Posted the .* report to \d+ Contoso Ltd channel/)), 'the SDM’s receipt', mark);
    },
  },
];
