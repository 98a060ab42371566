// A deliberately tiny, SAFE markdown processor for card text (AdaptiveCard.onProcessMarkdown).
// Everything is HTML-escaped first; then only **bold**, _italic_ / *italic*, https links and line
// breaks become markup. Backslash escapes (the cards escape user text as \* \[ …) always show the
// character itself and can never turn into markup.

// Private-use code points stand in for escaped characters and finished links while the rest is
// processed, so no later rule can see them. Input text loses any of these code points up front.
const ESCAPED_BASE = 0xe000; // U+E000 + ASCII code of the escaped punctuation character
const LINK_OPEN = '\uE100';
const LINK_CLOSE = '\uE101';
const RESERVED = /[\uE000-\uE07F\uE100\uE101]/g;
const ESCAPE = /\\([!-/:-@[-`{-~])/g;
const ESCAPED_CHAR = /[\uE000-\uE07F]/g;
const HAS_ESCAPED_CHAR = /[\uE000-\uE07F]/;

const HTML = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => HTML[c]);
}

function emphasis(html) {
  return html
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>')
    .replace(/(^|[^*\p{L}\p{N}])\*(?=[^\s*])([^*]*?[^\s*])\*(?![*\p{L}\p{N}])/gu, '$1<em>$2</em>');
}

function isHttpsUrl(escapedUrl) {
  const raw = escapedUrl.replace(/&amp;/g, '&');
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Renders card markdown to safe HTML. */
export function renderMarkdown(source) {
  const links = [];
  let text = String(source ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(RESERVED, '\uFFFD')
    .replace(ESCAPE, (_m, c) => String.fromCharCode(ESCAPED_BASE + c.charCodeAt(0)));
  text = escapeHtml(text);
  // [text](https://…) only; the label may carry emphasis, the URL is used as an attribute value.
  text = text.replace(/\[([^[\]\n]+)\]\((\S+?)\)/g, (whole, label, url) => {
    if (!/^https:\/\//i.test(url) || HAS_ESCAPED_CHAR.test(url) || !isHttpsUrl(url)) return whole;
    links.push(`<a href="${url}" target="_blank" rel="noopener noreferrer">${emphasis(label)}</a>`);
    return `${LINK_OPEN}${links.length - 1}${LINK_CLOSE}`;
  });
  const html = text
    .split(/\n{2,}/)
    .map((para) =>
      emphasis(para)
        .split('\n')
        .map((line) => line.replace(/^(\s*)[-*+] (?=\S)/, '$1• '))
        .join('<br>'),
    )
    .map((para) => `<p>${para}</p>`)
    .join('');
  return html
    .replace(new RegExp(`${LINK_OPEN}(\\d+)${LINK_CLOSE}`, 'g'), (_m, i) => links[Number(i)] ?? '')
    .replace(ESCAPED_CHAR, (c) => escapeHtml(String.fromCharCode(c.charCodeAt(0) - ESCAPED_BASE)));
}
