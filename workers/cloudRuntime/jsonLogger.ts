/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger: one JSON object per line, fields next to the message. */
export interface JsonLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): JsonLogger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Writes JSON lines (`{"time","level","msg",...fields}`) that CloudWatch Logs
 * Insights queries field by field. Errors are reduced to their name and
 * message: no stack traces in the logs of a production run.
 *
 * @example
 * const log = createJsonLogger({ base: { component: 'runner', profile: 'strict' } });
 * log.info('run finished', { runId, status: 'SUCCEEDED' });
 */
export function createJsonLogger(
  options: { readonly base?: Record<string, unknown>; readonly level?: LogLevel; readonly write?: (line: string) => void } = {},
): JsonLogger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const base = options.base ?? {};
  const emit = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) return;
    const line = { time: new Date().toISOString(), level, msg, ...base, ...serializable(fields) };
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createJsonLogger({ ...options, base: { ...base, ...fields } }),
  };
}

function serializable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}
