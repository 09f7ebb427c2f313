import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml } from './html.ts';

describe('html converter', () => {
  it('escapes text, code and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(markdownToHtml('Hello <script>alert(1)</script> **bold `a < b`** \\*no\\*')).toBe(
      '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; <strong>bold <code>a &lt; b</code></strong> *no*</p>\n',
    );
  });

  it('reads headings, nested lists, numbered lists, tables with escaped pipes and fences', () => {
    const html = markdownToHtml(
      [
        '# Title',
        '',
        '- a',
        '  - b',
        '- c',
        '',
        '1. one',
        '2. two',
        '',
        '| A | B |',
        '| --- | ---: |',
        '| `x \\|\\| y` | 2 |',
        '',
        '```mermaid',
        'flowchart TD',
        '  a["x #lt; y"]',
        '```',
      ].join('\n'),
    );
    expect(html).toBe(
      [
        '<h1>Title</h1>',
        '<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>',
        '<ol>\n<li>one</li>\n<li>two</li>\n</ol>',
        '<table>\n<thead><tr><th>A</th><th style="text-align:right">B</th></tr></thead>\n<tbody>\n<tr><td><code>x || y</code></td><td style="text-align:right">2</td></tr>\n</tbody>\n</table>',
        '<pre class="mermaid">flowchart TD\n  a[&quot;x #lt; y&quot;]</pre>',
        '',
      ].join('\n'),
    );
  });
});
