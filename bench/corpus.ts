import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The corpus choices `--corpus` accepts besides a directory path. */
export const CORPUS_PRESETS = {
  /** Ten large modules of aws-cdk-lib: about a third of the package, runs the suite in about two minutes. */
  'cdk-subset': ['core', 'aws-ec2', 'aws-lambda', 'aws-s3', 'aws-iam', 'aws-ecs', 'aws-rds', 'aws-eks', 'aws-bedrock', 'custom-resource-handlers'],
  /** All of aws-cdk-lib but its own bundled node_modules. */
  'aws-cdk-lib': null,
} as const;

export type CorpusPreset = keyof typeof CORPUS_PRESETS;

/** A prepared corpus: a directory nobody here wrote, and its size. */
export interface Corpus {
  readonly name: string;
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
}

const SOURCE = path.join(import.meta.dirname, '..', 'node_modules', 'aws-cdk-lib');

/**
 * Copies the chosen part of the installed `aws-cdk-lib` (the npm registry's
 * source, written by AWS) into a temporary directory, outside any git
 * repository, so every tool sees the same plain tree. A directory path is
 * used as it is.
 *
 * @example const corpus = prepareCorpus('cdk-subset'); corpus.dir
 */
export function prepareCorpus(choice: string): Corpus {
  if (!Object.hasOwn(CORPUS_PRESETS, choice)) {
    const dir = path.resolve(choice);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--corpus: not a preset (${Object.keys(CORPUS_PRESETS).join(', ')}) nor a directory: ${choice}`);
    return { name: dir, dir, ...sizeOf(dir) };
  }
  if (!existsSync(SOURCE)) throw new Error(`aws-cdk-lib is not installed at ${SOURCE}: run npm ci`);
  const dir = path.join(tmpdir(), 'hw-bench-corpus', choice);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const modules = CORPUS_PRESETS[choice as CorpusPreset] ?? readdirSync(SOURCE).filter((entry) => entry !== 'node_modules');
  for (const entry of modules) cpSync(path.join(SOURCE, entry), path.join(dir, entry), { recursive: true, filter: (from) => path.basename(from) !== 'node_modules' });
  return { name: `${choice} (aws-cdk-lib ${packageVersion()})`, dir, ...sizeOf(dir) };
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(SOURCE, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}
