import { describe, expect, it } from 'vitest';
import { claudeEnvironment } from '../../workers/headless/index.js';

describe('claudeEnvironment', () => {
  it('keeps the basics and the credentials, drops everything else, switches telemetry off', () => {
    // Prepare
    const source = {
      PATH: '/usr/bin',
      HOME: '/home/worker',
      LANG: 'C.UTF-8',
      TMPDIR: '/scratch/tmp',
      ANTHROPIC_API_KEY: 'sk-ant-x',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      GITHUB_TOKEN: 'ghp_x',
      NODE_OPTIONS: '--require evil.js',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
      CLAUDE_CONFIG_DIR: '/elsewhere',
      EMPTY: '',
    };

    // Act
    const env = claudeEnvironment(source, { maxRetries: 2 });

    // Assess
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/worker',
      LANG: 'C.UTF-8',
      TMPDIR: '/scratch/tmp',
      ANTHROPIC_API_KEY: 'sk-ant-x',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '1',
      CLAUDE_CODE_MAX_RETRIES: '2',
    });
  });

  it('passes AWS variables only for Bedrock and Vertex settings only for Vertex', () => {
    // Prepare
    const aws = { AWS_REGION: 'eu-west-1', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' };
    const vertex = { CLOUD_ML_REGION: 'us-east5', ANTHROPIC_VERTEX_PROJECT_ID: 'p', VERTEX_REGION_CLAUDE_HAIKU_4_5: 'eu' };

    // Act
    const bedrock = claudeEnvironment({ ...aws, ...vertex, CLAUDE_CODE_USE_BEDROCK: '1' });
    const onVertex = claudeEnvironment({ ...aws, ...vertex, CLAUDE_CODE_USE_VERTEX: 'true' });

    // Assess
    expect(bedrock).toMatchObject({ ...aws, CLAUDE_CODE_USE_BEDROCK: '1' });
    expect(bedrock.CLOUD_ML_REGION).toBeUndefined();
    expect(onVertex).toMatchObject({ ...vertex, CLAUDE_CODE_USE_VERTEX: 'true' });
    expect(onVertex.AWS_REGION).toBeUndefined();
  });

  it('gives Bedrock its region, model settings and one credential source, never every AWS_* variable', () => {
    // Prepare: the runner's own keys, a profile, the task role endpoint and unrelated AWS settings all at once
    const source = {
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'eu-west-1',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'eu.anthropic.claude-sonnet-5-5',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-key',
      AWS_SESSION_TOKEN: 'session',
      AWS_PROFILE: 'other',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token',
      AWS_CA_BUNDLE: '/etc/ca.pem',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000',
      AWS_SDK_UA_APP_ID: 'runner',
    };

    // Act
    const withKeys = claudeEnvironment(source);
    const withProfile = claudeEnvironment({ ...source, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONFIG_FILE: '/home/u/.aws/config' });
    const onlyTaskRole = claudeEnvironment({ CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'eu-west-1', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc', AWS_SDK_UA_APP_ID: 'runner' });
    const apiKey = claudeEnvironment({ ...source, AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key' });

    // Assess
    const awsNames = (env: Record<string, string>): string[] => Object.keys(env).filter((name) => name.startsWith('AWS_')).sort();
    expect(withKeys).toMatchObject({ CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_DEFAULT_SONNET_MODEL: 'eu.anthropic.claude-sonnet-5-5' });
    expect(awsNames(withKeys)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    expect(awsNames(withProfile)).toEqual(['AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_REGION']);
    expect(awsNames(onlyTaskRole)).toEqual(['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_REGION']);
    expect(awsNames(apiKey)).toEqual(['AWS_BEARER_TOKEN_BEDROCK', 'AWS_REGION']);
  });

  it('keeps only absolute PATH entries outside the repository and the working directory', () => {
    // Act
    const env = claudeEnvironment({ PATH: ['node_modules/.bin', '.', '', '/repo/bin', '/repo', '/usr/local/bin', '/usr/bin'].join(':') }, { untrustedDirs: ['/repo'] });

    // Assess
    expect(env.PATH).toBe('/usr/local/bin:/usr/bin');
  });

  it('asks Claude Code to scrub credentials from its commands only when Bash runs sandboxed', () => {
    // Act / assess
    expect(claudeEnvironment({}, { scrubSubprocessEnv: true }).CLAUDE_CODE_SUBPROCESS_ENV_SCRUB).toBe('1');
    expect(claudeEnvironment({ CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '0' }).CLAUDE_CODE_SUBPROCESS_ENV_SCRUB).toBeUndefined();
  });

  it('passes extra names a deployer chose', () => {
    // Act
    const env = claudeEnvironment({ HTTPS_PROXY: 'http://proxy:3128', OTHER: 'x' }, { passEnv: ['HTTPS_PROXY'] });

    // Assess
    expect(env.HTTPS_PROXY).toBe('http://proxy:3128');
    expect(env.OTHER).toBeUndefined();
  });
});
