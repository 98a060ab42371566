import { expect } from 'vitest';
import type { Observed, Surface } from '../../support/surfaces/surface.js';
import { all, has, type MatrixCase, settle, to } from './case-kit.js';

// The matrix's incident cases: a handoff alert in the channel that subscribed, the relay in its thread,
// Ask Defender Experts from the incident card, and guided response.

export const INCIDENT_CASES: readonly MatrixCase[] = [
  {
    capability: 'Handoff alert',
    name: 'posts the handoff alert card into the channel that subscribed',
    differences: {},
    async run(s, state) {
      let mark = await s.say('admin', 'subscribe', { channel: 'soc' });
      await s.waitFor(
        all(has(/subscri/i), (m) => m.channel === 'soc'),
        'the subscribe answer',
        mark,
      );
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
      const queueText = s.log
        .filter((m) => m.channel === 'queue' && m.seq > mark)
        .map((m) => m.text)
        .join('\n');
      expect(queueText).toContain(state.incident);
      expect(queueText).toContain('Contoso');
      // The copy itself names what it is about.
      expect(queued.where).toBe('thread');
      expect(queued.text).toContain(`incident #${state.incident}`);
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
      expect(back.text).toContain(`incident #${state.incident}`);
      // Each message went only where its sender meant: the customer's to the queue, the expert's to the thread.
      await settle(s);
      const copies = (re: RegExp) =>
        s.log.filter((m) => re.test(m.text)).map((m) => `${m.channel}/${m.where}`);
      expect(new Set(copies(/isolated already/))).toEqual(new Set(['queue/thread']));
      expect(new Set(copies(/isolated at 09:12/))).toEqual(new Set(['soc/thread']));
    },
  },
  {
    capability: 'Ask Defender Experts',
    name: 'asks from the incident card’s form; the expert claims, answers and resolves',
    differences: {
      teams:
        'from a channel’s card the form is drawn in place of the card for the clicker alone (the Universal Action’s answer), and once sent the card comes back for them with a note naming the request (a refused form stays, with the reason; Cancel gives the card back with "Question not sent"); in the personal chat it follows as a message, which Cancel turns into "Question not sent"',
      slack:
        'the Ask form opens as a modal (a dialog of its own), not drawn over the card; Slack’s own Close dismisses it, so it has no Cancel',
      console:
        'the form appears in the clicker’s own chat, whichever pane showed the card; Cancel turns it into "Question not sent"',
    },
    async run(s, state) {
      const alert = state.alert;
      if (alert === null) throw new Error('the handoff alert case did not run');
      // From the shared alert card, the form is for the clicker alone: nothing is drawn for the channel.
      let mark = await s.click('analyst', alert, 'question.form');
      const fromAlert = await s.waitFor(
        (m) => m.inputs.includes('qText'),
        'the Ask form from the alert',
        mark,
      );
      expect({ person: fromAlert.person, visibility: fromAlert.visibility }).toEqual({
        person: 'analyst',
        visibility: 'private',
      });
      if (s.name === 'teams') {
        await givesTheAlertBack(s, alert, fromAlert);
        await givesTheIncidentCardBack(s, state.incident);
      } else {
        mark = await s.submitForm('analyst', fromAlert, {
          qTopic: 'alertOrIncident',
          qText: 'Is the alert a real attack?',
        });
        await s.waitFor(
          all((m) => m.channel === 'queue', has(/Is the alert a real attack/)),
          'the request from the alert’s form in the queue',
          mark,
        );
      }
      mark = await s.say('analyst', `incident ${state.incident}`);
      const card = await s.waitFor(
        all(to('analyst'), (m) => m.buttons.some((b) => b.verb === 'question.form')),
        'the incident card with Ask',
        mark,
      );
      mark = await s.click('analyst', card, 'question.form');
      let form = await s.waitFor(
        all(to('analyst'), (m) => m.inputs.includes('qText')),
        'the Ask form',
        mark,
      );
      expect(form.visibility).toBe('private');
      expect(form.dialog).toBe(s.name === 'slack');
      // Opened by mistake: a modal has Slack's own Close; a form in the chat has a Cancel that sends nothing.
      expect(form.buttons.some((b) => b.verb === 'question.cancel')).toBe(s.name !== 'slack');
      if (s.name !== 'slack') form = await cancelsAndOpensAgain(s, card, form);
      mark = await s.submitForm('analyst', form, {
        qTopic: 'alertOrIncident',
        qText: 'Was the malware contained?',
      });
      const request = await s.waitFor(all(to('analyst'), has(/Q-[0-9A-Z]{6}/)), 'the request card', mark);
      const id = /Q-[0-9A-Z]{6}/.exec(request.text)?.[0] ?? '';
      const queueCard = await s.waitFor(
        all(
          (m) => m.channel === 'queue',
          has(new RegExp(id)),
          (m) => m.buttons.some((b) => b.verb === 'question.claim'),
        ),
        'the queue card with Claim',
      );
      expect(queueCard.text).toContain('Contoso');
      mark = await s.click('expert', queueCard, 'question.claim');
      // The queue card is redrawn (for everyone on Slack; for the clicker in Teams and the console).
      await s.waitFor(
        all((m) => m.id === queueCard.id, has(/Claimed by/)),
        'the claimed card',
        mark,
      );
      mark = await s.say('expert', 'It was contained by the isolation.', {
        thread: queueCard,
        mention: false,
      });
      const answer = await s.waitFor(
        all((m) => m.person === 'analyst' || m.channel === null, has(/contained by the isolation/)),
        'the expert’s answer for the asker',
        mark,
      );
      expect(answer.person).toBe('analyst');
      expect(answer.text).toContain('Defender Experts');
      mark = await s.click('expert', queueCard, 'question.resolve');
      await s.waitFor(
        all((m) => m.id === queueCard.id, has(/Resolved/)),
        'the resolved card',
        mark,
      );
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
      const after = await s.waitFor(
        all(to('responder'), has(/[Cc]ompleted/)),
        'the card after the click',
        mark,
      );
      expect(after.visibility).toBe('private');
      await s.waitFor(
        (m) =>
          m.channel === 'soc' &&
          m.text.includes('completed') &&
          (m.threadOf === state.alert?.id || m.id === state.alert?.id),
        'the alert updated with the completed action',
        mark,
      );
    },
  },
];

