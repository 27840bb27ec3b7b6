import { StringDecoder } from 'node:string_decoder';
import type { SandboxViolation, TokenUsage } from '../run/types.js';
import { summarizeToolInput, violationDetail } from './summarizeToolInput.js';
import type { ClaudeProgress, ClaudeResultEvent, StreamSummary, ToolCallRecord } from './types.js';

/** How the CLI words a call to a tool the session does not offer (2.1.332: "No such tool available: Bash. ..."). */
export const TOOL_UNAVAILABLE_PATTERN = /no such tool available/i;

/** A line longer than this without a newline is dropped, so a broken stream cannot exhaust memory. */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

export interface StreamParserOptions {
  /** Tools the sandbox profile removed: an error result of a call to one is a `tool_unavailable` violation. */
  readonly removedTools?: readonly string[];
  /** Called for progress worth showing in a terminal; exceptions it throws are ignored. */
  readonly onEvent?: (progress: ClaudeProgress) => void;
}

/** Incremental parser of `claude -p --output-format stream-json --verbose` output. */
export interface StreamEventParser {
  /** Feeds a chunk of stdout; lines may be split across chunks anywhere, even inside a UTF-8 character. */
  push(chunk: string | Buffer): void;
  /** Parses a last line that had no trailing newline. */
  end(): void;
  summary(): StreamSummary;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const optNum = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const optStr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const ZERO_USAGE: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };

/** Maps the API's usage object to the project's `TokenUsage`. */
export const toTokenUsage = (usage: unknown): TokenUsage =>
  isObject(usage)
    ? {
        input: num(usage.input_tokens),
        output: num(usage.output_tokens),
        cacheRead: num(usage.cache_read_input_tokens),
        cacheCreation: num(usage.cache_creation_input_tokens),
      }
    : ZERO_USAGE;

const toolResultText = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('\n');
  }
  return '';
};

/**
 * Creates a parser that collects tool calls, sandbox violations (permission denials
 * and calls to removed tools, each counted once), API retries and errors, and the
 * final result from the CLI's newline-delimited JSON events.
 *
 * @example
 * const parser = createStreamEventParser({ removedTools: REMOVED_TOOLS.strict });
 * child.stdout.on('data', (chunk) => parser.push(chunk));
 * child.stdout.on('end', () => parser.end());
 * parser.summary().violations;
 */
