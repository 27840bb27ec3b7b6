import type { Command, Option } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram, main, type CliOutput } from '../../cli/program.js';
import { runCli } from '../helpers/cliProcess.js';

/** Seeded, so a failure replays; printed with the counterexample by fast-check. */
const SEED = 20261125;
const IN_PROCESS_CASES = 4_000;
const SPOT_CHECKS = 6;

/** A command the CLI can run (no subcommands), with the words that reach it. */
interface Leaf {
  readonly path: readonly string[];
  readonly command: Command;
  /** Its options and the root's (global) ones. */
  readonly options: readonly Option[];
}

/** The CLI's commands as the program defines them, so the fuzz follows every change to it. */
function leavesOf(program: Command): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (command: Command, path: string[]): void => {
    // --version is an action, not an option: wherever it appears it prints the version and exits 0, so it is no part of a valid base.
    if (command.commands.length === 0) leaves.push({ path, command, options: [...command.options, ...program.options.filter((o) => o.long !== '--version')] });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  for (const command of program.commands) walk(command, [command.name()]);
  return leaves;
}

/** A value that parses as a plain word: never starts with '-', never a command name. */
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._/]{0,11}$/).filter((w) => !w.startsWith('-'));
/** Values the options with their own parser accept, and ones they refuse. */
const PARSED_VALUES: Record<string, { readonly good: readonly string[]; readonly bad: readonly string[] }> = {
  '--last': { good: ['1', '5', '20'], bad: ['0', '21', 'abc', '2.5'] },
  '--run': { good: ['20261125T160102123Z-audit-3fa9c2e1'], bad: ['latest', '../etc/passwd', '20261125-audit'] },
  '--workers': { good: ['map', 'map,audit'], bad: [',', ' , '] },
};

const takesValue = (option: Option): boolean => option.required || option.optional;
const nameOf = (option: Option): string => option.long ?? option.short ?? option.flags;

/** A valid value of an option (a choice, a value its parser takes, or a plain word). */
function goodValue(option: Option): fc.Arbitrary<string> {
  if (option.argChoices) return fc.constantFrom(...option.argChoices);
  const parsed = PARSED_VALUES[nameOf(option)];
  if (parsed) return fc.constantFrom(...parsed.good);
  return word;
}

/** The option with a valid value, as argv words. */
const optionWords = (option: Option): fc.Arbitrary<string[]> =>
  takesValue(option) ? goodValue(option).map((value) => [nameOf(option), value]) : fc.constant([nameOf(option)]);

/** A correct invocation of a leaf, split in groups (defects go between groups, never inside one). */
function validGroups(leaf: Leaf, skip: { argument?: boolean; mandatory?: Option; conflicts?: boolean } = {}): fc.Arbitrary<string[][]> {
  const required = leaf.command.registeredArguments.filter((a) => a.required);
  const mandatory = leaf.options.filter((o) => o.mandatory && o !== skip.mandatory);
  // --last and --run exclude each other: never both in a valid base.
  const optional = leaf.options.filter((o) => !o.mandatory && nameOf(o) !== '--run');
  return fc
    .tuple(
      fc.tuple(...required.map(() => word)),
      fc.tuple(...mandatory.map(optionWords)),
      fc.subarray(optional, { maxLength: Math.min(4, optional.length) }).chain((chosen) => fc.tuple(...chosen.map(optionWords))),
    )
    .map(([args, mandatoryWords, optionalWords]) => [
      ...(skip.argument ? [] : args.map((a) => [a])),
      ...mandatoryWords,
      ...optionalWords,
    ]);
}

/** One wrong invocation and the message it must produce. */
interface Case {
  readonly argv: readonly string[];
  readonly defect: string;
  readonly expected: RegExp;
}

