/** Exit codes of every command: scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** A run failed, timed out or was cancelled. */
  runFailed: 1,
  /** Bad flags, arguments, config or input. */
  usage: 2,
} as const;