/**
 * Teams: the Ask form drawn over the shared alert card for the clicker. A refused submit keeps the form and
 * says why; a sent one gives the clicker the alert card back with a note naming the request. Nobody else's
 * view of the alert changes either way.
 */
async function givesTheAlertBack(s: Surface, alert: Observed, form: Observed): Promise<void> {
  const alertChanged = (after: number) =>
    s.log.filter((m) => m.seq > after && m.id === alert.id && m.visibility === 'shared');
  let mark = await s.submitForm('analyst', form, { qTopic: 'alertOrIncident', qText: '   ' });
  const refusal = await s.waitFor(all(to('analyst'), has(/Nothing to send/)), 'the refusal', mark);
  // A message for the clicker: the form stays drawn with what they typed.
  expect(refusal.update).toBe(false);
  expect(refusal.visibility).toBe('private');
  expect(s.log.filter((m) => m.seq > mark && m.visibility === 'shared')).toEqual([]);
  mark = await s.submitForm('analyst', form, {
    qTopic: 'alertOrIncident',
    qText: 'Is the alert a real attack?',
  });
  const back = await s.waitFor(
    all(to('analyst'), (m) => m.id === alert.id && m.update, has(/Q-[0-9A-Z]{6}/)),
    'the alert card given back',
    mark,
  );
  expect(back.visibility).toBe('private');
  expect(back.inputs).toEqual([]);
  expect(back.text).toMatch(/Sent to Defender Experts as Q-[0-9A-Z]{6}/);
  // The alert as it is now: the same facts, latest line and buttons as the channel's card.
  expect(back.facts).toEqual(alert.facts);
  expect(latest(back)).toBe(latest(alert));
  expect(back.buttons.map((b) => b.verb)).toEqual(alert.buttons.map((b) => b.verb));
  await settle(s);
  expect(alertChanged(mark)).toEqual([]);
  expect(
    s.log.filter((m) => m.seq > mark && m.channel === 'soc' && /Is the alert a real attack/.test(m.text))
      .length,
  ).toBeGreaterThan(0);
}

