import { describe, expect, it } from 'vitest';
import {
  classifyRateLimit,
  createStreamEventParser,
  REMOVED_TOOLS,
  type ClaudeProgress,
} from '../../workers/headless/index.js';

/** Lines recorded from Claude Code 2.1.332 (`-p --output-format stream-json --verbose`), long fields trimmed. */
const RECORDED = {
  init: '{"type":"system","subtype":"init","cwd":"/tmp/hwx/ws","session_id":"076af938","tools":["Glob","Grep","Read"],"mcp_servers":[],"model":"claude-haiku-5-5","permissionMode":"dontAsk","apiKeySource":"ANTHROPIC_API_KEY","claude_code_version":"2.1.332"}',
  bashCall:
    '{"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-5-5","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"touch marker"}}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"parent_tool_use_id":null,"session_id":"s"}',
  bashUnavailable:
    '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":"<tool_use_error>Error: No such tool available: Bash. Bash is disabled for this session, in subagents as well as here.</tool_use_error>","is_error":true,"tool_use_id":"toolu_1"}]},"parent_tool_use_id":null,"session_id":"s","tool_use_result":"Error: No such tool available: Bash. Bash is disabled for this session, in subagents as well as here."}',
  readCall:
    '{"type":"assistant","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku-5-5","content":[{"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"/tmp/hwx/outside.txt"}}],"usage":{"input_tokens":100,"output_tokens":1}},"session_id":"s"}',
  readDenied:
    '{"type":"system","subtype":"permission_denied","tool_name":"Read","tool_use_id":"toolu_2","decision_reason_type":"mode","message":"Permission to use Read has been denied because Claude Code is running in don\'t ask mode.","uuid":"u","session_id":"s"}',
  readDeniedResult:
    '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":"Permission to use Read has been denied because Claude Code is running in don\'t ask mode.","is_error":true,"tool_use_id":"toolu_2"}]},"session_id":"s"}',
  text: '{"type":"assistant","message":{"id":"msg_3","type":"message","role":"assistant","model":"claude-haiku-5-5","content":[{"type":"text","text":"finished"}],"usage":{"input_tokens":100,"output_tokens":1}},"session_id":"s"}',
  result:
    '{"type":"result","subtype":"success","is_error":false,"duration_ms":198,"num_turns":3,"result":"finished","stop_reason":"end_turn","session_id":"s","total_cost_usd":0.000086,"usage":{"input_tokens":300,"cache_creation_input_tokens":5,"cache_read_input_tokens":7,"output_tokens":92},"permission_denials":[{"tool_name":"Read","tool_use_id":"toolu_2","tool_input":{"file_path":"/tmp/hwx/outside.txt"}},{"tool_name":"Write","tool_use_id":"toolu_9","tool_input":{"file_path":"/tmp/hwx/out.txt","content":"x"}}],"terminal_reason":"completed","api_error_status":null}',
  retry429:
    '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":1028,"error_status":429,"error":"rate_limit","session_id":"s","uuid":"u"}',
  apiError429:
    '{"type":"assistant","message":{"id":"cc97","model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","type":"message","usage":{"input_tokens":0,"output_tokens":0},"content":[{"type":"text","text":"API Error: Request rejected (429) · Rate limited"}]},"session_id":"s","error":"rate_limit","is_api_error_message":true,"api_error_status":429,"api_error_type":"rate_limit_error"}',
  result429:
    '{"type":"result","subtype":"success","is_error":true,"duration_ms":1132,"num_turns":1,"result":"API Error: Request rejected (429) · Rate limited","stop_reason":"stop_sequence","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0},"permission_denials":[],"terminal_reason":"api_error","api_error_status":429,"api_error_type":"rate_limit_error"}',
  structured:
    '{"type":"result","subtype":"success","is_error":false,"duration_ms":84,"num_turns":2,"result":"{\\"findings\\":[]}","structured_output":{"findings":[]},"total_cost_usd":0.0000235,"usage":{"input_tokens":200,"output_tokens":30},"permission_denials":[]}',
};

const feed = (lines: readonly string[], options: Parameters<typeof createStreamEventParser>[0] = {}) => {
  const parser = createStreamEventParser(options);
  for (const line of lines) parser.push(`${line}\n`);
  parser.end();
  return parser.summary();
};

