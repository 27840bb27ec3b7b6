// Cost of masking a model answer against known secret values (issue 11, case 7):
// `npx tsx bench/maskKnownSecrets.ts`. Prints figures, asserts nothing.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KnownSecretMasker } from '../workers/secrets/index.js';
import { median } from './row.js';

const ROOT = path.join(import.meta.dirname, '..');
const RUNS = 15;

/** Random-looking values of 12 to 60 characters, as a repository's secret scan yields. */
function knownValues(count: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-';
  let state = 42;
  const next = (): number => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, (_, i) => Array.from({ length: 12 + (i % 49) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}

/** An answer of about `kib` KiB: this project's README and source, as a model might quote them. */
function answerOf(kib: number): string {
  const prose = ['README.md', 'workers/engine/runHeadless.ts', 'workers/secrets/secretRules.ts'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  return prose.repeat(Math.ceil((kib * 1024) / prose.length)).slice(0, kib * 1024);
}

const timed = (work: () => unknown): number => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

console.log(`node ${process.version}, ${os.cpus().length} cpu(s), load ${os.loadavg()[0]!.toFixed(1)}`);
console.log('| known values | build | answer | mask (median of 15) | per MiB |');
console.log('|---|---|---|---|---|');
for (const count of [10, 100, 500]) {
  const values = knownValues(count);
  const build = median(Array.from({ length: 5 }, () => timed(() => new KnownSecretMasker(values))));
  const masker = new KnownSecretMasker(values);
  for (const kib of [10, 300]) {
    const answer = answerOf(kib);
    masker.mask(answer); // warm-up
    const ms = median(Array.from({ length: RUNS }, () => timed(() => masker.mask(answer))));
    console.log(`| ${count} | ${build.toFixed(1)} ms | ${kib} KiB | ${ms.toFixed(1)} ms | ${((ms * 1024) / kib).toFixed(0)} ms |`);
  }
}