const insertAt = (groups: string[][], index: number, group: string[]): string[][] => [...groups.slice(0, index), group, ...groups.slice(index)];
const flatten = (path: readonly string[], groups: string[][]): string[] => [...path, ...groups.flat()];
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every kind of wrong input a leaf can get, each arbitrary holding exactly one defect. */
function defectsOf(leaf: Leaf, commandNames: readonly string[]): fc.Arbitrary<Case>[] {
  const shorts = new Set(leaf.options.map((o) => o.short).filter(Boolean));
  const kinds: fc.Arbitrary<Case>[] = [];

  const unknownLong = fc.stringMatching(/^[a-z][a-z-]{0,10}$/).map((s) => `--zz-${s}`);
  kinds.push(
    fc.tuple(validGroups(leaf), unknownLong, fc.nat()).map(([groups, flag, at]) => ({
      argv: flatten(leaf.path, insertAt(groups, at % (groups.length + 1), [flag])),
      defect: 'unknown option',
      expected: new RegExp(`unknown option '${escape(flag)}'`),
    })),
  );
  const freeShorts = 'abcdefgijklmnopqrstuvxyzABCDEFGIJKLMNOPQRSTUWXYZ'.split('').filter((c) => !shorts.has(`-${c}`));
  kinds.push(
    fc.tuple(validGroups(leaf), fc.constantFrom(...freeShorts), fc.nat()).map(([groups, letter, at]) => ({
      argv: flatten(leaf.path, insertAt(groups, at % (groups.length + 1), [`-${letter}`])),
      defect: 'unknown short option',
      expected: new RegExp(`unknown option '-${letter}'`),
    })),
  );
  kinds.push(
    fc.tuple(validGroups(leaf), fc.array(word, { minLength: 1, maxLength: 3 })).map(([groups, extra]) => ({
      argv: [...flatten(leaf.path, groups), ...extra],
      defect: 'extra argument',
      expected: /too many arguments/,
    })),
  );
  if (leaf.command.registeredArguments.some((a) => a.required)) {
    kinds.push(
      validGroups(leaf, { argument: true }).map((groups) => ({
        argv: flatten(leaf.path, groups),
        defect: 'missing argument',
        expected: /missing required argument '\w+'/,
      })),
    );
  }
  for (const option of leaf.options.filter((o) => o.mandatory)) {
    kinds.push(
      validGroups(leaf, { mandatory: option }).map((groups) => ({
        argv: flatten(leaf.path, groups),
        defect: 'missing required option',
        expected: new RegExp(`required option '${escape(option.flags)}' not specified`),
      })),
    );
  }
  for (const option of leaf.options.filter((o) => o.argChoices)) {
    const bad = word.filter((value) => !option.argChoices!.includes(value));
    kinds.push(
      fc.tuple(validGroups(leaf), bad).map(([groups, value]) => ({
        argv: flatten(leaf.path, [...groups.filter((g) => g[0] !== nameOf(option)), [nameOf(option), value]]),
        defect: 'bad choice',
        expected: new RegExp(`argument '${escape(value)}' is invalid\\. Allowed choices are ${option.argChoices!.join(', ')}`),
      })),
    );
  }
  for (const option of leaf.options.filter((o) => PARSED_VALUES[nameOf(o)])) {
    kinds.push(
      fc.tuple(validGroups(leaf), fc.constantFrom(...PARSED_VALUES[nameOf(option)]!.bad)).map(([groups, value]) => ({
        argv: flatten(leaf.path, [...groups.filter((g) => g[0] !== nameOf(option)), [nameOf(option), value]]),
        defect: 'bad value',
        expected: new RegExp(`option '${escape(option.flags)}' argument '${escape(value)}' is invalid\\. \\w+`),
      })),
    );
  }
  const valued = leaf.options.filter(takesValue);
  kinds.push(
    fc.tuple(validGroups(leaf), fc.constantFrom(...valued)).map(([groups, option]) => ({
      argv: [...flatten(leaf.path, groups.filter((g) => g[0] !== nameOf(option))), nameOf(option)],
      defect: 'option without its value',
      expected: new RegExp(`option '${escape(option.flags)}' argument missing`),
    })),
  );
  const parent = leaf.path.slice(0, -1);
  kinds.push(
    word
      .filter((w) => !commandNames.includes(w) && w !== 'help')
      .map((name) => ({ argv: [...parent, name], defect: 'unknown command', expected: new RegExp(`unknown command '${escape(name)}'`) })),
  );
  return kinds;
}

/** Runs the CLI's program in this process, capturing what it prints. */
async function runInProcess(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output: CliOutput = { writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) };
  const code = await main(argv, output);
  return { code, stdout, stderr };
}

const program = buildProgram(() => undefined);
const leaves = leavesOf(program);
const commandNames = leaves.flatMap((leaf) => leaf.path);
const wrongInvocation: fc.Arbitrary<Case> = fc.oneof(...leaves.flatMap((leaf) => defectsOf(leaf, commandNames)));

describe('the CLI with wrong flags and arguments (fast-check over every command)', () => {
  it('covers every command of the program', () => {
    expect(leaves.map((leaf) => leaf.path.join(' ')).sort()).toEqual(
      ['coverage', 'daemon start', 'daemon status', 'daemon stop', 'daemon trigger', 'findings', 'report', 'results', 'run', 'status', 'suppress', 'trigger', 'workers'].sort(),
    );
  });

  it(`${IN_PROCESS_CASES} generated argv in-process: a usage message naming the problem, exit 2, no stack trace`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(wrongInvocation, async ({ argv, defect, expected }) => {
        const { code, stdout, stderr } = await runInProcess(argv);
        seen.set(defect, (seen.get(defect) ?? 0) + 1);
        expect(stderr).toMatch(/^error: /);
        expect(stderr).toMatch(expected);
        expect(stderr).toContain('(run with --help for usage)');
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at |TypeError/);
      }),
      { numRuns: IN_PROCESS_CASES, seed: SEED },
    );
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    console.log(`CLI usage fuzz: ${total} argv cases over ${leaves.length} commands (${[...seen].map(([k, v]) => `${k} ${v}`).join(', ')})`);
    expect(total).toBe(IN_PROCESS_CASES);
    expect(seen.size).toBeGreaterThanOrEqual(8);
  }, 120_000);

  it(`${SPOT_CHECKS} of them as real processes: the same exit code and message as in-process`, async () => {
    const samples = fc.sample(wrongInvocation, { numRuns: SPOT_CHECKS, seed: SEED + 1 });
    for (const { argv, expected } of samples) {
      const real = await runCli(argv);
      const inProcess = await runInProcess(argv);
      expect(real.code, argv.join(' ')).toBe(2);
      expect(real.stderr).toMatch(expected);
      expect(real.stderr).toBe(inProcess.stderr);
      expect(`${real.stdout}${real.stderr}`).not.toMatch(/\n\s+at |TypeError/);
    }
  }, 120_000);
});
