import { afterEach, describe, expect, it } from 'vitest';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';

interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

const parseSse = (text: string): SseEvent[] =>
  text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });

const mainTurn = (stream = true) => ({
  model: 'claude-haiku-5-5',
  max_tokens: 128000,
  stream,
  messages: [{ role: 'user', content: 'hello' }],
  tools: [{ name: 'Read' }],
});

describe('the fake Anthropic Messages API', () => {
  let server: FakeModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const post = (body: unknown, path = '/v1/messages?beta=true') =>
    fetch(`${server?.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('streams a tool call as the real API does, input split into input_json_delta pieces', async () => {
    // Prepare
    const input = { command: 'echo "a long enough command to be split into several pieces"' };
    server = await startFakeModelServer({ reply: [{ kind: 'toolCall', name: 'Bash', input, text: 'Running it.' }] });

    // Act
    const response = await post(mainTurn());
    const events = parseSse(await response.text());

    // Assess
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      ...events.filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta').map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const json = events
      .map((e) => e.data.delta as { type?: string; partial_json?: string } | undefined)
      .filter((d) => d?.type === 'input_json_delta')
      .map((d) => d?.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual(input);
    expect(events.find((e) => e.event === 'message_delta')?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: expect.any(Number) },
    });
    expect((events[0]?.data.message as { model: string }).model).toBe('claude-haiku-5-5');
  });

  it('answers non-streaming requests with a whole message, and side requests without using the script', async () => {
    // Prepare
    server = await startFakeModelServer({ reply: [{ kind: 'json', value: { a: 1 }, fenced: true }] });

    // Act
    const side = await (await post({ ...mainTurn(false), max_tokens: 512 })).json();
    const tokens = await (await post(mainTurn(), '/v1/messages/count_tokens')).json();
    const hello = await fetch(`${server.url}/api/hello`, { method: 'HEAD' });
    const main = (await (await post(mainTurn(false))).json()) as { content: { text: string }[]; stop_reason: string };

    // Assess
    expect(side).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'ok' }] });
    expect(tokens).toEqual({ input_tokens: expect.any(Number) });
    expect(hello.status).toBe(200);
    expect(main.stop_reason).toBe('end_turn');
    expect(main.content[0]?.text).toContain('```json\n{\n  "a": 1\n}\n```');
    expect(server.requests.map((r) => r.isMain)).toEqual([false, false, false, true]);
    expect(server.mainRequests()).toHaveLength(1);
  });

  it('answers HTTP errors with the API error body and retry-after', async () => {
    // Prepare
    server = await startFakeModelServer({
      reply: [
        { kind: 'httpError', status: 429, retryAfterSeconds: 7 },
        { kind: 'httpError', status: 529 },
      ],
    });

    // Act
    const limited = await post(mainTurn());
    const overloaded = await post(mainTurn());

    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('keeps a never-ending stream alive until the connection closes, and breaks a truncated one off', async () => {
    // Prepare
    server = await startFakeModelServer({
      reply: [{ kind: 'neverEnding', intervalMs: 20 }, { kind: 'truncatedStream', text: 'half an' }],
    });

    // Act
    const endless = await post(mainTurn()).then((r) => r.body?.getReader());
    let received = '';
    const started = Date.now();
    while (Date.now() - started < 300) {
      const chunk = await endless?.read();
      received += new TextDecoder().decode(chunk?.value);
    }
    await endless?.cancel();
    const truncated = await post(mainTurn())
      .then((r) => r.text())
      .catch((error: unknown) => `failed: ${String(error)}`);

    // Assess
    expect(received.match(/event: (ping|content_block_delta)/g)?.length).toBeGreaterThan(5);
    expect(received).not.toContain('message_stop');
    expect(truncated).not.toContain('message_stop');
  });

  it('lets a reply function decide from the request and the turn', async () => {
    // Prepare
    server = await startFakeModelServer({
      reply: (request, { turn }) => ({ kind: 'text', text: `turn ${turn}: ${request.rawBody.includes('hello') ? 'greeted' : 'not'}` }),
    });

    // Act
    const first = await (await post(mainTurn(false))).json();
    const second = await (await post(mainTurn(false))).json();

    // Assess
    expect(first).toMatchObject({ content: [{ text: 'turn 0: greeted' }] });
    expect(second).toMatchObject({ content: [{ text: 'turn 1: greeted' }] });
  });
});
