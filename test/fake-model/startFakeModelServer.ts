import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isMainConversationRequest } from './classifyRequest.js';
import type { FakeModelServer, FakeModelServerOptions, FakeReply, RecordedRequest } from './types.js';
import { errorTypeForStatus, writeHttpError, writeMessageJson, writeMessageStream } from './writeReply.js';

const DEFAULT_AFTER_SCRIPT: FakeReply = { kind: 'text', text: 'Done.' };

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });

const parseBody = (raw: string): unknown => {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

const modelOf = (body: unknown): string =>
  typeof body === 'object' && body !== null && typeof (body as { model?: unknown }).model === 'string'
    ? (body as { model: string }).model
    : 'claude-haiku-4-5';

/**
 * Starts the project's fake Anthropic Messages API on 127.0.0.1, so the REAL Claude
 * Code CLI can run against scripted model replies (text, JSON, tool calls, errors,
 * streams that never end or break off).
 *
 * @example
 * const server = await startFakeModelServer({ reply: [{ kind: 'toolCall', name: 'Bash', input: { command: 'ls' } }, { kind: 'text', text: 'done' }] });
 * // ANTHROPIC_BASE_URL=server.url claude -p ...
 * await server.close();
 */
export const startFakeModelServer = async (options: FakeModelServerOptions): Promise<FakeModelServer> => {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let turn = 0;

  const nextReply = (request: RecordedRequest): FakeReply => {
    const current = turn;
    turn += 1;
    if (typeof options.reply === 'function') return options.reply(request, { turn: current, requests });
    return options.reply[current] ?? options.afterScript ?? DEFAULT_AFTER_SCRIPT;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const body = parseBody(rawBody);
    const request: RecordedRequest = {
      method,
      path,
      url,
      headers: req.headers,
      body,
      rawBody,
      isMain: isMainConversationRequest(method, path, body),
      receivedAt: Date.now(),
    };
    requests.push(request);

    if (path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: Math.ceil(rawBody.length / 4) }));
      return;
    }
    if (method === 'POST' && path === '/v1/messages') {
      const reply: FakeReply = request.isMain ? nextReply(request) : { kind: 'text', text: 'ok' };
      if (request.isMain && options.replyDelayMs) await new Promise((resolve) => setTimeout(resolve, options.replyDelayMs));
      if (reply.kind === 'httpError') {
        writeHttpError(
          res,
          reply.status,
          reply.errorType ?? errorTypeForStatus(reply.status),
          reply.message ?? `Fake ${reply.status} from the test model server`,
          reply.retryAfterSeconds,
        );
        return;
      }
      const streaming = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
      // Like the real API, input tokens grow with what was sent (about 4 characters a token).
      const inputTokens = Math.ceil(rawBody.length / 4);
      if (streaming) writeMessageStream(res, reply, modelOf(body), inputTokens);
      else writeMessageJson(res, reply, modelOf(body), inputTokens);
      return;
    }
    // Anything else the CLI probes (HEAD /api/hello, quota, settings): a harmless empty success.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(method === 'HEAD' ? undefined : '{}');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeHttpError(res, 500, 'api_error', `fake server failure: ${String(error)}`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    mainRequests: () => requests.filter((r) => r.isMain),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
