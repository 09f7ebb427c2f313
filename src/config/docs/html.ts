/**
 * A small, safe Markdown-to-HTML converter for the Markdown the documents write (markdown.ts):
 * headings, paragraphs, bullet and numbered lists (nested by two spaces), GitHub tables, fenced
 * code (Mermaid fences become `<pre class="mermaid">`), inline code and bold. Every piece of text
 * is HTML-escaped; nothing in the input can inject markup.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Inline Markdown: backslash escapes, code spans and bold. */
export function inlineToHtml(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (ch === '\\' && i + 1 < source.length && PUNCTUATION.test(source[i + 1] ?? '')) {
      out += escapeHtml(source[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(source.slice(i))?.[0] ?? '`';
      const close = findRun(source, run.length, i + run.length);
      if (close >= 0) {
        let body = source.slice(i + run.length, close);
        if (body.length >= 2 && body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '')
          body = body.slice(1, -1);
        out += `<code>${escapeHtml(body)}</code>`;
        i = close + run.length;
        continue;
      }
      out += escapeHtml(run);
      i += run.length;
      continue;
    }
    if (ch === '*' && source[i + 1] === '*') {
      const close = findBoldEnd(source, i + 2);
      if (close > i + 2) {
        out += `<strong>${inlineToHtml(source.slice(i + 2, close))}</strong>`;
        i = close + 2;
        continue;
      }
    }
    out += escapeHtml(ch);
    i += 1;
  }
  return out;
}

/** The start of the next run of exactly `length` backticks from `from`, or -1. */
function findRun(source: string, length: number, from: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) if (m[0].length === length) return m.index;
  return -1;
}

/** The closing `**` of a bold span, skipping escapes and code spans; -1 when there is none. */
function findBoldEnd(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') i += 2;
    else if (ch === '`') {
      const run = /^`+/.exec(source.slice(i))?.[0] ?? '`';
      const close = findRun(source, run.length, i + run.length);
      i = close >= 0 ? close + run.length : i + run.length;
    } else if (ch === '*' && source[i + 1] === '*') return i;
    else i += 1;
  }
  return -1;
}

/** Splits a table row on unescaped pipes; `\|` becomes a literal pipe inside the cell. */
function splitRow(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch === '\\' && body[i + 1] === '|') {
      cell += '|';
      i += 1;
    } else if (ch === '\\') {
      cell += ch + (body[i + 1] ?? '');
      i += 1;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+\s*$/;
const LIST_ITEM = /^( *)([-*]|\d+\.) (.*)$/;
const FENCE = /^(`{3,})([\w-]*)\s*$/;
const HEADING = /^(#{1,6}) (.*)$/;

function tableToHtml(lines: readonly string[]): string {
  const header = splitRow(lines[0] ?? '');
  const align = splitRow(lines[1] ?? '').map((c) =>
    c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : undefined,
  );
  const cell = (tag: 'th' | 'td', value: string, i: number): string => {
    const a = align[i];
    return `<${tag}${a !== undefined ? ` style="text-align:${a}"` : ''}>${inlineToHtml(value)}</${tag}>`;
  };
  const rows = lines.slice(2).map((line) => {
    const cells = splitRow(line);
    return `<tr>${header.map((_, i) => cell('td', cells[i] ?? '', i)).join('')}</tr>`;
  });
  return [
    '<table>',
    `<thead><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function listToHtml(lines: readonly string[], start: number, indent: number): { html: string; next: number } {
  const first = LIST_ITEM.exec(lines[start] ?? '');
  const ordered = first !== null && /^\d/.test(first[2] ?? '');
  const tag = ordered ? 'ol' : 'ul';
  const items: string[] = [];
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i] ?? '');
    if (m === null || (m[1] ?? '').length < indent) break;
    if ((m[1] ?? '').length > indent) {
      const nested = listToHtml(lines, i, (m[1] ?? '').length);
      const last = items.pop() ?? '<li>';
      items.push(`${last.replace(/<\/li>$/, '')}\n${nested.html}</li>`);
      i = nested.next;
      continue;
    }
    items.push(`<li>${inlineToHtml(m[3] ?? '')}</li>`);
    i += 1;
  }
  return { html: `<${tag}>\n${items.join('\n')}\n</${tag}>\n`, next: i };
}

/** Converts the documents' Markdown to an HTML fragment. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (line.trim() === '') {
      i += 1;
    } else if (fence !== null) {
      const marker = fence[1] ?? '```';
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').startsWith(marker)) body.push(lines[i++] ?? '');
      i += 1;
      const text = escapeHtml(body.join('\n'));
      out.push(
        fence[2] === 'mermaid'
          ? `<pre class="mermaid">${text}</pre>`
          : `<pre><code${fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : ''}>${text}</code></pre>`,
      );
    } else if (HEADING.test(line)) {
      const m = HEADING.exec(line);
      const level = (m?.[1] ?? '#').length;
      out.push(`<h${level}>${inlineToHtml(m?.[2] ?? '')}</h${level}>`);
      i += 1;
    } else if (line.startsWith('|') && SEPARATOR.test(lines[i + 1] ?? '')) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) rows.push(lines[i++] ?? '');
      out.push(tableToHtml(rows));
    } else if (LIST_ITEM.test(line)) {
      const list = listToHtml(lines, i, (LIST_ITEM.exec(line)?.[1] ?? '').length);
      out.push(list.html.trimEnd());
      i = list.next;
    } else {
      const para: string[] = [];
      while (i < lines.length) {
        const l = lines[i] ?? '';
        if (
          l.trim() === '' ||
          FENCE.test(l) ||
          HEADING.test(l) ||
          LIST_ITEM.test(l) ||
          (l.startsWith('|') && SEPARATOR.test(lines[i + 1] ?? ''))
        )
          break;
        para.push(l.trim());
        i += 1;
      }
      out.push(`<p>${inlineToHtml(para.join(' '))}</p>`);
    }
  }
  return `${out.join('\n')}\n`;
}

const STYLE = `
body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 40px 64px; background: #fff; }
h1 { font-size: 28px; margin: 0 0 16px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #e3e6eb; }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 15px; margin: 20px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid #dde1e7; padding: 6px 9px; vertical-align: top; text-align: left; }
th { background: #f0f2f5; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
pre { background: #f0f2f5; padding: 12px 14px; overflow-x: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
pre.mermaid { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre; }
@media print { body { background: #fff; } main { padding: 0; } }
`.trim();

/** A standalone HTML page (inline CSS, no scripts) around the converted Markdown. */
export function markdownToHtmlPage(markdown: string, title: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    markdownToHtml(markdown).trimEnd(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
