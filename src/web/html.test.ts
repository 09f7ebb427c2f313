// Escaping: the five characters, every interpolation of `markup`, and markup kept only when built by us.
import { describe, expect, it } from 'vitest';
import { escapeHtml, markup, raw } from './html.ts';

describe('html', () => {
  it('escapes &, <, >, " and \'', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes interpolated text and numbers, keeps SafeHtml, joins arrays, drops absent values', () => {
    const name = '<script>alert(1)</script>';
    const parts = [markup`<b>${1}</b>`, '<i>'];
    const out = markup`<td title="${name}">${name}</td>${parts}${undefined}${null}${false}`;
    expect(out.text).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td><b>1</b>&lt;i&gt;',
    );
    expect(markup`${raw('<br>')}`.text).toBe('<br>');
  });
});
