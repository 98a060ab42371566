import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../../adapters/web/public/markdown.js';
import { escapeMarkdown } from '../../../../cards/escape.js';

// The console's markdown processor is the browser code the renderer calls for every TextBlock: it must
// never produce markup from escaped or hostile text.

describe('renderMarkdown', () => {
  it('supports bold, italic, https links and line breaks', () => {
    expect(renderMarkdown('**Bold** and _italic_\nnext\n\npara')).toBe(
      '<p><strong>Bold</strong> and <em>italic</em><br>next</p><p>para</p>',
    );
    expect(renderMarkdown('[portal](https://security.microsoft.com/incidents/1?a=1&b=2)')).toBe(
      '<p><a href="https://security.microsoft.com/incidents/1?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">portal</a></p>',
    );
  });

  it('escapes HTML before anything else', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)> & "q"')).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</p>',
    );
  });

  it('links only https URLs', () => {
    for (const url of [
      'javascript:alert(1)',
      'http://example.com',
      'data:text/html,x',
      'https://u:p@x.com',
    ]) {
      expect(renderMarkdown(`[x](${url})`)).not.toContain('<a');
    }
  });

  it('shows backslash-escaped characters without the backslash and never as markup', () => {
    expect(renderMarkdown('\\*\\*not bold\\*\\* \\_no\\_ \\[x\\](https://a.com) \\<b\\>')).toBe(
      '<p>**not bold** _no_ [x](https://a.com) &lt;b&gt;</p>',
    );
  });

  it('renders text escaped by the card builders as the original text', () => {
    const hostile = '**urgent** [click](https://evil.example) <script>x</script> _a_ @here \\ done';
    const html = renderMarkdown(escapeMarkdown(hostile));
    expect(html).not.toMatch(/<(strong|em|a|script)\b/);
    const text = html
      .replace(/^<p>|<\/p>$/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(text).toBe(hostile);
  });

  it('leaves snake_case words alone', () => {
    expect(renderMarkdown('file_name_here.exe')).toBe('<p>file_name_here.exe</p>');
  });
});
