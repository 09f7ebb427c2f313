/**
 * Markdown building blocks for the documents: escaping user text, inline code, tables, lists and
 * fenced blocks. Everything a document prints goes through here, so `html.ts` only has to read
 * the small subset of Markdown these helpers write.
 */

/** Escapes Markdown punctuation in free text from the config (names, labels, descriptions). */
export function text(value: string): string {
  return value
    .replace(/[\\`*_[\]<>]/g, (ch, at: number, all: string) =>
      ch === '_' && /[A-Za-z0-9]/.test(all[at - 1] ?? '') && /[A-Za-z0-9]/.test(all[at + 1] ?? '')
        ? ch
        : `\\${ch}`,
    )
    .replace(/\s*\n\s*/g, ' ');
}

/** An inline code span that survives backticks inside the value. */
export function code(value: string): string {
  const flat = value.replace(/\s*\n\s*/g, ' ');
  const runs = flat.match(/`+/g) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Bold free text. */
export function bold(value: string): string {
  return `**${text(value)}**`;
}

/** A heading of the given level (1–6). */
export function heading(level: number, title: string): string {
  return `${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${title}`;
}

export type Align = 'left' | 'right';

/** A GitHub-style table. Cells are Markdown already; pipes inside them are escaped here. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const cell = (value: string): string => {
    const flat = value
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\|/g, '\\|')
      .trim();
    return flat === '' ? ' ' : flat;
  };
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = headers.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  const body = rows.map((row) => line(headers.map((_, i) => row[i] ?? '')));
  return [line(headers), `| ${rule.join(' | ')} |`, ...body].join('\n');
}

/** A bullet list; an item may carry nested items. */
export type ListItem = string | { readonly text: string; readonly items: readonly ListItem[] };

export function bullets(items: readonly ListItem[], depth = 0): string {
  const indent = '  '.repeat(depth);
  return items
    .map((item) =>
      typeof item === 'string'
        ? `${indent}- ${item}`
        : item.items.length === 0
          ? `${indent}- ${item.text}`
          : `${indent}- ${item.text}\n${bullets(item.items, depth + 1)}`,
    )
    .join('\n');
}

/** A numbered list. */
export function numbered(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\n');
}

/** A fenced code block. */
export function fence(language: string, body: string): string {
  const runs = body.match(/`{3,}/g) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 2);
  const marker = '`'.repeat(longest + 1);
  return `${marker}${language}\n${body}\n${marker}`;
}

export type Block = string | false | undefined;

/** Joins blocks with one blank line between them, dropping empty ones. */
export function blocks(...parts: readonly (Block | readonly Block[])[]): string {
  return parts
    .flat()
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.replace(/^\n+|\s+$/g, ''))
    .join('\n\n');
}

/** Text inside a quoted Mermaid label: quotes, pipes and angle brackets as Mermaid entities. */
export function mermaidText(value: string): string {
  return value
    .replace(/"/g, '#quot;')
    .replace(/\|/g, '#124;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\s*\n\s*/g, ' ');
}
