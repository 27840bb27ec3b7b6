// Child process: runs the local audit on argv[2] and prints its secret findings as one JSON line.
import { DANGEROUS_CALL_RULES, runLocalAudit } from '../../workers/local/audit/index.js';

const dangerous = new Set(DANGEROUS_CALL_RULES.map((rule) => rule.id));
const started = performance.now();
const result = await runLocalAudit(process.argv[2]!);
const ms = performance.now() - started;
const secrets = result.findings.filter((finding) => !dangerous.has(finding.ruleId)).map((finding) => ({ file: finding.file, line: finding.line, ruleId: finding.ruleId }));
console.log(JSON.stringify({ ms, filesScanned: result.stats.filesScanned, bytesScanned: result.stats.bytesScanned, findings: secrets, totalFindings: result.findings.length, maxRssKb: process.resourceUsage().maxRSS }));