export const createStreamEventParser = (options: StreamParserOptions = {}): StreamEventParser => {
  const removed = new Set(options.removedTools ?? []);
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let nonJsonLines = 0;
  let model: string | undefined;
  let result: ClaudeResultEvent | undefined;
  let apiError: StreamSummary['apiError'];
  const toolCalls: ToolCallRecord[] = [];
  const inputsById = new Map<string, { name: string; input: unknown }>();
  const violations: SandboxViolation[] = [];
  const violationKeys = new Set<string>();
  const retries: { status?: number; delayMs: number; error?: string }[] = [];
  const textsByMessage = new Map<string, string>();
  const usageByMessage = new Map<string, TokenUsage>();

  const emit = (progress: ClaudeProgress): void => {
    try {
      options.onEvent?.(progress);
    } catch {
      // A progress printer must never break the run's bookkeeping.
    }
  };

  const addViolation = (key: string, violation: SandboxViolation): void => {
    if (violationKeys.has(key)) return;
    violationKeys.add(key);
    violations.push(violation);
    emit({ type: 'violation', violation });
  };

  const onAssistant = (event: Json): void => {
    const message = isObject(event.message) ? event.message : {};
    const messageId = optStr(message.id) ?? optStr(event.uuid) ?? String(usageByMessage.size);
    if (event.is_api_error_message === true || typeof event.error === 'string') {
      const content = Array.isArray(message.content) ? message.content : [];
      apiError = {
        status: optNum(event.api_error_status),
        type: optStr(event.api_error_type),
        kind: optStr(event.error),
        message: toolResultText(content).slice(0, 500) || undefined,
      };
      return;
    }
    if (typeof message.model === 'string' && message.model !== '<synthetic>') model ??= message.model;
    const previous = usageByMessage.get(messageId) ?? ZERO_USAGE;
    const usage = toTokenUsage(message.usage);
    usageByMessage.set(messageId, {
      input: Math.max(previous.input, usage.input),
      output: Math.max(previous.output, usage.output),
      cacheRead: Math.max(previous.cacheRead, usage.cacheRead),
      cacheCreation: Math.max(previous.cacheCreation, usage.cacheCreation),
    });
    for (const block of Array.isArray(message.content) ? message.content : []) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
        textsByMessage.set(messageId, (textsByMessage.get(messageId) ?? '') + block.text);
        emit({ type: 'text', text: block.text.slice(0, 500) });
      } else if (block.type === 'tool_use' && typeof block.name === 'string') {
        const id = optStr(block.id) ?? `call-${toolCalls.length}`;
        if (inputsById.has(id)) continue;
        inputsById.set(id, { name: block.name, input: block.input });
        const call: ToolCallRecord = { id, name: block.name, summary: summarizeToolInput(block.name, block.input) };
        toolCalls.push(call);
        emit({ type: 'tool_call', call });
      }
    }
  };

  const onUser = (event: Json): void => {
    const message = isObject(event.message) ? event.message : {};
    for (const block of Array.isArray(message.content) ? message.content : []) {
      if (!isObject(block) || block.type !== 'tool_result' || block.is_error !== true) continue;
      const id = optStr(block.tool_use_id);
      const call = id ? inputsById.get(id) : undefined;
      if (!call) continue;
      if (TOOL_UNAVAILABLE_PATTERN.test(toolResultText(block.content)) || removed.has(call.name)) {
        addViolation(id ?? '', { tool: call.name, kind: 'tool_unavailable', detail: violationDetail(call.name, call.input) });
      }
    }
  };

  const onPermissionDenied = (tool: string, id: string | undefined, input: unknown): void => {
    const detail = violationDetail(tool, input);
    addViolation(id ?? `${tool}|${detail}`, { tool, kind: 'permission_denied', detail });
  };

  const onResult = (event: Json): void => {
    for (const denial of Array.isArray(event.permission_denials) ? event.permission_denials : []) {
      if (!isObject(denial) || typeof denial.tool_name !== 'string') continue;
      onPermissionDenied(denial.tool_name, optStr(denial.tool_use_id), denial.tool_input);
    }
    result = {
      resultText: typeof event.result === 'string' ? event.result : '',
      ...(event.structured_output !== undefined && event.structured_output !== null
        ? { structuredOutput: event.structured_output }
        : {}),
      isError: event.is_error === true,
      subtype: optStr(event.subtype),
      usage: toTokenUsage(event.usage),
      costUsd: num(event.total_cost_usd),
      numTurns: num(event.num_turns),
      durationMs: num(event.duration_ms),
      apiErrorStatus: optNum(event.api_error_status),
      apiErrorType: optStr(event.api_error_type),
      terminalReason: optStr(event.terminal_reason),
      errors: Array.isArray(event.errors) ? event.errors.filter((e): e is string => typeof e === 'string').map((e) => e.slice(0, 500)) : [],
    };
    emit({ type: 'result', isError: result.isError, numTurns: result.numTurns, costUsd: result.costUsd });
  };

  const onEvent = (event: Json): void => {
    switch (event.type) {
      case 'assistant':
        onAssistant(event);
        return;
      case 'user':
        onUser(event);
        return;
      case 'result':
        onResult(event);
        return;
      case 'system':
        if (event.subtype === 'init') {
          model = optStr(event.model) ?? model;
          emit({
            type: 'init',
            model: optStr(event.model) ?? '',
            tools: Array.isArray(event.tools) ? event.tools.filter((t): t is string => typeof t === 'string') : [],
            permissionMode: optStr(event.permissionMode) ?? '',
          });
        } else if (event.subtype === 'permission_denied' && typeof event.tool_name === 'string') {
          const id = optStr(event.tool_use_id);
          onPermissionDenied(event.tool_name, id, id ? inputsById.get(id)?.input : undefined);
        } else if (event.subtype === 'api_retry') {
          const retry = { status: optNum(event.error_status), delayMs: num(event.retry_delay_ms), error: optStr(event.error) };
          retries.push(retry);
          emit({ type: 'retry', attempt: num(event.attempt), maxRetries: num(event.max_retries), status: retry.status, delayMs: retry.delayMs });
        }
        return;
      default:
    }
  };

  const parseLine = (line: string): void => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch {
      nonJsonLines += 1;
      return;
    }
    if (isObject(event)) onEvent(event);
    else nonJsonLines += 1;
  };

  const consume = (text: string): void => {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      parseLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    if (buffer.length > MAX_LINE_CHARS) {
      buffer = '';
      nonJsonLines += 1;
    }
  };

  return {
    push: (chunk) => consume(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end: () => {
      consume(decoder.end());
      parseLine(buffer);
      buffer = '';
    },
    summary: () => {
      const streamedUsage = [...usageByMessage.values()].reduce<TokenUsage>(
        (sum, u) => ({
          input: sum.input + u.input,
          output: sum.output + u.output,
          cacheRead: sum.cacheRead + u.cacheRead,
          cacheCreation: sum.cacheCreation + u.cacheCreation,
        }),
        ZERO_USAGE,
      );
      return {
        toolCalls: [...toolCalls],
        violations: [...violations],
        ...(result ? { result } : {}),
        assistantTexts: [...textsByMessage.values()],
        streamedUsage,
        assistantMessages: usageByMessage.size,
        retries: [...retries],
        ...(apiError ? { apiError } : {}),
        nonJsonLines,
        ...(model ? { model } : {}),
      };
    },
  };
};
