import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASH_NEEDS_SANDBOX, decideBashOffer, probeBashSandbox } from '../../workers/headless/index.js';

describe('decideBashOffer', () => {
  it('offers Bash only for allow-listed commands, the sandbox requested and proven', () => {
    // Act / assess
    expect(decideBashOffer({ commands: [], sandboxRequested: true, probe: { works: true } })).toEqual({ offered: false });
    expect(decideBashOffer({ commands: ['npm test'], sandboxRequested: true, probe: { works: true } })).toEqual({ offered: true });
  });

  it('says why Bash is not offered when the sandbox was not requested or does not work', () => {
    // Act
    const notRequested = decideBashOffer({ commands: ['npm test'], sandboxRequested: false });
    const broken = decideBashOffer({ commands: ['npm test'], sandboxRequested: true, probe: { works: false, detail: 'bubblewrap (bwrap) is not installed' } });

    // Assess
    expect(notRequested).toEqual({ offered: false, reason: `${BASH_NEEDS_SANDBOX}; the operator did not ask for it (HW_BASH_SANDBOX=1)` });
    expect(broken).toEqual({ offered: false, reason: `${BASH_NEEDS_SANDBOX}; it does not work here: bubblewrap (bwrap) is not installed` });
  });
});

describe('probeBashSandbox', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw-probe-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says what is missing when bubblewrap or socat cannot be found on a trusted PATH', async () => {
    // Prepare: bwrap only inside the (untrusted) repository
    const repoBin = join(dir, 'repo', 'bin');
    await mkdir(repoBin, { recursive: true });
    await symlink('/bin/true', join(repoBin, 'bwrap'));

    // Act
    const probe = await probeBashSandbox({ PATH: repoBin }, [join(dir, 'repo')]);

    // Assess
    expect(probe).toEqual({ works: false, detail: 'bubblewrap (bwrap) is not installed' });
  });

  it('works where bubblewrap and socat are installed and user namespaces are allowed (scripts/setup.sh installs both)', async () => {
    // Prepare
    const installed = existsSync('/usr/bin/bwrap') && existsSync('/usr/bin/socat');

    // Act
    const probe = await probeBashSandbox({ PATH: '/usr/local/bin:/usr/bin:/bin' }, [dir]);

    // Assess: where it does not work, it says plainly why (e.g. no user namespaces on Fargate)
    if (installed && probe.works) expect(probe).toEqual({ works: true });
    else expect(probe.detail).toMatch(/not installed|cannot create namespaces/);
  });
});
