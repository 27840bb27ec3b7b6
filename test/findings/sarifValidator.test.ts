import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDirs } from '../helpers/contextFixtures.js';
import { validateSarif } from '../helpers/sarifValidator.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

/** A minimal log GitHub would accept, with one result whose fields `result` overrides. */
function logWith(result: Record<string, unknown>): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'probe',
            version: '1.0.0',
            informationUri: 'https://example.com/probe',
            rules: [{ id: 'r1', shortDescription: { text: 'Short.' }, fullDescription: { text: 'Full.' }, help: { text: 'Help.' } }],
          },
        },
        results: [
          {
            ruleId: 'r1',
            ruleIndex: 0,
            level: 'error',
            message: { text: 'Message.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }],
            ...result,
          },
        ],
      },
    ],
  };
}

async function validate(log: object): Promise<Awaited<ReturnType<typeof validateSarif>>> {
  const file = path.join(await temp.make('hw-sarif-probe-'), 'probe.sarif');
  await writeFile(file, JSON.stringify(log, null, 2));
  return validateSarif(file);
}

/*
 * The SARIF export tests trust this helper's verdict, so it must say no to
 * broken files: each case breaks one rule of the standard or of GitHub's
 * ingestion and expects an error naming it.
 */
describe('validateSarif (sarif-multitool validate + the SARIF 2.1.0 schema)', () => {
  it('passes a well-formed log', async () => {
    // Act
    const validation = await validate(logWith({}));

    // Assess
    expect(validation.errors, validation.report).toEqual([]);
  });

  it.each([
    ['startLine 0 (multitool JSON1008)', { locations: [{ physicalLocation: { artifactLocation: { uri: 'a.ts' }, region: { startLine: 0 } } }] }, 'JSON1008'],
    ['a ruleIndex past the rules (SARIF1009)', { ruleIndex: 3 }, 'SARIF1009'],
    ['an unencoded space in a URI (SARIF1002)', { locations: [{ physicalLocation: { artifactLocation: { uri: 'my file.ts' }, region: { startLine: 1 } } }] }, 'SARIF1002'],
    ['no locations (GitHub ingestion)', { locations: undefined }, 'GH'],
    // The multitool says nothing at all about this file; the schema check catches it.
    ['an unknown level (schema)', { level: 'bogus' }, 'schema/enum'],
  ])('fails %s', async (_, result, ruleId) => {
    // Act
    const validation = await validate(logWith(result));

    // Assess
    expect(validation.errors.map((error) => error.ruleId).some((id) => id.startsWith(ruleId)), validation.report).toBe(true);
  });
});
