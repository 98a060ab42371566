import { expect } from 'vitest';
import type { Observed } from '../../support/surfaces/surface.js';
import { all, has, lastMonth, type MatrixCase, settle, to } from './case-kit.js';

// The matrix's service cases: contact with the SDM, readiness check-ins, and the business-review report.

export const SERVICE_CASES: readonly MatrixCase[] = [
  {
    capability: 'SDM contact',
    name: 'messages and escalates to the SDM from the SDM card’s forms; the SDM answers back',
    differences: {
      teams: 'the SDM’s personal chat has no threads: the SDM answers at its top level (one open request)',
      slack: 'the forms open as modals; the SDM answers in the thread of the message in their DM',
      console: 'the SDM answers in the thread of the message in their direct-messages pane',
    },
    async run(s) {
      /** Opens the SDM card's form of one kind, fills it in, and returns what reached the SDM. */
      const contact = async (kind: string, inputs: Record<string, string>, expected: RegExp) => {
        let mark = await s.say('analyst', 'sdm');
        const card = await s.waitFor(
          all(to('analyst'), (m) => m.buttons.some((b) => b.verb === 'sdm.form')),
          'the SDM card',
          mark,
        );
        const button = card.buttons.find((b) => b.verb === 'sdm.form' && b.data.kind === kind);
        if (button === undefined) throw new Error(`no ${kind} button on the SDM card`);
        mark = await s.click('analyst', card, button.title);
        const form = await s.waitFor(
          all(to('analyst'), (m) => m.inputs.includes('sdmText')),
          `the ${button.title} form`,
          mark,
        );
        expect(form.visibility).toBe('private');
        mark = await s.submitForm('analyst', form, inputs);
        const toSdm = await s.waitFor(all(to('sdm'), has(expected)), 'the message in the SDM’s chat', mark);
        expect(toSdm.visibility).toBe('private');
        await s.waitFor(
          all(to('analyst'), has(/reached Dana Reyes/)),
          'the confirmation to the customer',
          mark,
        );
        return toSdm;
      };
      const message = await contact(
        'message',
        { sdmText: 'Can we move the review to Thursday?' },
        /Thursday/,
      );
      const mark = await s.say(
        'sdm',
        'Thursday 10:00 works.',
        s.name === 'teams' ? {} : { thread: message, mention: false },
      );
      const back = await s.waitFor(has(/10:00 works/), 'the SDM’s answer for the customer', mark);
      expect(back.person).toBe('analyst');
      expect(back.text).toMatch(/Your SDM \(Dana Reyes\)/);
      const escalation = await contact(
        'escalation',
        { sdmText: 'The handoff reached us 3 hours late.', sdmSeverity: 'high' },
        /3 hours late/,
      );
      expect(escalation.text).toMatch(/Escalation \(high severity\)/);
    },
  },
  {
    capability: 'Check-ins',
    name: 'starts a check-in in the channel; the customer edits an item and skips one with a reason',
    differences: {
      teams:
        'the item form is drawn in place of the checklist for the clicker alone; the saved checklist is updated for everyone',
      slack:
        'the item form opens as a modal; a long checklist continues in its thread, and items there are edited too',
      console:
        'the item form appears in the clicker’s own chat; the checklist in the channel pane is redrawn',
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
      const edit = async (inputs: Record<string, string>, button: number): Promise<Observed> => {
        const where = await item();
        const target = where.buttons.filter((b) => b.verb === 'checkin.item')[button];
        if (target === undefined) throw new Error('not enough items');
        const m = await s.click('analyst', { ...where, buttons: [target] }, 'checkin.item');
        const form = await s.waitFor(
          all(to('analyst'), (x) => x.inputs.includes('itemState')),
          'the item form',
          m,
        );
        await s.submitForm('analyst', form, inputs);
        return where;
      };
      await settle(s);
      /** The checklist's own pages in its thread (Slack's continuation of a long card). */
      const pages = () =>
        s.log.filter((m) => m.threadOf === checklist.id && !m.update && m.visibility === 'shared').length;
      const pagesBefore = pages();
      mark = s.mark();
      const clicked = await edit({ itemState: 'done' }, 0);
      // The item is on the checklist's last page: on Slack, the continuation in its thread.
      expect(clicked.threadOf).toBe(s.name === 'slack' ? checklist.id : null);
      // Everyone in the channel sees the edit: the posted checklist itself is redrawn, not only the clicker's view.
      await s.waitFor(
        (m) =>
          m.id === checklist.id && m.update && m.visibility === 'shared' && /1 of 11 settled/.test(m.text),
        'the shared checklist redrawn for everyone',
        mark,
      );
      mark = await s.say('analyst', 'checkin');
      await s.waitFor(all(to('analyst'), has(/— Done/)), 'the item done', mark);
      await edit({ itemState: 'notApplicable', itemNote: 'No macOS devices here' }, 1);
      mark = await s.say('analyst', 'checkin');
      const skipped = await s.waitFor(
        all(to('analyst'), has(/No macOS devices here/)),
        'the item skipped',
        mark,
      );
      expect(skipped.text).toMatch(/Not applicable/);
      // Redrawn in place: no page of the checklist was posted again.
      await settle(s);
      expect(pages()).toBe(pagesBefore);
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
      const early = s.log.filter(
        (m) => m.seq > mark && m.channel === 'soc' && /Defender Experts report/.test(m.text),
      );
      expect(early).toEqual([]);
      mark = await s.click('sdm', confirm, 'report.post');
      const posted = await s.waitFor(
        (m) =>
          m.channel === 'soc' && m.where === 'channel' && m.visibility === 'shared' && /report/i.test(m.text),
        'the report in the channel',
        mark,
      );
      expect(posted.text).toContain('Contoso');
      await s.waitFor(
        all(to('sdm'), has(/Posted the .* report to \d+ Contoso Ltd channel/)),
        'the SDM’s receipt',
        mark,
      );
    },
  },
];
