import type { IncomingHttpHeaders } from 'node:http';

/** One scripted answer of the fake model to a main-conversation request. */
export type FakeReply =
  /** A plain text answer (`stop_reason: end_turn`). */
  | { readonly kind: 'text'; readonly text: string }
  /** A JSON answer as text; `fenced` wraps it in a ```json fence, as models often do. */
  | { readonly kind: 'json'; readonly value: unknown; readonly fenced?: boolean }
  /**
   * A `tool_use` block (`stop_reason: tool_use`), optionally preceded by text. The CLI
   * runs (or refuses) the tool and sends the result in its next request, which takes
   * the next reply of the script.
   */
  | {
      readonly kind: 'toolCall';
      readonly name: string;
      readonly input: Record<string, unknown>;
      readonly text?: string;
    }
  /** A call of the `StructuredOutput` tool that `claude --json-schema` adds. */
  | { readonly kind: 'structuredOutput'; readonly value: unknown }
  /** A stream that never ends: pings and small text deltas every `intervalMs` until the socket closes. */
  | { readonly kind: 'neverEnding'; readonly intervalMs?: number }
  /** An HTTP error answer, e.g. 429 with `retry-after`, 529 overloaded, 500. */
  | {
      readonly kind: 'httpError';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      /** Anthropic error type; derived from the status when omitted. */
      readonly errorType?: string;
      readonly message?: string;
    }
  /**
   * A stream that starts normally and then drops the connection midway. Asked without
   * streaming (the CLI's fallback), the JSON body breaks off the same way.
   */
  | { readonly kind: 'truncatedStream'; readonly text?: string }
  /**
   * A stream that sends its first events and then goes silent, connection open, until the
   * socket closes; asked without streaming, no byte of the answer ever comes.
   */
  | { readonly kind: 'stalledStream'; readonly text?: string };

/** A request as the fake server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Path with the query string, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON; undefined when empty. */
  readonly body: unknown;
  /** Raw body text, so tests can search everything the CLI sent. */
  readonly rawBody: string;
  /** True for a turn of the main conversation (consumes a scripted reply). */
  readonly isMain: boolean;
  readonly receivedAt: number;
}

/** What a reply function sees besides the request. */
export interface ReplyContext {
  /** 0 for the first main-conversation request, 1 for the next, ... */
  readonly turn: number;
  /** Every request received so far, this one included. */
  readonly requests: readonly RecordedRequest[];
}

/** A scripted sequence (the last reply of the sequence is not repeated: see `afterScript`) or a function. */
export type ReplyScript = readonly FakeReply[] | ((request: RecordedRequest, context: ReplyContext) => FakeReply);

export interface FakeModelServerOptions {
  readonly reply: ReplyScript;
  /** Reply once a scripted sequence is used up. Default: text "Done." */
  readonly afterScript?: FakeReply;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /**
   * Milliseconds each main-conversation answer waits before it starts, as a slow model
   * does: keeps runs started together in flight together. Default 0.
   */
  readonly replyDelayMs?: number;
}

export interface FakeModelServer {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order (main and side requests). */
  readonly requests: readonly RecordedRequest[];
  /** Only the main-conversation requests. */
  mainRequests(): readonly RecordedRequest[];
  /** Stops listening and drops open connections (ends never-ending streams). */
  close(): Promise<void>;
}
