// Slack message text → plain text for the core, in one pass. Slack escapes "<", ">" and "&" in what people
// type, so a raw "<" always opens an entity (<@U…|name>, <#C…>, <!here>, <https://…|label>). The scan finds
// each entity's end by remembering the next ">" and the next "<" instead of searching afresh from every "<":
// text of any shape costs time in proportion to its length, and it is cut to Slack's own limit first.

/** Slack's own limit for a message's text; anything longer did not come from a Slack client. */
export const SLACK_TEXT_CAP = 40_000;

const USER_ID = /^[UW][A-Z0-9]+$/;
const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const SUBTEAM_ID = /^[A-Z0-9]+$/;
const BROADCAST = new Set(['here', 'channel', 'everyone']);
const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** Splits "id|label" at the first bar; the label is undefined without one. */
function split(content: string): { readonly id: string; readonly label: string | undefined } {
  const bar = content.indexOf('|');
  return bar < 0
    ? { id: content, label: undefined }
    : { id: content.slice(0, bar), label: content.slice(bar + 1) };
}

/** One entity's plain form, or null when it is not one Slack makes (then it stays as written). */
function entity(content: string, botUserId: string | undefined): string | null {
  const first = content[0];
  if (first === '@') {
    const { id, label } = split(content.slice(1));
    if (botUserId !== undefined && botUserId !== '' && id === botUserId) return ' ';
    return USER_ID.test(id) ? `@${label ?? id}` : null;
  }
  if (first === '#') {
    const { id, label } = split(content.slice(1));
    return CHANNEL_ID.test(id) ? `#${label || id}` : null;
  }
  if (first === '!') {
    const { id, label } = split(content.slice(1));
    if (id.startsWith('subteam^') && SUBTEAM_ID.test(id.slice(8))) return label ?? '@group';
    return BROADCAST.has(id) ? `@${id}` : null;
  }
  if (/^(https?|mailto):/.test(content)) {
    const { id: url, label } = split(content);
    if (url.length <= content.indexOf(':') + 1) return null;
    return label === undefined ? url : `${label} (${url})`;
  }
  return null;
}

/** Slack message text → plain text: the bot's own mentions removed, other entities spelled out, decoded. */
export function slackToPlain(text: string, botUserId: string | undefined): string {
  const src = text.length > SLACK_TEXT_CAP ? text.slice(0, SLACK_TEXT_CAP) : text;
  let out = '';
  let nextGt = -2; // -2: not looked up yet; -1: none left
  let nextLt = -2;
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      out += src.slice(i);
      break;
    }
    out += src.slice(i, lt);
    if (nextGt !== -1 && nextGt < lt) nextGt = src.indexOf('>', lt);
    if (nextLt !== -1 && nextLt <= lt) nextLt = src.indexOf('<', lt + 1);
    // No ">" after it, or another "<" opens before it closes: this "<" is text.
    if (nextGt < 0 || (nextLt >= 0 && nextLt < nextGt)) {
      out += '<';
      i = lt + 1;
      continue;
    }
    const content = src.slice(lt + 1, nextGt);
    out += entity(content, botUserId) ?? `<${content}>`;
    i = nextGt + 1;
  }
  return out.replace(/&(?:lt|gt|amp);/g, (e) => ENTITIES[e] ?? e).trim();
}
