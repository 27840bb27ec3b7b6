import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabelledLine } from './promptLineCoverage.js';

/** A generated application: where it is, its labelled vulnerable lines and its size. */
export interface LabelledApp {
  readonly name: string;
  readonly dir: string;
  readonly labels: readonly LabelledLine[];
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the files of a generated application into `dir` (emptied first): a
 * template line ending in `marker` is vulnerable; the marker is removed from
 * the written file and the line is labelled.
 *
 * @example const app = labelledAppWriter('/tmp/shop', ' #!VULN'); app.write('a.py', 'eval(x) #!VULN'); app.finish('shop').labels // [{ file: 'a.py', line: 1 }]
 */
export function labelledAppWriter(dir: string, marker: string): { write(file: string, text: string): void; finish(name: string): LabelledApp } {
  rmSync(dir, { recursive: true, force: true });
  const labels: LabelledLine[] = [];
  let files = 0;
  let bytes = 0;
  return {
    write(file, text) {
      const clean = text.split('\n').map((line, index) => {
        if (!line.endsWith(marker)) return line;
        labels.push({ file, line: index + 1 });
        return line.slice(0, -marker.length);
      });
      const out = clean.join('\n');
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), out);
      files++;
      bytes += Buffer.byteLength(out);
    },
    finish: (name) => ({ name, dir, labels, files, bytes }),
  };
}
