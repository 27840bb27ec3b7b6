import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKER_TYPES } from '../../workers/catalog/constants.js';
import { ConfigError } from '../../workers/errors.js';
import { CONFIG_FILE_NAME, loadConfig, parseConfig, userConfigFile } from '../../workers/config/index.js';

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('the catalog', () => {
  it('holds the twelve workers of the design with their modes, sandboxes and models', () => {
    const { catalog } = parseConfig({});
    expect([...catalog.keys()]).toEqual([...WORKER_TYPES]);
    const audit = catalog.get('audit');
    expect(audit).toMatchObject({ mode: 'headless', sandbox: 'strict', priority: 'critical', model: 'haiku', outputFormat: 'json', enabled: true });
    expect(catalog.get('map')).toMatchObject({ mode: 'local', priority: 'normal', intervalMs: 15 * 60_000, enabled: true });
    expect(catalog.get('deepdive')).toMatchObject({ mode: 'headless', sandbox: 'strict', model: 'opus', intervalMs: 0, enabled: false });
    for (const name of ['audit', 'predict', 'ultralearn']) {
      const def = catalog.get(name);
      expect(def?.mode === 'headless' && def.outputSchema).toBeTruthy();
    }
  });
});

describe('config overrides', () => {
  it('applies a valid override and leaves the other fields as built in', () => {
    const { catalog } = parseConfig({ workers: { audit: { model: 'sonnet', enabled: false }, map: { intervalMs: 60_000 } } });
    expect(catalog.get('audit')).toMatchObject({ model: 'sonnet', enabled: false, sandbox: 'strict' });
    expect(catalog.get('map')).toMatchObject({ intervalMs: 60_000, mode: 'local' });
  });

  it('names the worker, the field and the allowed values of a bad enum', () => {
    expect(problemsOf({ workers: { audit: { sandbox: 'loose' } } })).toEqual([
      'workers.audit.sandbox: must be one of strict, permissive, disabled (got "loose")',
    ]);
  });

  it('refuses allow-list entries that would run any command (a shell with a wildcard)', () => {
    expect(problemsOf({ bashAllowList: ['npm test', 'sh:*'] })).toEqual([expect.stringMatching(/^bashAllowList\[1\] "sh:\*" .*list exact commands instead/)]);
  });

  it('lists known workers for an unknown one and allowed fields for an unknown field', () => {
    const problems = problemsOf({ workers: { audti: {}, audit: { modle: 'opus' } } });
    expect(problems[0]).toMatch(/^workers\.audti: unknown worker; known workers: map, audit, /);
    expect(problems[1]).toMatch(/^workers\.audit: unknown field "modle"; allowed fields: .*model/);
  });

  it('refuses headless-only fields on a local worker', () => {
    expect(problemsOf({ workers: { map: { model: 'opus' } } })).toEqual([
      'workers.map.model: "map" is a local worker (no model); model applies only to headless workers',
    ]);
  });

  it('refuses the disabled sandbox unless the deployer opted in', () => {
    expect(problemsOf({ workers: { audit: { sandbox: 'disabled' } } })[0]).toMatch(/allowDisabledSandbox/);
    expect(parseConfig({ allowDisabledSandbox: true, workers: { audit: { sandbox: 'disabled' } } }).catalog.get('audit')).toMatchObject({ sandbox: 'disabled' });
  });

  it('refuses a model that is neither an alias nor a Claude model id', () => {
    expect(problemsOf({ workers: { audit: { model: 'gpt-4' } } })[0]).toMatch(/^workers\.audit\.model: must be one of haiku, sonnet, opus or a full model id/);
  });

  it('checks targets and limits', () => {
    const problems = problemsOf({ targets: [{ name: 'api' }, { name: 'bad name!', repo: '.' }], limits: { dailyUsd: 'five' } });
    expect(problems).toContain('targets[0]: give exactly one of "repo" (a local directory), "git" ({url, branch}) or "s3" ({bucket, key}) (got {"name":"api"})');
    expect(problems.some((p) => p.startsWith('targets[1].name:'))).toBe(true);
    expect(problems).toContain('limits.dailyUsd: expected number (got "five")');
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hw-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the built-in defaults when the user has no config file', async () => {
    const config = await loadConfig({ env: { HOME: dir } });
    expect(config.source).toBeNull();
    expect(config.resultTtlDays).toBe(30);
  });

  it("reads the user's config file (XDG_CONFIG_HOME, else ~/.config), never the current directory's", async () => {
    await writeFile(path.join(dir, CONFIG_FILE_NAME), JSON.stringify({ resultTtlDays: 1 }));
    await mkdir(path.join(dir, 'xdg', 'headless-workers'), { recursive: true });
    await writeFile(path.join(dir, 'xdg', 'headless-workers', 'config.json'), JSON.stringify({ resultTtlDays: 7, workers: { predict: { enabled: true } } }));
    const config = await loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg') } });
    expect(config.resultTtlDays).toBe(7);
    expect(config.catalog.get('predict')?.enabled).toBe(true);
    expect(userConfigFile({ HOME: '/home/ana' })).toBe('/home/ana/.config/headless-workers/config.json');
  });

  it('names the file when it is not JSON, and when a named file is missing', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{ "workers": ');
    await expect(loadConfig({ file })).rejects.toThrow(`Config file ${file} is not valid JSON`);
    await expect(loadConfig({ file: path.join(dir, 'none.json') })).rejects.toThrow(/^Cannot read config file .*none\.json: it does not exist; pass --config FILE naming a file you can read$/);
  });
});
