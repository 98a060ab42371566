// User and incident text enters cards only as data, and only through these functions: relayed text must
// never become a live link, mention, emphasis or template expression: user text is data.

/** Length budgets, in characters, so one long comment cannot push a card past Teams' ~28 KB limit. */
export const LIMITS = {
  name: 120,
  title: 200,
  tag: 60,
  line: 300,
  comment: 800,
  section: 600,
  summary: 1200,
} as const;

const ELLIPSIS = '…';

// C0/C1 controls except tab and newline; bidi embedding/override/isolate controls, which can disguise a
// file name ("invoice\u202Efdp.exe") and are replaced visibly instead of being honoured.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Cuts to `max` code points, marking the cut with "…" so nobody mistakes a cut text for the whole. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}${ELLIPSIS}`;
}

/** Plain text for fallback text and notifications: no control characters, bounded, multi-line kept. */
export function plainText(raw: string | null | undefined, max: number): string {
  const text = (raw ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(BIDI, '\uFFFD')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(text, max);
}

/** Plain text on one line (titles, names, tags): newlines and runs of blanks become one space. */
export function plainLine(raw: string | null | undefined, max: number): string {
  return plainText((raw ?? '').replace(/\s+/g, ' '), max);
}

// Characters that start markdown constructs anywhere in a line. `(` and `)` are harmless once `[` and
// `]` are escaped. `{` and `}` are included so that no escaped text ever contains "${", the templating
// engine's expression marker.
const ANYWHERE = /[\\`*_~[\]<>{}&@]/g;

/**
 * Backslash-escapes Adaptive Card (CommonMark subset) markdown: emphasis, links, autolinks, HTML and
 * mention tags, list and heading markers, and the "scheme://" and "name.tld" shapes that linkifiers turn
 * into links. Every escape is "\" + ASCII punctuation, so a CommonMark renderer shows the original text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(ANYWHERE, '\\$&')
        .replace(/:(?=\/\/)/g, '\\:')
        .replace(/\.(?=[\p{L}\p{N}])/gu, '\\.')
        .replace(/^(\s*)([-+#=>|!])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2'),
    )
    .join('\n');
}

/** The inverse of escapeMarkdown, for renderers that turn cards into another format (Slack mrkdwn). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Card text from untrusted input: cleaned, bounded, then escaped (bound first so no escape is cut). */
export function cardText(raw: string | null | undefined, max: number): string {
  return escapeMarkdown(plainText(raw, max));
}

/** Card text on one line: for titles, names, tags and facts. */
export function cardLine(raw: string | null | undefined, max: number): string {
  return escapeMarkdown(plainLine(raw, max));
}

/** An https URL safe to put in Action.OpenUrl, or null; anything else (javascript:, http:, junk) is dropped. */
export function safeHttpsUrl(raw: string | null | undefined): string | null {
  if (raw == null || raw.length > 2048) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
    return url.href.replace(/\{/g, '%7B').replace(/\}/g, '%7D');
  } catch {
    return null;
  }
}
