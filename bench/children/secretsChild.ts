// Child process: the secret rules alone (no dangerous-call rules) over the same files and
// 1 MiB heads the local audit reads, printed as one JSON line.
import path from 'node:path';
import { listRepositoryFiles, readTextHead } from '../../workers/files/index.js';
import { scanTextForSecrets } from '../../workers/secrets/index.js';

const root = path.resolve(process.argv[2]!);
const started = performance.now();
const { files } = await listRepositoryFiles(root);
const findings: { file: string; line: number; ruleId: string }[] = [];
let filesScanned = 0;
let bytesScanned = 0;
for (const file of files) {
  const read = await readTextHead(path.join(root, file.path), 1024 * 1024);
  if (read.kind !== 'text') continue;
  filesScanned++;
  bytesScanned += Buffer.byteLength(read.text);
  for (const f of scanTextForSecrets(read.text, file.path)) findings.push({ file: f.file, line: f.line, ruleId: f.ruleId });
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, filesScanned, bytesScanned, findings, maxRssKb: process.resourceUsage().maxRSS }));
