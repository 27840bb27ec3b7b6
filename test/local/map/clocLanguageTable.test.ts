import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, languageNamed } from '../../../workers/local/map/index.js';
import { PROJECT_ROOT } from '../../helpers/cliProcess.js';

describe("the language table generated from cloc's own tables", () => {
  it('is what the installed cloc gives (regenerate after a cloc upgrade)', () => {
    // Act
    const output = execFileSync('npx', ['tsx', 'scripts/generateClocLanguages.ts', '--check'], { cwd: PROJECT_ROOT, encoding: 'utf8' });

    // Assess
    expect(output).toMatch(/matches cloc 1\.96/);
  });

  it('counts all but a few of cloc 1.96 languages, and names the cloc routine behind each one it leaves out', () => {
    // Act
    const unsupported = LANGUAGES.filter((language) => language.unsupported !== null);

    // Assess
    expect(LANGUAGES.length).toBeGreaterThan(300);
    expect(unsupported.length).toBeLessThan(20);
    for (const language of unsupported) expect(language.unsupported).toMatch(/^\w+/);
    for (const name of ['Perl', 'Tcl/Tk', 'CMake', 'PO File', 'AsciiDoc', 'Vuejs Component', 'Lua', 'Solidity', 'Pug', 'DOS Batch', 'PowerShell', 'Groovy', 'Haskell']) {
      expect(languageNamed(name)?.unsupported, name).toBeNull();
    }
  });
});
