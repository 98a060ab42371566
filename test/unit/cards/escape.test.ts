import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardLine,
  cardText,
  escapeMarkdown,
  plainText,
  safeHttpsUrl,
  truncate,
  unescapeMarkdown,
} from '../../../cards/escape.js';

// The escaping rules on their own: what markdown constructs are neutralised, that nothing is lost
// (unescape restores the text exactly), and that lengths are bounded visibly.

describe('escapeMarkdown', () => {
  it.each([
    ['[click](https://evil.example)', '\\[click\\](https\\://evil\\.example)'],
    ['**bold** _it_ ~~gone~~ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\`'],
    ['<at>Alice</at>', '\\<at\\>Alice\\</at\\>'],
    ['<!here> <@U0ALICE>', '\\<!here\\> \\<\\@U0ALICE\\>'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as hostile input is the point
    ['${customerName}', '$\\{customerName\\}'],
    ['www.evil.example', 'www\\.evil\\.example'],
    ['mail alice@contoso.example', 'mail alice\\@contoso\\.example'],
    ['&lt;at&gt;', '\\&lt;at\\&gt;'],
    ['back\\slash', 'back\\\\slash'],
    ['End of sentence. Next', 'End of sentence. Next'],
  ])('escapes %s', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('neutralises list, heading and quote markers at line starts only', () => {
    expect(escapeMarkdown('- a\n+ b\n# c\n> d\n1. e\n2) f\n  - g\nx - y')).toBe(
      '\\- a\n\\+ b\n\\# c\n\\> d\n1\\. e\n2\\) f\n  \\- g\nx - y',
    );
  });

  it('never leaves a template expression marker', () => {
    fc.assert(fc.property(fc.string(), (s) => !escapeMarkdown(s).includes('${')));
  });

  it('is undone exactly by unescapeMarkdown', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => unescapeMarkdown(escapeMarkdown(s)) === s));
  });

  it('leaves no unescaped link, emphasis or tag opener', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '*', '_', '<', '>', 'a', ' ', '\\') }),
        (s) => {
          // after removing escaped pairs, no metacharacter may remain
          const bare = escapeMarkdown(s).replace(/\\[\s\S]/g, '');
          return !/[[\]*_<>\\]/.test(bare);
        },
      ),
    );
  });
});

describe('plain text and truncation', () => {
  it('truncates visibly by code points, never splitting a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });

  it('strips control characters and makes bidi overrides visible', () => {
    expect(plainText('a\u0000b\u0007c\r\nd\u202Eexe.pdf', 100)).toBe('abc\nd\uFFFDexe.pdf');
  });

  it('bounds before escaping, so an escape is never cut in half', () => {
    const text = cardText('*'.repeat(50), 10);
    expect(text).toBe(`${'\\*'.repeat(9)}…`);
    expect(cardLine('a\n\nb   c', 100)).toBe('a b c');
  });

  it('treats null and undefined as empty', () => {
    expect(cardText(null, 10)).toBe('');
    expect(cardLine(undefined, 10)).toBe('');
  });
});

describe('safeHttpsUrl', () => {
  it.each([
    [
      'https://security.microsoft.com/incidents/42?tid=x',
      'https://security.microsoft.com/incidents/42?tid=x',
    ],
    ['https://example.com/a?q={x}', 'https://example.com/a?q=%7Bx%7D'],
    ['http://security.microsoft.com/', null],
    ['javascript:alert(1)', null],
    ['https://user:pw@evil.example/', null],
    ['not a url', null],
    ['', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(safeHttpsUrl(input)).toBe(expected);
  });
});
