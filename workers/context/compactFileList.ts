import { compareStrings } from '../files/index.js';
import { fileRole } from './fileRole.js';
import { isTranslationPath } from './isTranslationPath.js';

/** Style sheets: presentation, never where trust is decided. */
const STYLE_SHEET = /\.(?:css|scss|sass|less|styl)$/i;

/** Low-value files are counted under their first few folders, so one style sheet per component folder still groups. */
const GROUP_DEPTH = 3;

/** A folder with fewer low-value files than this keeps their paths: a count would save nothing. */
const MIN_GROUP = 3;

/**
 * The prompt's file list for a security question: production files by path,
 * and tests, examples, docs, translations and style sheets counted by folder
 * (at most three levels down)
 * (`test/server/ (48 tests, docs, examples, translations or styles)`), so a listing of
 * a large repository costs a fraction of its length while every file is still
 * accounted for and the model can open any of them with its tools.
 *
 * @example compactFileList(['src/a.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts'])
 * // ['src/a.ts', 'test/ (3 tests, docs, examples, translations or styles)']
 */
export function compactFileList(paths: readonly string[]): string[] {
  const kept: string[] = [];
  const lowValueByFolder = new Map<string, string[]>();
  for (const filePath of paths) {
    const role = fileRole(filePath);
    if (role === 'test' || role === 'example' || role === 'docs' || isTranslationPath(filePath) || STYLE_SHEET.test(filePath)) {
      const folder = groupFolder(filePath);
      const group = lowValueByFolder.get(folder);
      if (group) group.push(filePath);
      else lowValueByFolder.set(folder, [filePath]);
    } else kept.push(filePath);
  }
  for (const [folder, files] of lowValueByFolder) {
    if (files.length < MIN_GROUP) kept.push(...files);
    else kept.push(`${folder} (${files.length} tests, docs, examples, translations or styles)`);
  }
  return kept.sort(compareStrings);
}

/** The folder a low-value file is counted under: its own, or its ancestor `GROUP_DEPTH` levels down. */
function groupFolder(filePath: string): string {
  const folders = filePath.split('/').slice(0, -1);
  return folders.length === 0 ? './' : `${folders.slice(0, GROUP_DEPTH).join('/')}/`;
}
