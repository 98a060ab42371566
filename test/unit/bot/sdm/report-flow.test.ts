import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../../bot/ports.js';
import type { SdmDeps } from '../../../../bot/sdm/deps.js';
import { VERBS } from '../../../../cards/verbs.js';
import { type CoreHarness, webUser } from '../../../support/core-harness.js';
import type { RecordingChat } from '../../../support/recording-chat.js';
import { createSdmFlowHarness } from './sdm-deps.js';

// `report` through the real core: the caller's own customer, or (for an SDM) a customer they manage; the
// card carries the figures, a signed chart and CSV link, and the SDM can post a month to the service channel.

const analyst = webUser('contoso-analyst', 'customer:contoso');
const dana = webUser('dana@provider.example', 'experts');
const sam = webUser('sam@provider.example', 'experts');
const expert = webUser('expert', 'experts');

let h: CoreHarness;
let chat: RecordingChat;
let sdm: SdmDeps;
const confirmed = { customer: 'contoso', period: '2026-10', confirmed: true };
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
const findAll = (node: unknown, type: string): Record<string, unknown>[] => {
  if (Array.isArray(node)) return node.flatMap((n) => findAll(n, type));
  if (typeof node !== 'object' || node === null) return [];
  const rec = node as Record<string, unknown>;
  return [...(rec.type === type ? [rec] : []), ...Object.values(rec).flatMap((v) => findAll(v, type))];
};

beforeEach(async () => {
  ({ h, chat, sdm } = await createSdmFlowHarness());
});

afterEach(async () => {
  await h.cleanup();
});

