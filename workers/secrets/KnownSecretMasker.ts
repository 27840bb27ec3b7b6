import { maskSecret } from './maskSecret.js';
import { MIN_NEEDLE_CHARS, secretNeedles, type NeedleView, type SecretNeedle } from './secretNeedles.js';
import { isBase64Char, viewsOf, type TextView } from './textViews.js';

/** A part of a text that holds a known secret in some form. */
export interface SecretSpanInText {
  readonly start: number;
  readonly end: number;
}

/** Needles of one view, indexed by the rolling hash of their first `MIN_NEEDLE_CHARS` characters. */
type AnchorIndex = Map<number, string[]>;

const HASH_BASE = 31;
/** Keeps map keys small integers, which V8 looks up fastest. */
const SMI_MASK = 0x3fffffff;
/** HASH_BASE ** (MIN_NEEDLE_CHARS - 1), modulo 2^32: the weight of the character leaving the window. */
const OUTGOING_WEIGHT = Array.from({ length: MIN_NEEDLE_CHARS - 1 }).reduce<number>((weight) => Math.imul(weight, HASH_BASE), 1);

/** Hash of the `MIN_NEEDLE_CHARS` code units of `text` from `at`. */
function anchorHash(text: string, at: number): number {
  let hash = 0;
  for (let i = at; i < at + MIN_NEEDLE_CHARS; i++) hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Base64 characters next to a match that still carry bits of the value (a group is 4 characters). */
const BASE64_EDGE_CHARS = 3;

/**
 * Masks the known secret values of a repository (and of the runner) wherever they
 * occur in a text, in any of the forms of `secretNeedles`: as written or reversed,
 * in any case and across separators, hex, base64 or base64url, percent- or
 * backslash-escaped. Built once for a set of values, then applied to every text of a
 * run; each text costs one pass per view and one map lookup per position, whatever
 * the number of values.
 *
 * @example new KnownSecretMasker(['Tr0ub4dor&3x']).mask('pw: T r 0 u b 4 d o r & 3 x') // 'pw: ***…'
 */
export class KnownSecretMasker {
  private readonly index = new Map<NeedleView, AnchorIndex>();

  constructor(values: Iterable<string>) {
    for (const value of new Set(values)) for (const needle of secretNeedles(value)) this.addNeedle(needle);
    // Longest first, so the widest form of a value at a position is the one masked.
    for (const anchors of this.index.values()) for (const list of anchors.values()) list.sort((a, b) => b.length - a.length);
  }

  /** True when there is nothing to look for. */
  get isEmpty(): boolean {
    return this.index.size === 0;
  }

  /**
   * Where the text holds a known secret in some form, merged and in order.
   *
   * @example masker.find('x 41 4b 49 41 …') // [{ start: 2, end: 41 }]
   */
  find(text: string): SecretSpanInText[] {
    if (this.isEmpty || text.length < MIN_NEEDLE_CHARS) return [];
    const spans: SecretSpanInText[] = [];
    const raw = this.index.get('raw');
    if (raw) spans.push(...searchView(text, raw, (first, last) => ({ start: first, end: last + 1 })));
    const views = viewsOf(text);
    const loose = this.index.get('loose');
    if (loose) for (const view of [views.loose, views.looseLiteral]) spans.push(...searchView(view.text, loose, spanIn(view)));
    const hex = this.index.get('hex');
    if (hex) spans.push(...searchView(views.hex.text, hex, spanIn(views.hex)));
    const base64 = this.index.get('base64');
    if (base64) spans.push(...searchView(views.base64.text, base64, spanIn(views.base64)).map((span) => widenOverBase64(text, span)));
    return mergeSpans(spans);
  }

  /**
   * The text with every known secret form replaced by its `maskSecret` mask.
   *
   * @example new KnownSecretMasker([password]).mask(`pw ${password.toUpperCase()}`) // 'pw ************'
   */
  mask(text: string): string {
    const spans = this.find(text);
    if (spans.length === 0) return text;
    let output = '';
    let cursor = 0;
    for (const span of spans) {
      output += text.slice(cursor, span.start) + maskSecret(text.slice(span.start, span.end));
      cursor = span.end;
    }
    return output + text.slice(cursor);
  }

  private addNeedle(needle: SecretNeedle): void {
    let anchors = this.index.get(needle.view);
    if (!anchors) this.index.set(needle.view, (anchors = new Map()));
    const anchor = anchorHash(needle.text, 0) & SMI_MASK;
    const list = anchors.get(anchor);
    if (!list) anchors.set(anchor, [needle.text]);
    else if (!list.includes(needle.text)) list.push(needle.text);
  }
}

/** Maps characters `first`..`last` of a view back to the original text's span. */
const spanIn =
  (view: TextView) =>
  (first: number, last: number): SecretSpanInText => ({ start: view.starts[first]!, end: view.ends[last]! });

/** Every needle occurrence in a searched text, mapped to a span of the original text. */
function searchView(text: string, anchors: AnchorIndex, toSpan: (first: number, last: number) => SecretSpanInText): SecretSpanInText[] {
  const spans: SecretSpanInText[] = [];
  if (text.length < MIN_NEEDLE_CHARS) return spans;
  // One rolling hash per position, so a text costs the same however many needles there are.
  let hash = anchorHash(text, 0);
  for (let at = 0; ; at++) {
    const candidates = anchors.get(hash & SMI_MASK);
    const needle = candidates?.find((candidate) => text.startsWith(candidate, at));
    if (needle) spans.push(toSpan(at, at + needle.length - 1));
    if (at + MIN_NEEDLE_CHARS >= text.length) break;
    hash = (Math.imul(hash - Math.imul(text.charCodeAt(at), OUTGOING_WEIGHT), HASH_BASE) + text.charCodeAt(at + MIN_NEEDLE_CHARS)) | 0;
  }
  return spans;
}

/**
 * A base64 match covers the groups made only of the value's bytes; the characters
 * around it (up to a group's worth, and padding) still encode some of its bits.
 */
function widenOverBase64(text: string, span: SecretSpanInText): SecretSpanInText {
  let { start, end } = span;
  for (let n = 0; n < BASE64_EDGE_CHARS && isBase64Char(text[start - 1]) && text[start - 1] !== '='; n++) start--;
  for (let n = 0; n < BASE64_EDGE_CHARS && isBase64Char(text[end]); n++) end++;
  while (text[end] === '=') end++;
  return { start, end };
}

/** Sorts and unions overlapping or touching spans. */
function mergeSpans(spans: readonly SecretSpanInText[]): SecretSpanInText[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
