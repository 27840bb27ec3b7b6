/** A run of whole lines of a file, 1-based and inclusive. */
export interface Region {
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** A line worth showing and how much. */
export interface WeightedLine {
  readonly line: number;
  readonly weight: number;
}

export interface CutRegionsOptions {
  /** Lines shown before each relevant line. Default 3. */
  readonly before?: number;
  /** Lines shown after each relevant line. Default 3. */
  readonly after?: number;
  /** Characters each region costs besides its lines (its header). Default 0. */
  readonly perRegionChars?: number;
  /** Lines lighter than this get one line less of context on each side. Default 0 (none). */
  readonly narrowBelow?: number;
}

/**
 * The regions of `text` around its relevant lines that fit in `maxChars`:
 * one window of a few lines around each relevant line, the heaviest windows
 * first (earlier lines first among equals), then overlapping or touching
 * windows merged and returned in line order. Each window's cost counts its
 * new lines plus one region's overhead, so the merged result never exceeds
 * `maxChars`. Lines are whole and keep their newline.
 *
 * @example cutRegions(text, [{ line: 120, weight: 3 }], 2_000) // [{ startLine: 117, endLine: 123, text: '...' }]
 */
export function cutRegions(text: string, relevant: readonly WeightedLine[], maxChars: number, options: CutRegionsOptions = {}): Region[] {
  const before = options.before ?? 3;
  const after = options.after ?? 3;
  const perRegion = options.perRegionChars ?? 0;
  const lines = splitLines(text);
  if (lines.length === 0 || maxChars <= 0) return [];
  const order = [...relevant].filter((entry) => entry.line >= 1 && entry.line <= lines.length).sort((a, b) => b.weight - a.weight || a.line - b.line);
  const chosen = new Uint8Array(lines.length + 2);
  let used = 0;
  const narrowBelow = options.narrowBelow ?? 0;
  for (const { line, weight } of order) {
    const narrow = weight < narrowBelow ? 1 : 0;
    const start = Math.max(1, line - Math.max(0, before - narrow));
    const end = Math.min(lines.length, line + Math.max(0, after - narrow));
    let added = 0;
    for (let n = start; n <= end; n++) if (!chosen[n]) added += lines[n - 1]!.length;
    if (added === 0) continue;
    const touches = chosen[start - 1] === 1 || chosen[end + 1] === 1 || rangeHasChosen(chosen, start, end);
    const cost = added + (touches ? 0 : perRegion);
    if (used + cost > maxChars) continue;
    for (let n = start; n <= end; n++) chosen[n] = 1;
    used += cost;
  }
  if (perRegion > 0) bridgeCheapGaps(lines, chosen, perRegion);
  return collectRegions(lines, chosen);
}

/**
 * Joins two regions when the lines between them cost no more than the
 * header a separate region would: the model sees more for the same
 * characters, and the total never grows.
 */
function bridgeCheapGaps(lines: readonly string[], chosen: Uint8Array, perRegion: number): void {
  let lastChosen = 0;
  for (let n = 1; n <= lines.length; n++) {
    if (!chosen[n]) continue;
    if (lastChosen > 0 && n - lastChosen > 1) {
      let gapChars = 0;
      for (let g = lastChosen + 1; g < n && gapChars <= perRegion; g++) gapChars += lines[g - 1]!.length;
      if (gapChars <= perRegion) for (let g = lastChosen + 1; g < n; g++) chosen[g] = 1;
    }
    lastChosen = n;
  }
}

function rangeHasChosen(chosen: Uint8Array, start: number, end: number): boolean {
  for (let n = start; n <= end; n++) if (chosen[n]) return true;
  return false;
}

function collectRegions(lines: readonly string[], chosen: Uint8Array): Region[] {
  const regions: Region[] = [];
  let n = 1;
  while (n <= lines.length) {
    if (!chosen[n]) {
      n++;
      continue;
    }
    const startLine = n;
    while (n <= lines.length && chosen[n]) n++;
    regions.push({ startLine, endLine: n - 1, text: lines.slice(startLine - 1, n - 1).join('') });
  }
  return regions;
}

/** The lines of `text`, each with its newline (the last one gets one if it lacked it). */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  if (text.endsWith('\n')) lines.pop();
  return lines;
}
