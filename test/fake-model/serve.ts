import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios.js';
import { startFakeModelServer } from './startFakeModelServer.js';

/**
 * Serves the fake Anthropic API for a demo:
 *   npx tsx test/fake-model/serve.ts --port 8787 --scenario audit-json
 * then, in another shell:
 *   ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=fake <the product's CLI>
 * The scenario restarts from its first reply each time a new session begins.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    scenario: { type: 'string', default: 'audit-json' },
    list: { type: 'boolean', default: false },
  },
});

if (values.list) {
  for (const [name, scenario] of Object.entries(SCENARIOS)) console.log(`${name.padEnd(20)} ${scenario.description}`);
  process.exit(0);
}

const scenario = SCENARIOS[values.scenario];
if (!scenario) {
  console.error(`unknown scenario ${values.scenario}; one of: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

// Each CLI session (x-claude-code-session-id header) plays the scenario from its start.
const turns = new Map<string, number>();
const server = await startFakeModelServer({
  port: Number(values.port),
  reply: (request) => {
    const session = String(request.headers['x-claude-code-session-id'] ?? 'default');
    const turn = turns.get(session) ?? 0;
    turns.set(session, turn + 1);
    return scenario.replies[turn] ?? { kind: 'text', text: 'Done.' };
  },
});

console.log(`fake Anthropic API (scenario ${values.scenario}: ${scenario.description})`);
console.log(`ANTHROPIC_BASE_URL=${server.url}`);
console.log('ANTHROPIC_API_KEY=fake-key');

const shutdown = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
