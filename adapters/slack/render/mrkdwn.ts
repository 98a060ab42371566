import { safeHttpsUrl } from '../../../cards/escape.js';

// Card markdown (backslash-escaped Adaptive Card CommonMark) → Slack mrkdwn. Escaped characters become
// literal text; Slack's three control characters are then escaped so no relayed text can form a mention,
// a broadcast or a link: user text is data. Only links the card author wrote (unescaped, https) stay links.

/** Escapes Slack's control characters; the only escaping mrkdwn has (and that plain `text` needs). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const PUNCT = /[!-/:-@[-`{-~]/;

/** Reads a `[text](url)` link starting at `i`; null when it is not one. */
function readLink(src: string, i: number): { text: string; url: string; end: number } | null {
  let j = i + 1;
  let text = '';
  while (j < src.length && src[j] !== ']') {
    if (src[j] === '\\' && j + 1 < src.length && PUNCT.test(src[j + 1] ?? '')) {
      text += src[j + 1];
      j += 2;
    } else {
      text += src[j];
      j += 1;
    }
  }
  if (src[j] !== ']' || src[j + 1] !== '(') return null;
  const close = src.indexOf(')', j + 2);
  if (close < 0) return null;
  return { text, url: src.slice(j + 2, close).trim(), end: close + 1 };
}

/**
 * Converts card markdown to mrkdwn: `\x` → literal x, `**bold**` → `*bold*`, an author's
 * `[text](https://…)` → `<url|text>`; everything else literal, with &, < and > escaped.
 */
export function cardMarkdownToMrkdwn(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const next = src[i + 1] ?? '';
    if (c === '\\' && PUNCT.test(next)) {
      out += escapeMrkdwn(next);
      i += 2;
    } else if (c === '*' && next === '*') {
      out += '*';
      i += 2;
    } else if (c === '[') {
      const link = readLink(src, i);
      const url = link === null ? null : safeHttpsUrl(link.url);
      if (link !== null && url !== null) {
        const label = escapeMrkdwn(link.text).replace(/\|/g, '¦');
        out += `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${label === '' ? escapeMrkdwn(url) : label}>`;
        i = link.end;
      } else if (link !== null) {
        out += escapeMrkdwn(link.text);
        i = link.end;
      } else {
        out += '[';
        i += 1;
      }
    } else {
      out += escapeMrkdwn(c);
      i += 1;
    }
  }
  return out;
}

/** Card markdown as plain text (headers, buttons, labels): escapes removed, emphasis markers dropped. */
export function cardMarkdownToPlain(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i] ?? '';
    const next = src[i + 1] ?? '';
    if (c === '\\' && PUNCT.test(next)) {
      out += next;
      i += 1;
    } else if (c === '*' && next === '*') {
      i += 1;
    } else out += c;
  }
  return out;
}

/** Makes each non-empty line bold (Slack bold does not span lines). Markers inside are dropped. */
export function boldLines(mrkdwnText: string): string {
  return mrkdwnText
    .split('\n')
    .map((line) => {
      const inner = line.replace(/\*/g, '').trim();
      return inner === '' ? line : `*${inner}*`;
    })
    .join('\n');
}

/** Wraps text as inline code when it can be (code cannot contain a backtick). */
export function monospace(mrkdwnText: string): string {
  if (mrkdwnText.includes('`') || mrkdwnText.trim() === '') return mrkdwnText;
  return mrkdwnText.includes('\n') ? `\`\`\`${mrkdwnText}\`\`\`` : `\`${mrkdwnText}\``;
}

/** Where text may be cut without breaking an `&amp;` entity or a `<url|label>` link. */
function safeCut(text: string, max: number): number {
  let cut = max;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 6 && text.indexOf(';', amp) >= cut) cut = amp;
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && text.indexOf('>', open) >= cut) cut = open;
  if (cut <= 0) cut = max;
  const newline = text.lastIndexOf('\n', cut - 1);
  if (newline > max / 2) return newline + 1;
  const space = text.lastIndexOf(' ', cut - 1);
  return space > max / 2 ? space + 1 : cut;
}

/** Splits mrkdwn into pieces of at most `max` characters, at a line or word break where possible. */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = safeCut(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  if (rest.trim() !== '' || pieces.length === 0) pieces.push(rest);
  return pieces.filter((p, i) => p !== '' || i === 0);
}
