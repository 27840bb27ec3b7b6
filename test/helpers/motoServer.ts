import { afterAll, afterEach, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from './cliProcess.js';

/** The moto_server of the project's virtualenv (scripts/setup.sh installs it from requirements-dev.txt). */
export const MOTO_SERVER_BIN = path.join(PROJECT_ROOT, '.venv', 'bin', 'moto_server');

/** Region and fake credentials every test client and spawned runner uses. */
export const MOTO_REGION = 'us-east-1';
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
/** The account moto puts every resource in. */
export const MOTO_ACCOUNT = '123456789012';

/** Environment for a process that talks to the emulator (SDK defaults plus our endpoint variable). */
export function motoProcessEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: MOTO_REGION,
    AWS_DEFAULT_REGION: MOTO_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    HW_AWS_ENDPOINT: endpoint,
  };
}

/** Client configuration for SDK clients the tests create. */
export function motoClientConfig(endpoint: string) {
  return { region: MOTO_REGION, endpoint, credentials: { ...MOTO_CREDENTIALS } };
}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Clears every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts moto_server on a free loopback port and waits until it answers.
 * Fails with the fix when the project's virtualenv is missing.
 *
 * @example
 * let moto: MotoServer;
 * beforeAll(async () => { moto = await startMotoServer(); });
 * afterEach(() => moto.reset());
 * afterAll(() => moto.stop());
 */
export async function startMotoServer(): Promise<MotoServer> {
  if (!existsSync(MOTO_SERVER_BIN)) {
    throw new Error(
      `moto_server not found at ${MOTO_SERVER_BIN}. The AWS emulator tests need the project's virtualenv: run ./scripts/setup.sh ` +
        '(or: python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt)',
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(MOTO_SERVER_BIN, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Registers the usual lifecycle for a file of emulator tests: one moto_server for the
 * file, `beforeReset` (stop agents and the like) then a reset after each test, stop at the end.
 * Read `.endpoint` inside tests and hooks, not at import time.
 *
 * @example
 * const moto = useMotoServer({ beforeReset: () => agent?.stop() });
 * it('…', async () => { const pipeline = await createTestPipeline(moto.endpoint); });
 */
export function useMotoServer(options: { readonly beforeReset?: () => unknown } = {}): { readonly endpoint: string; readonly server: MotoServer } {
  let server: MotoServer | undefined;
  beforeAll(async () => {
    server = await startMotoServer();
  });
  afterEach(async () => {
    await options.beforeReset?.();
    await server?.reset();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get server(): MotoServer {
      if (!server) throw new Error('moto_server is not started yet: use it inside a test or hook');
      return server;
    },
    get endpoint(): string {
      return this.server.endpoint;
    },
  };
}