describe('createStreamEventParser', () => {
  it('collects tool calls, both kinds of violations once each, and the result', () => {
    // Prepare
    const lines = [
      RECORDED.init,
      RECORDED.bashCall,
      RECORDED.bashUnavailable,
      RECORDED.readCall,
      RECORDED.readDenied,
      RECORDED.readDeniedResult,
      RECORDED.text,
      RECORDED.result,
    ];

    // Act
    const summary = feed(lines, { removedTools: REMOVED_TOOLS.strict });

    // Assess
    expect(summary.model).toBe('claude-haiku-5-5');
    expect(summary.toolCalls).toEqual([
      { id: 'toolu_1', name: 'Bash', summary: 'touch marker' },
      { id: 'toolu_2', name: 'Read', summary: '/tmp/hwx/outside.txt' },
    ]);
    expect(summary.violations).toEqual([
      { tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: touch marker' },
      { tool: 'Read', kind: 'permission_denied', detail: 'Read: /tmp/hwx/outside.txt' },
      { tool: 'Write', kind: 'permission_denied', detail: 'Write: /tmp/hwx/out.txt' },
    ]);
    expect(summary.result).toEqual({
      resultText: 'finished',
      isError: false,
      subtype: 'success',
      usage: { input: 300, output: 92, cacheRead: 7, cacheCreation: 5 },
      costUsd: 0.000086,
      numTurns: 3,
      durationMs: 198,
      apiErrorStatus: undefined,
      apiErrorType: undefined,
      terminalReason: 'completed',
      errors: [],
    });
    expect(summary.assistantTexts).toEqual(['finished']);
    expect(summary.nonJsonLines).toBe(0);
  });

  it('parses lines split anywhere across chunks, even inside a UTF-8 character', () => {
    // Prepare
    const text = RECORDED.text.replace('finished', 'fertig – ✓');
    const bytes = Buffer.from(`${RECORDED.init}\n${RECORDED.bashCall}\n${text}\n${RECORDED.result}`);
    const parser = createStreamEventParser();

    // Act
    for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7));
    parser.end();

    // Assess
    const summary = parser.summary();
    expect(summary.assistantTexts).toEqual(['fertig – ✓']);
    expect(summary.toolCalls).toHaveLength(1);
    expect(summary.result?.resultText).toBe('finished');
  });

  it('ignores lines that are not JSON objects but counts them', () => {
    // Prepare / act
    const summary = feed(['Warning: something on stdout', '', '[1,2]', '{broken', RECORDED.result]);

    // Assess
    expect(summary.nonJsonLines).toBe(3);
    expect(summary.result?.numTurns).toBe(3);
  });

  it('classifies an error of a removed tool as unavailable even without the usual wording', () => {
    // Prepare
    const call = RECORDED.bashCall.replace('"Bash"', '"WebFetch"').replace('{"command":"touch marker"}', '{"url":"https://x.test"}');
    const error =
      '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":[{"type":"text","text":"InputValidationError"}],"is_error":true,"tool_use_id":"toolu_1"}]}}';

    // Act
    const summary = feed([call, error], { removedTools: REMOVED_TOOLS.strict });

    // Assess
    expect(summary.violations).toEqual([{ tool: 'WebFetch', kind: 'tool_unavailable', detail: 'WebFetch: https://x.test' }]);
  });

  it('keeps violation details short and free of secrets', () => {
    // Prepare
    const command = `curl -H "Authorization: Bearer sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789" https://x.test/${'a'.repeat(300)}`;
    const call = RECORDED.bashCall.replace('"touch marker"', JSON.stringify(command));

    // Act
    const summary = feed([call, RECORDED.bashUnavailable]);

    // Assess
    const detail = summary.violations[0]?.detail ?? '';
    expect(detail.startsWith('Bash: curl -H')).toBe(true);
    expect(detail).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(detail.length).toBeLessThanOrEqual(130);
  });

  it('reports progress events, and a throwing callback does not break parsing', () => {
    // Prepare
    const seen: ClaudeProgress['type'][] = [];
    const onEvent = (progress: ClaudeProgress) => {
      seen.push(progress.type);
      throw new Error('printer broke');
    };

    // Act
    const summary = feed([RECORDED.init, RECORDED.bashCall, RECORDED.bashUnavailable, RECORDED.retry429, RECORDED.text, RECORDED.result], {
      onEvent,
    });

    // Assess
    expect(seen).toEqual(['init', 'tool_call', 'violation', 'retry', 'text', 'violation', 'violation', 'result']);
    expect(summary.result?.resultText).toBe('finished');
  });

  it('reads structured_output from the result', () => {
    // Prepare / act
    const summary = feed([RECORDED.structured]);

    // Assess
    expect(summary.result?.structuredOutput).toEqual({ findings: [] });
    expect(summary.result?.resultText).toBe('{"findings":[]}');
  });

  it('falls back to the usage streamed on assistant messages when no result arrived', () => {
    // Prepare / act
    const summary = feed([RECORDED.bashCall, RECORDED.readCall]);

    // Assess
    expect(summary.result).toBeUndefined();
    expect(summary.assistantMessages).toBe(2);
    expect(summary.streamedUsage).toEqual({ input: 200, output: 2, cacheRead: 0, cacheCreation: 0 });
  });
});

describe('classifyRateLimit', () => {
  it('recognises a 429 that ended the run and takes the CLI retry delay as the hint', () => {
    // Prepare
    const summary = feed([RECORDED.retry429, RECORDED.apiError429, RECORDED.result429]);

    // Act
    const verdict = classifyRateLimit(summary, '');

    // Assess
    expect(summary.apiError).toMatchObject({ status: 429, type: 'rate_limit_error', kind: 'rate_limit' });
    expect(verdict).toEqual({ rateLimited: true, retryAfterMs: 1028 });
  });

  it('calls a run rate limited when it was stopped while the CLI still retried a 429', () => {
    // Prepare / act
    const verdict = classifyRateLimit(feed([RECORDED.init, RECORDED.retry429]), '');

    // Assess
    expect(verdict).toEqual({ rateLimited: true, retryAfterMs: 1028 });
  });

  it('does not call a run rate limited when it retried and then succeeded', () => {
    // Prepare / act
    const verdict = classifyRateLimit(feed([RECORDED.retry429, RECORDED.text, RECORDED.result]), '');

    // Assess
    expect(verdict).toEqual({ rateLimited: false });
  });

  it('recognises quota and credit messages in the result or, without a result, in stderr', () => {
    // Prepare
    const credit = RECORDED.result429.replace('API Error: Request rejected (429) · Rate limited', 'Credit balance is too low')
      .replace('"api_error_status":429', '"api_error_status":400')
      .replace('rate_limit_error', 'invalid_request_error');

    // Act / assess
    expect(classifyRateLimit(feed([credit]), '').rateLimited).toBe(true);
    expect(classifyRateLimit(feed([]), 'Error: usage limit reached, resets at 5pm').rateLimited).toBe(true);
    expect(classifyRateLimit(feed([]), 'Error: ENOENT').rateLimited).toBe(false);
  });
});
