import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expandTemplate,
  expandTemplateUncached,
  TEMPLATE_NAMES,
  templateParseCount,
} from '../../../cards/template-engine.js';

// The cache is observable through the parse counter, and data is bound as values: text that looks like
// a template expression stays text.

const notice = (title: string, text: string) => ({
  title,
  text,
  style: 'default',
  color: 'default',
  fallbackText: 'notice',
});

describe('template cache', () => {
  it('parses a template once, however often it is expanded', () => {
    expandTemplate('notice', notice('a', 'b'));
    const before = templateParseCount();
    for (let i = 0; i < 5; i++) expandTemplate('notice', notice(`t${i}`, 'x'));
    expect(templateParseCount()).toBe(before);
  });

  it('the uncached baseline parses on every call and gives the same card', () => {
    const before = templateParseCount();
    const a = expandTemplateUncached('notice', notice('a', 'b'));
    const b = expandTemplateUncached('notice', notice('a', 'b'));
    expect(templateParseCount()).toBe(before + 2);
    expect(a).toEqual(b);
    expect(a).toEqual(expandTemplate('notice', notice('a', 'b')));
  });

  it('expands each template to its own fresh card', () => {
    const first = expandTemplate('notice', notice('one', 'x'));
    const second = expandTemplate('notice', notice('two', 'x'));
    expect(first).not.toBe(second);
    expect(JSON.stringify(first)).toContain('one');
    expect(JSON.stringify(second)).not.toContain('one');
  });

  it('lists every template file', () => {
    const dir = new URL('../../../cards/templates/', import.meta.url);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect([...TEMPLATE_NAMES].sort()).toEqual(files.sort());
  });
});

describe('data is never evaluated', () => {
  // Built from parts so the source holds no template literal look-alikes: "$" + "{".
  const open = '$' + '{';
  const expressions = `${open}concat('a','b')} ${open}$root.style} ${open}json($root)}`;

  it('keeps template expressions in data as literal text, even unescaped', () => {
    const card = expandTemplate('notice', notice(`${open}text}`, expressions));
    const texts = JSON.stringify(card.body);
    expect(texts).toContain(`"text":"${open}text}"`);
    expect(texts).toContain(expressions);
    expect(texts).not.toContain('"text":"ab');
  });
});
