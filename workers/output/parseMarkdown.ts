/** A fenced code block: the info string's first word (lowercased, '' when none) and its text. */
export interface MarkdownCodeBlock {
  readonly lang: string;
  readonly code: string;
}

/**
 * The text under one heading, up to the next heading of any level. Text before the first
 * heading becomes a section of level 0 with an empty heading.
 */
export interface MarkdownSection {
  readonly level: number;
  readonly heading: string;
  /** The section's markdown as written, fences included, trimmed. */
  readonly body: string;
  readonly codeBlocks: readonly MarkdownCodeBlock[];
  /** Text of each list item (`-`, `*`, `+`, `1.`, `1)`), nested ones included, continuation lines joined. */
  readonly bullets: readonly string[];
}

export interface ParsedMarkdown {
  /** The first heading when it is a level-1 heading. */
  readonly title?: string;
  readonly sections: readonly MarkdownSection[];
  /** Every fenced block of the document, in order. */
  readonly codeBlocks: readonly MarkdownCodeBlock[];
}

interface OpenFence {
  readonly char: '`' | '~';
  readonly length: number;
  readonly indent: number;
  readonly lang: string;
  readonly lines: string[];
}

interface SectionDraft {
  readonly level: number;
  readonly heading: string;
  readonly lines: string[];
  readonly codeBlocks: MarkdownCodeBlock[];
  readonly bullets: string[];
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_ITEM = /^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;

/**
 * Splits a model's markdown answer into sections, list items and code blocks, so results
 * can be shown and chained without re-reading the raw text. CommonMark's rules where they
 * matter for model output: `#` lines inside ``` or ~~~ fences are code, not headings; an
 * unterminated fence runs to the end; headings indented four spaces are code.
 *
 * @example
 * const doc = parseMarkdown('# Report\n\n## Risks\n- unpinned deps\n');
 * doc.title; // 'Report'
 * doc.sections[1]?.bullets; // ['unpinned deps']
 */
export function parseMarkdown(markdown: string): ParsedMarkdown {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const sections: SectionDraft[] = [];
  const codeBlocks: MarkdownCodeBlock[] = [];
  let current: SectionDraft = newSection(0, '');
  let fence: OpenFence | undefined;
  let bullet: { readonly indent: number; readonly parts: string[] } | undefined;
  /** True when the previous line was paragraph text that a setext underline may turn into a heading. */
  let paragraphLine = false;

  const flushBullet = (): void => {
    if (bullet) current.bullets.push(bullet.parts.join(' '));
    bullet = undefined;
  };
  const closeFence = (open: OpenFence): void => {
    const block = { lang: open.lang, code: open.lines.join('\n') };
    current.codeBlocks.push(block);
    codeBlocks.push(block);
    fence = undefined;
  };
  const startSection = (level: number, heading: string): void => {
    flushBullet();
    sections.push(current);
    current = newSection(level, heading);
  };

  for (const line of lines) {
    if (fence) {
      if (isClosingFence(line, fence)) closeFence(fence);
      else fence.lines.push(stripIndent(line, fence.indent));
      current.lines.push(line);
      continue;
    }

    const opening = parseFenceOpening(line);
    if (opening) {
      flushBullet();
      paragraphLine = false;
      fence = opening;
      current.lines.push(line);
      continue;
    }

    const atx = ATX_HEADING.exec(line);
    if (atx) {
      startSection(atx[1]!.length, (atx[2] ?? '').replace(/[ \t]+#+$|^#+$/, '').trim());
      paragraphLine = false;
      continue;
    }

    const setext = SETEXT_UNDERLINE.exec(line);
    if (setext && paragraphLine) {
      const heading = current.lines.pop()!.trim();
      startSection(setext[1]!.startsWith('=') ? 1 : 2, heading);
      paragraphLine = false;
      continue;
    }

    current.lines.push(line);
    const item = LIST_ITEM.exec(line);
    if (item && !/^\s*(?:[-*_][ \t]*){3,}$/.test(line)) {
      flushBullet();
      bullet = { indent: item[1]!.length, parts: [item[2]!.trim()] };
      paragraphLine = false;
    } else if (line.trim() === '') {
      flushBullet();
      paragraphLine = false;
    } else if (bullet && leadingSpaces(line) > bullet.indent) {
      bullet.parts.push(line.trim());
      paragraphLine = false;
    } else {
      flushBullet();
      paragraphLine = !/^ {4}/.test(line) && !/^\s*[>|]/.test(line);
    }
  }
  if (fence) closeFence(fence);
  flushBullet();
  sections.push(current);

  const kept = sections
    .map(finishSection)
    .filter((section) => section.level > 0 || section.body !== '');
  const first = kept.find((section) => section.level > 0);
  return {
    ...(first?.level === 1 ? { title: first.heading } : {}),
    sections: kept,
    codeBlocks,
  };
}

function newSection(level: number, heading: string): SectionDraft {
  return { level, heading, lines: [], codeBlocks: [], bullets: [] };
}

function finishSection(draft: SectionDraft): MarkdownSection {
  return {
    level: draft.level,
    heading: draft.heading,
    body: draft.lines.join('\n').trim(),
    codeBlocks: draft.codeBlocks,
    bullets: draft.bullets,
  };
}

function parseFenceOpening(line: string): OpenFence | undefined {
  const match = FENCE_OPEN.exec(line);
  if (!match) return undefined;
  const marker = match[2]!;
  const info = match[3]!.trim();
  // A backtick fence's info string may not hold backticks: "```foo```" is inline code.
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return {
    char: marker[0] as '`' | '~',
    length: marker.length,
    indent: match[1]!.length,
    lang: (info.split(/\s+/)[0] ?? '').replace(/^\{?\.?|\}$/g, '').toLowerCase(),
    lines: [],
  };
}

function isClosingFence(line: string, fence: OpenFence): boolean {
  const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return match !== null && match[1]!.startsWith(fence.char) && match[1]!.length >= fence.length;
}

/** Code inside an indented fence loses that much indentation, as CommonMark says. */
function stripIndent(line: string, indent: number): string {
  return line.slice(Math.min(indent, leadingSpaces(line)));
}

function leadingSpaces(line: string): number {
  return /^ */.exec(line)![0].length;
}
