import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, chmod, constants, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';

/*
 * The official SARIF validator: Microsoft's SARIF Multitool (`sarif-multitool
 * validate`), from npm. Its verdict is read from the SARIF log it writes with
 * `--output` (its exit code is 0 whether or not the file has errors): every
 * result whose level (or its rule's default level) is `error` fails the file.
 *
 * The multitool silently reports nothing for a file it cannot deserialize
 * (an unknown enum value such as `"level": "bogus"` gives zero results and
 * "Analysis completed successfully"), so the file is also checked against the
 * SARIF 2.1.0 JSON schema that ships inside the multitool package; schema
 * violations count as errors too.
 */

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

export type ValidatorLevel = 'error' | 'warning' | 'note' | 'none';

/** One thing the validator said about the file. */
export interface ValidatorMessage {
  /** `multitool` for the SARIF Multitool's rules (JSONnnnn, SARIFnnnn, GHnnnn), `schema` for the JSON schema check. */
  readonly source: 'multitool' | 'schema';
  readonly ruleId: string;
  readonly level: ValidatorLevel;
  readonly text: string;
}

export interface SarifValidation {
  readonly file: string;
  /** Messages at level error: the file is valid when this is empty. */
  readonly errors: readonly ValidatorMessage[];
  /** Everything the validator said, notes included. */
  readonly messages: readonly ValidatorMessage[];
  /** The messages, one a line, for a failing assertion. */
  readonly report: string;
}

/** Multitool rule kinds: SARIF's own rules plus GitHub code scanning's ingestion rules. */
const RULE_KINDS = 'Sarif;Gh';

/**
 * Path of the multitool binary for this platform, made executable if needed:
 * npm 11 does not run the platform package's `chmod u+x` postinstall.
 *
 * @example await execFile(await sarifMultitoolPath(), ['validate', 'out.sarif'])
 */
export async function sarifMultitoolPath(): Promise<string> {
  // The package's main module exports the path of its platform's binary.
  const binary = require('@microsoft/sarif-multitool') as string;
  try {
    await access(binary, constants.X_OK);
  } catch {
    const { mode } = await stat(binary);
    await chmod(binary, mode | 0o100);
  }
  return binary;
}

/**
 * Runs `sarif-multitool validate <file> --output <json> --rule-kind Sarif;Gh
 * --level Error;Warning;Note` and checks the file against the SARIF 2.1.0
 * schema; returns every message, with the error-level ones in `errors`.
 *
 * @example
 * const validation = await validateSarif('audit.sarif');
 * expect(validation.errors, validation.report).toEqual([]);
 */
export async function validateSarif(file: string): Promise<SarifValidation> {
  const binary = await sarifMultitoolPath();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'hw-sarif-validate-'));
  try {
    const output = path.join(workDir, 'validation.sarif');
    const args = ['validate', file, '--output', output, '--log', 'ForceOverwrite', '--rule-kind', RULE_KINDS, '--level', 'Error;Warning;Note'];
    const { stdout } = await execFileAsync(binary, args, {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      // The single-file .NET app extracts itself; keep that out of the home directory.
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_BUNDLE_EXTRACT_BASE_DIR: path.join(os.tmpdir(), 'hw-sarif-multitool') },
    }).catch((error: unknown) => {
      const failure = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`sarif-multitool failed: ${failure.message}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
    });
    const multitool = readMultitoolLog(JSON.parse(await readFile(output, 'utf8')), stdout);
    const schema = schemaMessages(JSON.parse(await readFile(file, 'utf8')), path.dirname(binary));
    const messages = [...multitool, ...schema];
    const errors = messages.filter((message) => message.level === 'error');
    return { file, errors, messages, report: messages.map((m) => `${m.level} ${m.ruleId} (${m.source}): ${m.text}`).join('\n') };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface MultitoolRule {
  readonly id: string;
  readonly messageStrings?: Readonly<Record<string, { readonly text: string }>>;
  readonly defaultConfiguration?: { readonly level?: ValidatorLevel };
}

interface MultitoolResult {
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  readonly level?: ValidatorLevel;
  readonly message: { readonly text?: string; readonly id?: string; readonly arguments?: readonly string[] };
}

interface MultitoolLog {
  readonly runs: readonly {
    readonly tool: { readonly driver: { readonly rules?: readonly MultitoolRule[] } };
    readonly results?: readonly MultitoolResult[];
    readonly invocations?: readonly {
      readonly executionSuccessful: boolean;
      readonly toolExecutionNotifications?: readonly { readonly level?: ValidatorLevel; readonly message: { readonly text?: string } }[];
      readonly toolConfigurationNotifications?: readonly { readonly level?: ValidatorLevel; readonly message: { readonly text?: string } }[];
    }[];
  }[];
}

/** The multitool's own SARIF output as messages: levels resolved through rule defaults, texts through message strings. */
function readMultitoolLog(log: MultitoolLog, stdout: string): ValidatorMessage[] {
  const messages: ValidatorMessage[] = [];
  for (const run of log.runs) {
    const rules = run.tool.driver.rules ?? [];
    for (const result of run.results ?? []) {
      const rule = result.ruleIndex === undefined ? rules.find((r) => r.id === result.ruleId) : rules[result.ruleIndex];
      // SARIF: a result without `level` takes its rule's default level, and `warning` without one.
      const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
      const template = result.message.id ? rule?.messageStrings?.[result.message.id]?.text : undefined;
      const text =
        result.message.text ??
        (template ? template.replace(/\{(\d+)\}/g, (_, index: string) => result.message.arguments?.[Number(index)] ?? '') : JSON.stringify(result.message));
      messages.push({ source: 'multitool', ruleId: result.ruleId ?? rule?.id ?? 'unknown', level, text });
    }
    for (const invocation of run.invocations ?? []) {
      if (!invocation.executionSuccessful) {
        messages.push({ source: 'multitool', ruleId: 'execution', level: 'error', text: `the validator did not run to completion:\n${stdout}` });
      }
      for (const note of [...(invocation.toolExecutionNotifications ?? []), ...(invocation.toolConfigurationNotifications ?? [])]) {
        messages.push({ source: 'multitool', ruleId: 'notification', level: note.level ?? 'warning', text: note.message.text ?? '' });
      }
    }
  }
  return messages;
}

let schemaValidator: ReturnType<Ajv2020['compile']> | undefined;

/** Violations of the SARIF 2.1.0 JSON schema shipped beside the multitool binary, as error messages. */
function schemaMessages(log: unknown, multitoolDir: string): ValidatorMessage[] {
  if (!schemaValidator) {
    const schemaFile = path.join(multitoolDir, 'sarif-2.1.0.json');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i);
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/);
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    schemaValidator = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  }
  if (schemaValidator(log)) return [];
  return (schemaValidator.errors ?? []).map((error) => ({
    source: 'schema' as const,
    ruleId: `schema/${error.keyword}`,
    level: 'error' as const,
    text: `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  }));
}
