/**
 * Reads the shape of a product-marketing context document: `# title`, `## Section`, then
 * `**Label:** value` lines, each optionally followed by `- item` lines. Tables, quotes and prose
 * are skipped. Template blanks left unfilled (`[date]`, `-`, `| | |`) read as empty.
 */

export interface MarkdownField {
  readonly section: string;
  readonly label: string;
  /** The text after the label, cleaned; empty when only a template blank was there. */
  readonly value: string;
  /** The list items under the label, cleaned, template blanks dropped. */
  readonly items: readonly string[];
  /** 1-based line of the label. */
  readonly line: number;
}

export interface MarkdownFields {
  readonly title: string | undefined;
  readonly fields: readonly MarkdownField[];
}

const FIELD = /^\s*(?:[-*+]\s+)?\*\*([^*]+?)\*\*\s*(.*)$/;
const ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** Drops markdown emphasis and `[bracketed blanks]`; links keep their text and host (`Acme (acme.com)`). */
export function cleanText(text: string): string {
  const s = text
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, label: string, url: string) =>
      label === '' ? url : `${label} (${url})`,
    )
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/)]+)[^\s)]*/gi, '$1')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return /^[\s\-–—|.:…*_"“”'()]*$/.test(s) ? '' : s;
}

export function readMarkdownFields(markdown: string): MarkdownFields {
  let title: string | undefined;
  let section = '';
  const fields: { section: string; label: string; value: string; items: string[]; line: number }[] = [];
  let current: (typeof fields)[number] | undefined;
  let inFence = false;
  let continuable = false;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      // A whole document pasted inside a ```markdown fence is still read; code in a filled doc is not.
      inFence = !inFence && !/^\s*(```|~~~)\s*(markdown|md)?\s*$/i.test(raw);
      return;
    }
    if (inFence) return;
    if (raw.trim() === '') {
      continuable = false;
      return;
    }
    const heading = HEADING.exec(raw);
    if (heading?.[1] !== undefined) {
      const text = cleanText(heading[2] ?? '');
      if (heading[1].length === 1) title ??= text === '' ? undefined : text;
      else if (heading[1].length === 2) section = text;
      current = undefined;
      continuable = false;
      return;
    }
    const field = FIELD.exec(raw);
    if (field?.[1] !== undefined) {
      const inside = field[1].trim();
      const after = field[2] ?? '';
      const colon = inside.endsWith(':') || after.startsWith(':');
      if (colon) {
        current = {
          section,
          label: inside.replace(/:$/, '').trim(),
          value: cleanText(after.replace(/^:\s*/, '')),
          items: [],
          line: index + 1,
        };
        fields.push(current);
        continuable = current.value !== '';
        return;
      }
    }
    const item = ITEM.exec(raw);
    if (item !== null && current !== undefined) {
      const text = cleanText(item[1] ?? '');
      if (text !== '') current.items.push(text);
      return;
    }
    if (continuable && current !== undefined && !/^\s*[|>]/.test(raw)) {
      // A wrapped value continues on the next line.
      const more = cleanText(raw);
      if (more !== '') current.value = `${current.value} ${more}`;
      return;
    }
    current = undefined;
    continuable = false;
  });
  return { title, fields };
}

/** The first field with this label (case-insensitive), preferring the given section. */
export function findField(doc: MarkdownFields, label: string, section?: string): MarkdownField | undefined {
  const matches = doc.fields.filter((f) => f.label.toLowerCase() === label.toLowerCase());
  const inSection =
    section === undefined
      ? undefined
      : matches.find((f) => f.section.toLowerCase() === section.toLowerCase());
  return inSection ?? matches.find((f) => f.value !== '' || f.items.length > 0) ?? matches[0];
}