/**
 * A form in the clicker's own chat: Cancel turns it into "Question not sent" (the same on a second click)
 * and sends nothing; the card's Ask opens a fresh form. Returns that form.
 */
async function cancelsAndOpensAgain(s: Surface, card: Observed, form: Observed): Promise<Observed> {
  const start = s.mark();
  for (const click of ['first', 'second']) {
    const mark = await s.click('analyst', form, 'question.cancel');
    const gone = await s.waitFor(
      all(to('analyst'), (m) => m.id === form.id && m.update, has(/Question not sent/)),
      `the form replaced on the ${click} Cancel`,
      mark,
    );
    expect({ visibility: gone.visibility, inputs: gone.inputs, buttons: gone.buttons }).toEqual({
      visibility: 'private',
      inputs: [],
      buttons: [],
    });
  }
  await settle(s);
  // Nothing reached the experts.
  expect(s.log.filter((m) => m.seq > start && m.channel === 'queue')).toEqual([]);
  const mark = await s.click('analyst', card, 'question.form');
  return s.waitFor(
    all(to('analyst'), (m) => m.inputs.includes('qText')),
    'the Ask form again',
    mark,
  );
}

/**
 * Teams: the same for the incident card shown in a channel (its Ask form drawn in place, then the card back).
 * Cancel first gives the card back with nothing sent; the form drawn again is then sent.
 */
async function givesTheIncidentCardBack(s: Surface, incident: string): Promise<void> {
  let mark = await s.say('analyst', `incident ${incident}`, { channel: 'soc' });
  const card = await s.waitFor(
    all(
      (m) => m.channel === 'soc',
      (m) => m.buttons.some((b) => b.verb === 'question.form'),
    ),
    'the incident card in the channel',
    mark,
  );
  const openForm = async () => {
    const at = await s.click('analyst', card, 'question.form');
    return s.waitFor(
      all(to('analyst'), (m) => m.inputs.includes('qText')),
      'the form',
      at,
    );
  };
  let form = await openForm();
  expect({ id: form.id, visibility: form.visibility }).toEqual({ id: card.id, visibility: 'private' });
  mark = await s.click('analyst', form, 'question.cancel');
  const kept = await s.waitFor(
    all(to('analyst'), (m) => m.id === card.id && m.update, has(/Question not sent/)),
    'the incident card given back on Cancel',
    mark,
  );
  expect({ visibility: kept.visibility, inputs: kept.inputs }).toEqual({ visibility: 'private', inputs: [] });
  expect(kept.buttons.map((b) => b.verb)).toEqual(card.buttons.map((b) => b.verb));
  expect(kept.text).toContain(card.title ?? '');
  await settle(s);
  // Nobody else's view changed and nothing reached the experts.
  expect(
    s.log.filter(
      (m) => m.seq > mark && (m.channel === 'queue' || (m.id === card.id && m.visibility === 'shared')),
    ),
  ).toEqual([]);
  form = await openForm();
  expect({ id: form.id, visibility: form.visibility }).toEqual({ id: card.id, visibility: 'private' });
  mark = await s.submitForm('analyst', form, { qTopic: 'alertOrIncident', qText: 'Who else was sprayed?' });
  const back = await s.waitFor(
    all(to('analyst'), (m) => m.id === card.id && m.update, has(/Q-[0-9A-Z]{6}/)),
    'the incident card given back',
    mark,
  );
  expect(back.visibility).toBe('private');
  expect(back.inputs).toEqual([]);
  expect(back.text).toMatch(/Sent to Defender Experts as Q-[0-9A-Z]{6}/);
  expect(back.buttons.map((b) => b.verb)).toEqual(card.buttons.map((b) => b.verb));
  expect(back.text).toContain(card.title ?? '');
  await settle(s);
  expect(s.log.filter((m) => m.seq > mark && m.id === card.id && m.visibility === 'shared')).toEqual([]);
}

/** The alert card's "Latest:" line. */
const latest = (m: Observed): string | undefined => m.text.split('\n').find((l) => l.startsWith('Latest:'));
