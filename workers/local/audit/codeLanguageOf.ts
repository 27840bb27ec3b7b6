import path from 'node:path';
import type { CodeLanguage } from './types.js';

const BY_EXTENSION: Readonly<Record<string, CodeLanguage>> = {
  '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
  '.ts': 'javascript', '.tsx': 'javascript', '.mts': 'javascript', '.cts': 'javascript',
  '.vue': 'javascript', '.svelte': 'javascript',
  '.py': 'python', '.pyw': 'python',
  '.go': 'go',
  '.rb': 'ruby',
  '.php': 'php',
  '.java': 'java', '.kt': 'java', '.kts': 'java', '.scala': 'java', '.groovy': 'java',
  '.cs': 'csharp',
  '.html': 'html', '.htm': 'html',
};

/**
 * The language family whose dangerous-call rules apply to a file, by
 * extension; null for files no rule reads (data, docs, config).
 *
 * @example codeLanguageOf('src/app.tsx') === 'javascript'
 */
export function codeLanguageOf(filePath: string): CodeLanguage | null {
  if (filePath.endsWith('.d.ts')) return null;
  return BY_EXTENSION[path.posix.extname(filePath).toLowerCase()] ?? null;
}
