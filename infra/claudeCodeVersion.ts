import { readFileSync } from 'node:fs';

/** The npm package of the Claude Code CLI. */
export const CLAUDE_CODE_PACKAGE = '@anthropic-ai/claude-code';

/**
 * The exact Claude Code version the project pins in package.json: the worker
 * image installs this version and no other, so local tests and the cloud run
 * the same CLI. Throws when the pin is a range.
 *
 * @example
 * pinnedClaudeCodeVersion('/repo/package.json'); // '2.1.332'
 */
export function pinnedClaudeCodeVersion(packageJsonPath: string): string {
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.[CLAUDE_CODE_PACKAGE] ?? manifest.devDependencies?.[CLAUDE_CODE_PACKAGE];
  if (version === undefined) {
    throw new Error(`${packageJsonPath}: dependencies["${CLAUDE_CODE_PACKAGE}"] is missing; the worker image installs that exact version`);
  }
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(
      `${packageJsonPath}: dependencies["${CLAUDE_CODE_PACKAGE}"] must be an exact version such as 2.1.332 (got "${version}"); ` +
        'the worker image installs exactly that version',
    );
  }
  return version;
}
