import type { ServerResponse } from 'node:http';
import type { FakeReply } from './types.js';

/** Usage the fake reports: small, fixed numbers so cost stays near zero and is predictable. */
/** Input tokens reported when the caller does not pass a count derived from the request. */
const DEFAULT_INPUT_TOKENS = 100;

let nextId = 0;
const newId = (prefix: string): string => `${prefix}_fake${Date.now().toString(36)}${(nextId++).toString(36)}`;

/** The JSON text of a `json` reply, fenced or plain. */
export const jsonReplyText = (value: unknown, fenced: boolean | undefined): string => {
  const json = JSON.stringify(value, null, 2);
  return fenced ? `Here is the result.\n\n\`\`\`json\n${json}\n\`\`\`\n` : json;
};

/** Anthropic error type for an HTTP status, as the real API names them. */
export const errorTypeForStatus = (status: number): string => {
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 400) return 'invalid_request_error';
  return 'api_error';
};

/** Cuts a string into pieces, as the real API streams text and tool input. */
const chunks = (text: string, size: number): string[] => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
};

type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The content blocks and stop reason a non-streaming reply consists of. */
const contentOf = (reply: FakeReply): { blocks: ContentBlock[]; stopReason: string } => {
  switch (reply.kind) {
    case 'text':
      return { blocks: [{ type: 'text', text: reply.text }], stopReason: 'end_turn' };
    case 'json':
      return { blocks: [{ type: 'text', text: jsonReplyText(reply.value, reply.fenced) }], stopReason: 'end_turn' };
    case 'toolCall': {
      const blocks: ContentBlock[] = reply.text ? [{ type: 'text', text: reply.text }] : [];
      blocks.push({ type: 'tool_use', id: newId('toolu'), name: reply.name, input: reply.input });
      return { blocks, stopReason: 'tool_use' };
    }
    case 'structuredOutput':
      return {
        blocks: [{ type: 'tool_use', id: newId('toolu'), name: 'StructuredOutput', input: reply.value as Record<string, unknown> }],
        stopReason: 'tool_use',
      };
    default:
      return { blocks: [{ type: 'text', text: 'ok' }], stopReason: 'end_turn' };
  }
};

const outputTokens = (blocks: readonly ContentBlock[]): number =>
  Math.max(1, Math.ceil(JSON.stringify(blocks).length / 4));

/** Answers an HTTP error the way the real API does: JSON error body, `retry-after` when given. */
export const writeHttpError = (res: ServerResponse, status: number, errorType: string, message: string, retryAfterSeconds?: number): void => {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': newId('req') };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (status === 429) headers['anthropic-ratelimit-requests-remaining'] = '0';
  res.writeHead(status, headers);
  res.end(JSON.stringify({ type: 'error', error: { type: errorType, message }, request_id: headers['request-id'] }));
};

/** Answers a non-streaming `POST /v1/messages` with a complete message object. */
export const writeMessageJson = (res: ServerResponse, reply: FakeReply, model: string, inputTokens = DEFAULT_INPUT_TOKENS): void => {
  if (reply.kind === 'stalledStream') {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': newId('req') });
    return;
  }
  if (reply.kind === 'truncatedStream') {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': newId('req') });
    res.write(`{"id":"${newId('msg')}","type":"message","role":"assistant","content":[{"type":"text","text":"The ans`);
    setTimeout(() => res.destroy(), 20);
    return;
  }
  const { blocks, stopReason } = contentOf(reply);
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': newId('req') });
  res.end(
    JSON.stringify({
      id: newId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content: blocks,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens(blocks), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }),
  );
};

/**
 * Answers a streaming `POST /v1/messages` with the SSE events of the real API:
 * message_start, per block content_block_start / _delta / _stop, message_delta
 * (stop_reason, usage), message_stop. Never-ending and truncated replies stop
 * following that order on purpose.
 */
export const writeMessageStream = (res: ServerResponse, reply: FakeReply, model: string, inputTokens = DEFAULT_INPUT_TOKENS): void => {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': newId('req'),
  });
  const send = (event: string, data: Record<string, unknown>): void => {
    if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  send('message_start', {
    message: {
      id: newId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
  send('ping', {});

  if (reply.kind === 'neverEnding') {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    const intervalMs = reply.intervalMs ?? 200;
    let tick = 0;
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) {
        clearInterval(timer);
        return;
      }
      tick += 1;
      if (tick % 2 === 0) send('ping', {});
      else send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: '.' } });
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
    return;
  }

  if (reply.kind === 'stalledStream') {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text ?? 'Looking at' } });
    // Then silence: no ping, no end; the connection stays open until a side gives up.
    return;
  }

  if (reply.kind === 'truncatedStream') {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text ?? 'The answer is' } });
    // Drop the connection without content_block_stop / message_stop, as a broken proxy would.
    setTimeout(() => res.destroy(), 20);
    return;
  }

  const { blocks, stopReason } = contentOf(reply);
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of chunks(block.text, 64)) {
        send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      }
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      for (const piece of chunks(JSON.stringify(block.input), 24)) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
    }
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens(blocks) } });
  send('message_stop', {});
  res.end();
};
