/** Helpers ask for a few hundred tokens at most; the agent loop asks for thousands (2.1.332: 128000, 64000 non-streaming). */
const MIN_MAIN_MAX_TOKENS = 2048;

/**
 * Tells a turn of the main conversation from the CLI's side requests, so that side
 * calls never consume a scripted reply.
 *
 * Observed with Claude Code 2.1.332 in `-p` mode: main turns are `POST
 * /v1/messages?beta=true` with `stream: true` and `max_tokens: 128000`; when a stream
 * breaks off, the CLI repeats the turn without streaming (`stream: false`, `max_tokens:
 * 64000`), which is still the main conversation. Without
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC` it also sends `HEAD /api/hello`. Older
 * versions asked small helper requests (titles, command prefixes) with a small
 * `max_tokens`; token counting goes to `/v1/messages/count_tokens`.
 */
export const isMainConversationRequest = (method: string, path: string, body: unknown): boolean => {
  if (method !== 'POST' || path !== '/v1/messages') return false;
  if (typeof body !== 'object' || body === null) return false;
  const request = body as { max_tokens?: unknown; messages?: unknown };
  if (!Array.isArray(request.messages)) return false;
  return typeof request.max_tokens !== 'number' || request.max_tokens >= MIN_MAIN_MAX_TOKENS;
};
