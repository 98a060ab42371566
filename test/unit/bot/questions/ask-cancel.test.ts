import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../../bot/ports.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { findAll } from '../../cards/fixtures.js';
import { analyst, createRelayHarness, expert, type RelayHarness, woodgrove } from '../relay/relay-harness.js';

// Cancel on the Ask form, through the core with the real stores: nothing is sent or stored, the form gives
// way to a short notice (a form of its own) or to its source card for the clicker alone (a form drawn in
// place), a second click answers the same, and another customer's incident is never drawn.

const cardText = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');

describe('the Ask form’s Cancel', () => {
  let h: RelayHarness;
  let incidentId: string;
  beforeEach(async () => {
    h = await createRelayHarness();
    incidentId = await h.firstIncidentId();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  async function nothingSent(): Promise<void> {
    expect(await h.questions.listByAsker('contoso', 'web:contoso-analyst', 10)).toEqual([]);
    await h.worker.runOnce();
    expect(h.chat.deliveries).toEqual([]);
  }

  it('is on the form after Send, carries where the form came from and nothing typed, and skips validation', async () => {
    const [form] = await h.click(analyst, QUESTION_VERBS.questionForm, { incidentId, from: 'incident' });
    const executes = findAll(form?.card, 'Action.Execute');
    expect(executes.map((a) => a.verb)).toEqual([QUESTION_VERBS.questionAsk, QUESTION_VERBS.questionCancel]);
    expect(executes[1]).toMatchObject({
      title: 'Cancel',
      data: { incidentId, from: 'incident' },
      associatedInputs: 'none',
    });
  });

  it('replaces a form of its own with "Question not sent", the same on a second click, sending nothing', async () => {
    // What a host merges into the data (Slack sends the message's input state with every click) is dropped.
    const data = { incidentId, from: 'incident', qText: 'Was the malware contained?', qTopic: 'other' };
    const first = await h.click(analyst, QUESTION_VERBS.questionCancel, data);
    const second = await h.click(analyst, QUESTION_VERBS.questionCancel, data);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ mode: 'replace' });
    expect(first[0]?.ephemeral).toBeUndefined();
    expect(first[0]?.text).toMatch(/^Question not sent\n/);
    expect(cardText(first[0])).not.toContain('Was the malware contained');
    expect(findAll(first[0]?.card, 'Action.Execute')).toEqual([]);
    expect(second).toEqual(first);
    await nothingSent();
  });

  it('gives a form drawn in place its source card back for the clicker alone, with a note', async () => {
    for (const from of ['alert', 'incident'] as const) {
      const data = { incidentId, from, inPlace: true };
      const [back, ...rest] = await h.click(analyst, QUESTION_VERBS.questionCancel, data);
      expect(rest).toEqual([]);
      expect(back).toMatchObject({ mode: 'replace', ephemeral: true });
      expect(back?.text).toMatch(/^Question not sent — nothing went to Defender Experts\.\n/);
      expect(cardText(back)).toContain(incidentId);
      expect(findAll(back?.card, 'Input.Text')).toEqual([]);
      // The card's own buttons are back, Ask among them.
      expect(findAll(back?.card, 'Action.Execute').map((a) => a.verb)).toContain(QUESTION_VERBS.questionForm);
      expect(await h.click(analyst, QUESTION_VERBS.questionCancel, data)).toEqual([back]);
    }
    await nothingSent();
  });

  it('never draws another customer’s incident: their form in place gets the plain notice', async () => {
    const [back] = await h.click(woodgrove, QUESTION_VERBS.questionCancel, {
      incidentId,
      from: 'alert',
      inPlace: true,
    });
    expect(back).toMatchObject({ mode: 'replace', ephemeral: true });
    expect(back?.text).toMatch(/^Question not sent\n/);
    expect(cardText(back)).not.toContain(incidentId);
  });

  it('is refused to whoever may not open the form, and refuses malformed data, changing nothing', async () => {
    const refused = await h.click(expert, QUESTION_VERBS.questionCancel, { incidentId, from: 'alert' });
    expect(refused[0]?.text).toMatch(/^Not available here\n/);
    const malformed = await h.click(analyst, QUESTION_VERBS.questionCancel, {
      incidentId: '<b>42</b>',
      from: 'alert',
      inPlace: true,
    });
    expect(malformed[0]?.text).toMatch(/^Cannot do that\n/);
    await nothingSent();
  });
});
