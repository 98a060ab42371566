import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../../bot/ports.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';

// `help` per role over the real core: each role sees only the commands it can use, in the form
// it can use them.

const analyst = webUser('contoso-analyst', 'customer:contoso');
const admin = webUser('contoso-admin', 'customer:contoso');
const expert = webUser('expert', 'experts');
const dana = { ...webUser('dana@provider.example', 'experts'), displayName: 'Dana Reyes' };

const helpText = async (h: CoreHarness, who: typeof analyst): Promise<string> => {
  const replies: readonly Reply[] = await h.say(who, 'help');
  expect(replies).toHaveLength(1);
  return replies[0]?.text ?? '';
};

let h: CoreHarness;
beforeAll(async () => {
  h = await createCoreHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('help by role', () => {
  it("shows a customer's people their own forms, none of the SDM's", async () => {
    const text = await helpText(h, analyst);
    expect(text).toContain('report [7d|30d|90d|YYYY-MM]');
    expect(text).toMatch(/^- checkin:/m);
    expect(text).not.toContain('(SDM)');
    expect(text).not.toContain('<customer>');
    expect(text).not.toContain('subscribe');
    expect(await helpText(h, admin)).toContain('subscribe');
  });

  it('shows experts the queue and no report or check-in', async () => {
    const text = await helpText(h, expert);
    expect(text).toMatch(/^- questions: The experts’ question queue/m);
    expect(text).not.toMatch(/^- report/m);
    expect(text).not.toMatch(/^- checkin/m);
    expect(text).not.toMatch(/^- incidents/m);
  });

  it('shows the SDM reports and check-ins by customer, and no question queue', async () => {
    const text = await helpText(h, dana);
    expect(text).toContain('report <customer> [7d|30d|90d|YYYY-MM]');
    expect(text).toContain('checkin start <customer>');
    expect(text).not.toMatch(/^- questions/m);
  });
});

describe('refusals by role', () => {
  it('gives the SDM its own answer for customer commands, not the experts’ queue', async () => {
    const [reply] = await h.say(dana, 'incidents');
    expect(reply?.text).toContain('As their SDM');
    expect(reply?.text).not.toContain('queue');
    const [toExpert] = await h.say(expert, 'summary');
    expect(toExpert?.text).toContain('queue');
  });
});
