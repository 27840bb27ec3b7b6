import { describeWorker } from '../../workers/catalog/index.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import { formatInterval } from '../format/humanize.js';
import { renderTable } from '../format/renderTable.js';
import type { Terminal } from '../format/terminal.js';

/** The catalog (with the user's overrides) as the original daemon's table. */
export function renderWorkers(config: ResolvedConfig, terminal: Terminal): string {
  const rows = [...config.catalog.values()].map(describeWorker);
  return renderTable(
    rows,
    [
      { header: 'WORKER', value: (r) => r.worker },
      { header: 'MODE', value: (r) => r.mode },
      { header: 'SANDBOX', value: (r) => r.sandbox ?? '-' },
      { header: 'MODEL', value: (r) => r.model ?? '-' },
      { header: 'PRIORITY', value: (r) => r.priority },
      { header: 'INTERVAL', value: (r) => formatInterval(r.intervalMs), align: 'right' },
      { header: 'ENABLED', value: (r) => (r.enabled ? 'yes' : 'no') },
      { header: 'OUTPUT', value: (r) => r.outputFormat, shrinkOrder: 2, optional: true },
      { header: 'DESCRIPTION', value: (r) => r.description, shrinkOrder: 1, minWidth: 10, optional: true, wraps: true },
    ],
    terminal,
  );
}
