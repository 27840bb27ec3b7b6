import type { ProgressEvent } from '../../workers/engine/progress.js';

/**
 * A single self-rewriting status line on stderr while a run goes on; silent
 * when stderr is not a terminal, so piped output and logs stay clean.
 */
export function createProgressLine(stream: NodeJS.WriteStream = process.stderr): { update: (event: ProgressEvent) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    update: (event) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
      const text = `${seconds}s  ${event.phase}: ${event.detail}`;
      const width = (stream.columns ?? 80) - 1;
      stream.write(`\r\u001b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    clear: () => {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
