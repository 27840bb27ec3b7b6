/**
 * The report's CSS, inlined: readable from phone width (one column, tables
 * scroll inside their own region) to desktop (cards side by side). Colours keep
 * text contrast above 4.5:1 on white.
 */
export const REPORT_STYLES = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; --accent: #0a58ca; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p.meta, .muted { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 12px; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #ffbf47; outline-offset: 1px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .figure { display: block; font-size: 1.6rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: 0.85rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
figure.chart figcaption span { color: var(--muted); display: block; font-size: 0.85rem; }
svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .axis { fill: #57606a; font-size: 11px; }
.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.85rem; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.s-critical { fill: #8b0000; background: #8b0000; } .s-high { fill: #c2410c; background: #c2410c; } .s-medium { fill: #b7791f; background: #b7791f; }
.s-low { fill: #1d4ed8; background: #1d4ed8; } .s-info { fill: #6b7280; background: #6b7280; }
.s-new { fill: #c2410c; background: #c2410c; } .s-fixed { fill: #15803d; background: #15803d; } .s-returned { fill: #7c3aed; background: #7c3aed; }
.s-cost { fill: #0a58ca; background: #0a58ca; }
.s-w0 { fill: #0a58ca; background: #0a58ca; } .s-w1 { fill: #15803d; background: #15803d; } .s-w2 { fill: #b7791f; background: #b7791f; } .s-w3 { fill: #7c3aed; background: #7c3aed; } .s-w4 { fill: #be185d; background: #be185d; } .s-w5 { fill: #6b7280; background: #6b7280; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { overflow-wrap: anywhere; min-width: 12rem; }
td code, td.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; overflow-wrap: anywhere; }
th button { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-align: left; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
.sev { font-weight: 700; } .sev-critical { color: #8b0000; } .sev-high { color: #9a3412; } .sev-medium { color: #7c4a03; } .sev-low { color: #1d4ed8; } .sev-info { color: #4b5563; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; font-size: 0.8rem; background: var(--panel); }
.tag.repo { border-color: #9a3412; color: #9a3412; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
.filters select, .filters input { font: inherit; padding: 4px 6px; min-height: 32px; border: 1px solid #8c959f; border-radius: 4px; }
details { margin: 4px 0; } summary { cursor: pointer; color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
footer { margin: 32px auto 16px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 600px) { body { font-size: 14px; } svg .axis { font-size: 18px; } h1 { font-size: 1.25rem; } th, td { padding: 4px 6px; } .card .figure { font-size: 1.3rem; } }
`;
