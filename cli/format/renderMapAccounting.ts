import type { FileAccounting, NotCountedGroup } from '../../workers/local/map/types.js';
import { formatCount } from './humanize.js';
import { renderTable } from './renderTable.js';
import type { Terminal } from './terminal.js';

/** True when a stored map output carries the accounting (older results do not). */
export function isMapAccounting(value: unknown): value is FileAccounting {
  const accounting = value as Partial<FileAccounting> | undefined;
  return typeof accounting?.seen === 'number' && typeof accounting.counted === 'number' && Array.isArray(accounting.notCounted);
}

/**
 * The map's account of every file: how many were counted in a language and,
 * for the rest, how many for each reason (the paths are in --json).
 *
 * @example renderMapAccounting({ seen: 3, counted: 2, notCounted: [...] }, terminal)
 */
export function renderMapAccounting(accounting: FileAccounting, terminal: Terminal): string {
  const left = accounting.seen - accounting.counted;
  const head = `files: ${formatCount(accounting.seen)} seen, ${formatCount(accounting.counted)} counted, ${formatCount(left)} not counted${left > 0 ? ' (paths in --json)' : ''}`;
  if (accounting.notCounted.length === 0) return head;
  const rows = [...accounting.notCounted].sort((a, b) => b.files - a.files || a.reason.localeCompare(b.reason));
  return `${head}\n${renderTable<NotCountedGroup>(rows, [
    { header: 'NOT COUNTED', value: (group) => formatCount(group.files), align: 'right' },
    { header: 'REASON', value: (group) => group.reason },
    { header: 'DETAIL', value: (group) => group.detail, shrinkOrder: 1, wraps: true, minWidth: 20 },
  ], terminal)}`;
}
