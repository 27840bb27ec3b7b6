import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isExecutableFile } from './trustedPath.js';

/** The npm package of the Claude Code CLI, a regular dependency of this product. */
export const CLAUDE_CODE_PACKAGE = '@anthropic-ai/claude-code';

/**
 * Below this size `bin/claude.exe` is still the package's placeholder stub: its
 * postinstall (which copies the native binary over it) did not run, e.g. under
 * `npm ci --ignore-scripts`. The package's own install script uses the same bound.
 */
const STUB_MAX_BYTES = 4096;

/** Resolves from this module's own location, never from the working directory. */
const requireHere = createRequire(import.meta.url);

const resolveFrom = (require: NodeJS.Require, request: string): string | undefined => {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
};

const isRealBinary = (path: string): boolean => isExecutableFile(path) && statSync(path).size > STUB_MAX_BYTES;

/** `linux-x64`, `linux-x64-musl`, `darwin-arm64`, ...: the native packages that may hold this platform's binary. */
const platformPackages = (): string[] => {
  const base = `${CLAUDE_CODE_PACKAGE}-${process.platform}-${process.arch}`;
  return process.platform === 'linux' ? [base, `${base}-musl`] : [base];
};

/**
 * The Claude Code binary of this product's own dependency (the version package.json
 * pins and the tests prove), resolved from this module's location: never from the
 * working directory or the repository under analysis. The package's `bin` when its
 * postinstall put the native binary there, else the binary of the platform package
 * it depends on (installed with scripts off). Undefined when neither is installed.
 *
 * @example
 * ownClaudeBinary(); // '/usr/lib/node_modules/headless-workers/node_modules/@anthropic-ai/claude-code/bin/claude.exe'
 */
export const ownClaudeBinary = (): string | undefined => {
  const manifestPath = resolveFrom(requireHere, `${CLAUDE_CODE_PACKAGE}/package.json`);
  if (!manifestPath) return undefined;
  const packageDir = dirname(manifestPath);
  let bin: unknown;
  try {
    bin = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: unknown }).bin;
  } catch {
    bin = undefined;
  }
  const binPath = typeof bin === 'string' ? bin : typeof bin === 'object' && bin !== null ? (bin as Record<string, unknown>).claude : undefined;
  if (typeof binPath === 'string' && isRealBinary(join(packageDir, binPath))) return join(packageDir, binPath);

  const requireFromPackage = createRequire(manifestPath);
  for (const name of platformPackages()) {
    const platformManifest = resolveFrom(requireFromPackage, `${name}/package.json`);
    const candidate = platformManifest ? join(dirname(platformManifest), 'claude') : undefined;
    if (candidate && isRealBinary(candidate)) return candidate;
  }
  return undefined;
};