describe('report', () => {
  it('answers a customer’s people with their report: figures, chart image and CSV link', async () => {
    const [reply] = await h.say(analyst, 'report 90d');
    expect(reply?.text).toMatch(/Defender Experts report — Contoso Ltd — Last 90 days/);
    expect(reply?.text).toMatch(/Investigated \d+/);
    const [image] = findAll(reply?.card, 'Image');
    expect(String(image?.url)).toMatch(
      /^http:\/\/127\.0\.0\.1:3978\/reports\/contoso\/90d-[a-f0-9]+\/chart\.png\?exp=\d+&sig=/,
    );
    const [csv] = findAll(reply?.card, 'Action.OpenUrl');
    expect(String(csv?.url)).toMatch(/\/report\.csv\?exp=/);
    // No "post" button for the customer; the stored snapshot backs the links.
    expect(findAll(reply?.card, 'Action.Execute').map((a) => a.verb)).not.toContain(VERBS.reportPost);
    const id = /reports\/contoso\/([^/]+)\//.exec(String(image?.url))?.[1] ?? '';
    const stored = await sdm.store.getReport('contoso', id);
    expect(JSON.parse(stored?.figures ?? '{}').periodKey).toBe('90d');
  });

  it('never shows another customer’s report', async () => {
    expect(texts(await h.say(analyst, 'report fabrikam 30d'))).toMatch(/No such customer/);
    expect(texts(await h.say(sam, 'report contoso 30d'))).toMatch(/not the SDM of "contoso"/);
    expect(texts(await h.say(expert, 'report contoso 7d'))).toMatch(/Only a customer’s people and their SDM/);
    expect(texts(await h.click(analyst, VERBS.reportShow, { customer: 'fabrikam', period: '7d' }))).toMatch(
      /No such customer/,
    );
  });

  it('asks an SDM with several customers which one, and refuses bad periods', async () => {
    expect(texts(await h.say(dana, 'report'))).toMatch(/Name one of your customers \(contoso, woodgrove\)/);
    expect(texts(await h.say(dana, 'report contoso 2027-01'))).toMatch(/has not started yet/);
    expect(texts(await h.say(analyst, 'report 13d'))).toMatch(/Try: report/);
    expect(texts(await h.say(analyst, 'report yesterday'))).toMatch(/Try: report/);
    expect(texts(await h.say(dana, 'report 7d woodgrove'))).toMatch(/Woodgrove Bank — Last 7 days/);
  });

  it('lets the SDM post a month’s report to the service channel, once', async () => {
    const [reply] = await h.say(dana, 'report contoso 2026-10');
    expect(reply?.text).toMatch(/October 2026/);
    const post = findAll(reply?.card, 'Action.Execute').find((a) => a.verb === VERBS.reportPost);
    expect(post?.data).toEqual({ customer: 'contoso', period: '2026-10' });
    // The first press only asks, naming the channels; nothing is posted yet.
    const [ask] = await h.click(dana, VERBS.reportPost, { customer: 'contoso', period: '2026-10' });
    expect(ask?.text).toMatch(/Post the October 2026 report to Contoso Ltd\?/);
    expect(ask?.text).toMatch(
      /It goes to 1 service channel Contoso Ltd can see:\n• console channel subscribed on 2026-11-01/,
    );
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(0);
    const confirm = findAll(ask?.card, 'Action.Execute').find((a) => a.title === 'Post to 1 channel');
    expect(confirm?.data).toEqual({ customer: 'contoso', period: '2026-10', confirmed: true });
    expect(texts(await h.click(dana, VERBS.reportPost, confirmed))).toMatch(
      /Posted the October 2026 report to 1 Contoso Ltd channel/,
    );
    const posts = chat.postsIn('web:alerts:contoso');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/Defender Experts report — Contoso Ltd — October 2026/);
    expect(texts(await h.click(dana, VERBS.reportPost, confirmed))).toMatch(
      /Already posted to the console channel on 2026-11-27/,
    );
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(1);
    // Not the customer, not another SDM, not a rolling window.
    expect(texts(await h.click(analyst, VERBS.reportPost, confirmed))).toMatch(/Not allowed|Not available/);
    expect(texts(await h.click(sam, VERBS.reportPost, confirmed))).toMatch(/not the SDM/);
    expect(texts(await h.click(dana, VERBS.reportPost, { customer: 'contoso', period: '30d' }))).toMatch(
      /calendar month/,
    );
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(1);
  });

  it('offers "Post" only for a completed month, and refuses to post the current one (S7)', async () => {
    const [current] = await h.say(dana, 'report contoso 2026-11');
    expect(current?.text).toMatch(/November 2026 \(2026-11-01 to 2026-11-27\)/);
    expect(findAll(current?.card, 'Action.Execute').map((a) => a.verb)).not.toContain(VERBS.reportPost);
    const refused = texts(await h.click(dana, VERBS.reportPost, { customer: 'contoso', period: '2026-11' }));
    expect(refused).toMatch(/November 2026 is not over yet/);
    expect(refused).toMatch(/can be posted from 2026-12-01/);
    expect(refused).toMatch(/report contoso 2026-10/);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(0);
    // The complete month is still postable afterwards, and its range names its last day.
    const [october] = await h.say(dana, 'report contoso 2026-10');
    expect(october?.text).toMatch(/October 2026 \(2026-10-01 to 2026-10-31\)/);
    expect(findAll(october?.card, 'Action.Execute').map((a) => a.verb)).toContain(VERBS.reportPost);
  });

  it('says a channel could not be reached apart from "already posted", and a retry posts it', async () => {
    chat.failNext('web:alerts:contoso', 'transient');
    const failed = texts(await h.click(dana, VERBS.reportPost, confirmed));
    expect(failed).toMatch(/console channel could not be reached/);
    expect(failed).not.toMatch(/already posted/i);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(0);
    h.clock.advance(3_600_000);
    expect(texts(await h.click(dana, VERBS.reportPost, confirmed))).toMatch(
      /Posted the October 2026 report to 1 Contoso Ltd channel/,
    );
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(1);
  });

  it('says an empty month is empty, on the card, in the confirmation and in what is posted', async () => {
    const [card] = await h.say(dana, 'report contoso 2025-01');
    expect(card?.text).toMatch(/No Defender Experts incidents in January 2025/);
    // No chart of zeros.
    expect(findAll(card?.card, 'Image')).toHaveLength(0);
    const jan = { customer: 'contoso', period: '2025-01' };
    const [ask] = await h.click(dana, VERBS.reportPost, jan);
    expect(ask?.text).toMatch(/No Defender Experts incidents in January 2025.*The posted card says so/s);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(0);
    await h.click(dana, VERBS.reportPost, { ...jan, confirmed: true });
    const posts = chat.postsIn('web:alerts:contoso');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/No Defender Experts incidents in January 2025/);
  });
});
