/**
 * Small edits on a parsed revops.yaml that keep its comments and layout: set a value in place,
 * replace a list in the style it was written (flow or block), put a comment above a key, and
 * find the fit-scoring buckets that test a given attribute.
 */
import {
  Lexer,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';

export type YamlPath = readonly (string | number)[];

/** Sets a scalar or list at `path`; an existing scalar node keeps its comment and quoting. */
export function setValue(doc: Document, path: YamlPath, value: string | number | readonly string[]): void {
  if (typeof value === 'string' || typeof value === 'number') {
    doc.setIn(path, value);
    return;
  }
  const old = doc.getIn(path, true);
  const node = doc.createNode([...value]);
  if (isSeq(old)) {
    node.flow = old.flow ?? false;
    if (old.comment) node.comment = old.comment;
    if (old.commentBefore) node.commentBefore = old.commentBefore;
  } else if (isScalar(old) && old.comment) node.comment = old.comment;
  doc.setIn(path, node);
}

/** The string items of a list node, or undefined when it is not a list of strings. */
export function stringList(node: unknown): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

function pairOf(map: YAMLMap, key: string): { pair: Pair; index: number } | undefined {
  const index = map.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
  const pair = map.items[index];
  return pair === undefined ? undefined : { pair, index };
}

/**
 * Writes `text` (one or more lines) as the comment just above `key` in the map at `mapPath`,
 * replacing what was there. The inline comment of the value is dropped when `dropInline`.
 */
export function commentAbove(
  doc: Document,
  mapPath: YamlPath,
  key: string,
  text: string,
  dropInline = false,
): void {
  const map = mapPath.length === 0 ? doc.contents : doc.getIn(mapPath, true);
  if (!isMap(map)) return;
  const found = pairOf(map, key);
  if (found === undefined) return;
  const lines = text
    .split('\n')
    .flatMap((l) => wrap(l, COMMENT_WIDTH))
    .map((l) => ` ${l}`)
    .join('\n');
  // The comment above the first key of a block map belongs to the map itself.
  if (found.index === 0) map.commentBefore = lines;
  else if (isScalar(found.pair.key)) found.pair.key.commentBefore = lines;
  if (dropInline && isScalar(found.pair.value)) found.pair.value.comment = null;
}

const COMMENT_WIDTH = 90;

/** Breaks a line of prose at spaces so no piece is longer than `width` (long words stay whole). */
export function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  out.push(current);
  return out;
}

export function setInlineComment(doc: Document, path: YamlPath, text: string | undefined): void {
  const node = doc.getIn(path, true);
  if (isScalar(node)) node.comment = text === undefined ? null : ` ${text}`;
}

/** A fit bucket and where it is, with the shorthand form it uses. */
export interface BucketRef {
  readonly group: number;
  readonly groupId: string;
  readonly bucket: number;
  readonly points: number;
  readonly form: 'in' | 'range' | 'when' | 'other';
  readonly attribute: string | undefined;
  readonly node: YAMLMap;
}

export const FIT_GROUPS: YamlPath = ['scoring', 'fit', 'groups'];

/** Every bucket of every fit group. */
export function fitBuckets(doc: Document): BucketRef[] {
  const groups = doc.getIn(FIT_GROUPS, true);
  if (!isSeq(groups)) return [];
  const out: BucketRef[] = [];
  groups.items.forEach((group, g) => {
    if (!isMap(group)) return;
    const rawId = group.get('id');
    const groupId = typeof rawId === 'string' ? rawId : '';
    const buckets = group.get('buckets', true);
    if (!isSeq(buckets)) return;
    buckets.items.forEach((bucket, b) => {
      if (!isMap(bucket)) return;
      const points = Number(bucket.get('points') ?? 0);
      const shorthand = (['in', 'range'] as const).find((k) => isMap(bucket.get(k, true)));
      const body: unknown = shorthand === undefined ? undefined : bucket.get(shorthand, true);
      if (shorthand !== undefined && isMap(body)) {
        const attr = body.get('attribute');
        out.push({
          group: g,
          groupId,
          bucket: b,
          points,
          form: shorthand,
          attribute: typeof attr === 'string' ? attr : undefined,
          node: bucket,
        });
      } else {
        const when = bucket.get('when');
        out.push({
          group: g,
          groupId,
          bucket: b,
          points,
          form: typeof when === 'string' ? 'when' : 'other',
          attribute: undefined,
          node: bucket,
        });
      }
    });
  });
  return out;
}

export function bucketPath(ref: Pick<BucketRef, 'group' | 'bucket'>): YamlPath {
  return [...FIT_GROUPS, ref.group, 'buckets', ref.bucket];
}

const LIST_LITERAL = /\[([^\]]*)\]/g;

function listItems(body: string): string[] | undefined {
  const items = body.split(',').map((s) => s.trim());
  const out: string[] = [];
  for (const item of items) {
    const m = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$/.exec(item);
    if (!m) return undefined;
    out.push(m[1] ?? m[2] ?? '');
  }
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.some((y) => y.toLowerCase() === x.toLowerCase()));

/** `["a", "b"]` as CEL writes a list of strings. */
export function celList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

/**
 * In every string of the document, replaces a CEL list literal holding exactly the `from` values
 * (any order) with the `to` values. Returns the paths of the strings changed.
 */
export function replaceCelLists(doc: Document, from: readonly string[], to: readonly string[]): string[] {
  if (from.length === 0) return [];
  const changed: string[] = [];
  visit(doc, {
    Scalar(_key, node: Scalar, path) {
      if (typeof node.value !== 'string' || !node.value.includes('[')) return;
      const next = node.value.replace(LIST_LITERAL, (whole, body: string) => {
        const items = listItems(body);
        return items !== undefined && sameSet(items, from) ? celList(to) : whole;
      });
      if (next !== node.value) {
        node.value = next;
        changed.push(pathName(path));
      }
    },
  });
  return changed;
}

function pathName(ancestors: readonly unknown[]): string {
  const parts: string[] = [];
  ancestors.forEach((node, i) => {
    const parent = ancestors[i - 1];
    if (isSeq(parent)) parts.push(`[${parent.items.indexOf(node)}]`);
    else if (isMap(parent) && isMapPair(node) && isScalar(node.key))
      parts.push(`${parts.length > 0 ? '.' : ''}${String(node.key.value)}`);
  });
  return parts.join('');
}

function isMapPair(node: unknown): node is Pair {
  return typeof node === 'object' && node !== null && 'key' in node && 'value' in node;
}

/** The lexer's marker tokens (document, flow end, scalar, BOM): they stand for no source text. */
const CONTROL = new Set(['\u0002', '\u0018', '\u001f', '\ufeff']);

/**
 * The house style pads flow maps (`{ a: 1 }`) but not flow lists (`[a, b]`); the YAML printer pads
 * both or neither. Prints padded, then removes the padding inside list brackets token by token, so
 * quoted text and comments are never touched.
 */
export function stringifyHouseStyle(doc: Document): string {
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  const out: string[] = [];
  let afterOpen = false;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL.has(token)) continue;
    if (afterOpen && /^ +$/.test(token)) {
      afterOpen = false;
      continue;
    }
    afterOpen = token === '[';
    if (token === ']' && /^ +$/.test(out.at(-1) ?? '') && !/\n$/.test(out.at(-2) ?? '\n')) out.pop();
    out.push(token);
  }
  return out.join('');
}
