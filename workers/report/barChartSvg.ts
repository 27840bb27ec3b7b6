import { escapeHtml } from './escapeHtml.js';
import { safeText } from './safeText.js';

/** One coloured series of a bar chart; `cssClass` picks its fill from the report's styles. */
export interface ChartSeries {
  readonly name: string;
  readonly cssClass: string;
  readonly values: readonly number[];
}

export interface BarChart {
  /** Unique in the page: the ids of the chart's title and description derive from it. */
  readonly id: string;
  readonly title: string;
  /** A sentence saying what the chart shows, for screen readers and as its caption. */
  readonly description: string;
  /** One label per bar position (a run, a day). */
  readonly categories: readonly string[];
  /** What a category is, the header of the table's first column ("run", "day"). */
  readonly categoryHeader: string;
  readonly series: readonly ChartSeries[];
  /** Stacked bars (parts of a whole) or side-by-side bars (compared quantities). */
  readonly stacked: boolean;
  /** How a value is written in the axis and the table; without it values are counts (whole axis steps). */
  readonly format?: (value: number) => string;
}

const WIDTH = 640;
const HEIGHT = 220;
const PLOT = { left: 48, right: 8, top: 10, bottom: 34 } as const;
/** At most this many category labels under the axis; the table beside names them all. */
const MAX_X_LABELS = 8;

const TICKS = 4;

/** A round axis maximum at or above `max`, split into TICKS steps; whole steps for counts. */
function niceMax(max: number, wholeSteps: boolean): number {
  const rawStep = max > 0 ? max / TICKS : 1;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep && (!wholeSteps || Number.isInteger(s)))!;
  return (wholeSteps ? Math.max(1, Math.ceil(step)) : step) * TICKS;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A bar chart as inline SVG with its data table beside it: the SVG is an image
 * named by its title and description (role="img"), the table is the text
 * alternative and lists every value. Labels and names are masked and escaped.
 *
 * @example barChartSvg({ id: 'cost', title: 'Cost per day', description: '…', categories: ['2026-12-01'], categoryHeader: 'day', series: [{ name: 'cost', cssClass: 's-cost', values: [0.42] }], stacked: false })
 */
export function barChartSvg(chart: BarChart): string {
  const format = chart.format ?? ((value: number) => String(value));
  const n = chart.categories.length;
  const totals = chart.categories.map((_, i) => (chart.stacked ? chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...chart.series.map((s) => s.values[i] ?? 0))));
  const max = niceMax(Math.max(0, ...totals), chart.format === undefined);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = n > 0 ? plotWidth / n : plotWidth;
  const barGap = Math.min(6, slot * 0.2);
  const y = (value: number) => PLOT.top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= TICKS; tick++) {
    const value = (max * tick) / TICKS;
    parts.push(`<line class="grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${round(y(value))}" y2="${round(y(value))}"/>`);
    parts.push(`<text class="axis" x="${PLOT.left - 4}" y="${round(y(value) + 4)}" text-anchor="end">${escapeHtml(format(value))}</text>`);
  }
  chart.categories.forEach((category, i) => {
    const x0 = PLOT.left + i * slot + barGap / 2;
    const width = slot - barGap;
    let base = 0;
    chart.series.forEach((series, s) => {
      const value = series.values[i] ?? 0;
      if (value <= 0) return;
      const barWidth = chart.stacked ? width : width / chart.series.length;
      const x = chart.stacked ? x0 : x0 + s * barWidth;
      const top = chart.stacked ? base + value : value;
      const bottom = chart.stacked ? base : 0;
      parts.push(`<rect class="${escapeHtml(series.cssClass)}" x="${round(x)}" y="${round(y(top))}" width="${round(Math.max(1, barWidth))}" height="${round(Math.max(0.5, y(bottom) - y(top)))}"><title>${safeText(`${category}: ${series.name} ${format(value)}`)}</title></rect>`);
      if (chart.stacked) base += value;
    });
    const every = Math.ceil(n / MAX_X_LABELS);
    if (i % every === 0) parts.push(`<text class="axis" x="${round(x0 + width / 2)}" y="${HEIGHT - PLOT.bottom + 16}" text-anchor="middle">${safeText(category)}</text>`);
  });
  const legend = chart.series.map((s) => `<li><span class="swatch ${escapeHtml(s.cssClass)}" aria-hidden="true"></span>${safeText(s.name)}</li>`).join('');
  const header = `<tr><th scope="col">${safeText(chart.categoryHeader)}</th>${chart.series.map((s) => `<th scope="col">${safeText(s.name)}</th>`).join('')}${chart.stacked && chart.series.length > 1 ? '<th scope="col">total</th>' : ''}</tr>`;
  const rows = chart.categories
    .map((category, i) => `<tr><th scope="row">${safeText(category)}</th>${chart.series.map((s) => `<td>${escapeHtml(format(s.values[i] ?? 0))}</td>`).join('')}${chart.stacked && chart.series.length > 1 ? `<td>${escapeHtml(format(totals[i]!))}</td>` : ''}</tr>`)
    .join('');
  const id = escapeHtml(chart.id);
  const svg = n === 0
    ? `<p class="empty">No data yet.</p>`
    : `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet"><title id="${id}-title">${safeText(chart.title)}</title><desc id="${id}-desc">${safeText(chart.description)}</desc>${parts.join('')}</svg>`;
  return `<figure class="chart" id="${id}"><figcaption><strong>${safeText(chart.title)}</strong> <span>${safeText(chart.description)}</span></figcaption>${svg}<ul class="legend">${legend}</ul><details><summary>Data table: ${safeText(chart.title)}</summary><div class="scroll" role="region" tabindex="0" aria-label="Data table: ${safeText(chart.title)}"><table><caption class="visually-hidden">${safeText(chart.title)}</caption><thead>${header}</thead><tbody>${rows}</tbody></table></div></details></figure>`;
}
