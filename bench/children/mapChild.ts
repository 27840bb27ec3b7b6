// Child process: runs the map worker on argv[2] and prints its counts as one JSON line.
// With argv[3], also writes there (after timing) the absolute paths of the files the map
// considered, one a line, so cloc can count the very same files (`--list-file`): the listing's
// candidates less those the map left out by design after reading them (a generator's marker,
// binary, too large, unreadable). Files of no language and empty ones stay in: cloc decides.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { listRepositoryFiles } from '../../workers/files/index.js';
import { runMap } from '../../workers/local/map/runMap.js';

const root = path.resolve(process.argv[2]!);
const started = performance.now();
const map = await runMap(root);
const ms = performance.now() - started;
const maxRssKb = process.resourceUsage().maxRSS;
if (process.argv[3]) {
  const { files } = await listRepositoryFiles(root);
  const leftOut = new Set(map.accounting.notCounted.filter((group) => group.reason !== 'unknown' && group.reason !== 'empty').flatMap((group) => group.paths));
  const considered = files.filter((file) => !leftOut.has(file.path));
  writeFileSync(process.argv[3], considered.map((file) => path.join(root, file.path)).join('\n') + '\n');
}
const languages = Object.fromEntries(map.languages.map((l) => [l.language, { files: l.files, code: l.code, comment: l.comment, blank: l.blank }]));
const notCounted = Object.fromEntries(map.accounting.notCounted.map((group) => [`${group.reason}: ${group.detail}`, group.files]));
console.log(JSON.stringify({ ms, files: map.files, languages, skipped: map.skipped, notCounted, maxRssKb }));
