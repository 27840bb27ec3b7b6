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

  it('passes extra names a deployer chose', () => {
    // Act
    const env = claudeEnvironment({ HTTPS_PROXY: 'http://proxy:3128', OTHER: 'x' }, { passEnv: ['HTTPS_PROXY'] });

    // Assess
    expect(env.HTTPS_PROXY).toBe('http://proxy:3128');
    expect(env.OTHER).toBeUndefined();
  });
});
