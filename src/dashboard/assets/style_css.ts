/**
 * The page's stylesheet: dark by default (a light scheme follows the system setting), one
 * column on a phone, a grid from 900 px up. Chart colours are classes, not inline styles,
 * so the CSP needs no `unsafe-inline`.
 *
 * @module
 */

/** `/app.css`. */
export const STYLE_CSS = `
:root {
  color-scheme: dark light;
  --bg: #0f1318; --panel: #171c23; --line: #2a323d; --text: #e6e9ee; --muted: #9aa5b4;
  --accent: #6cb6ff; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --focus: #ffd33d;
  --c0: #6cb6ff; --c1: #f0883e; --c2: #3fb950; --c3: #d2a8ff; --c4: #ff7b72; --c5: #e3b341;
  --c6: #39c5cf; --c7: #8b949e;
}
@media (prefers-color-scheme: light) {
  :root {
    --bg: #f6f8fa; --panel: #ffffff; --line: #d0d7de; --text: #1f2328; --muted: #57606a;
    --accent: #0969da; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --focus: #bf8700;
    --c0: #0969da; --c1: #bc4c00; --c2: #1a7f37; --c3: #8250df; --c4: #cf222e; --c5: #9a6700;
    --c6: #1b7c83; --c7: #6e7781;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; z-index: 10; background: var(--panel); padding: 6px 10px; }
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 12px 20px;
  background: var(--panel); border-bottom: 1px solid var(--line);
}
header.top h1 { font-size: 18px; margin: 0; font-weight: 650; letter-spacing: .2px; }
.chain { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; min-width: 0; }
.pill {
  display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600;
  border: 1px solid var(--line); white-space: nowrap;
}
.pill.ok { color: var(--ok); border-color: var(--ok); }
.pill.bad { color: #fff; background: var(--bad); border-color: var(--bad); }
.pill.wait { color: var(--warn); border-color: var(--warn); }
.hash {
  font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted);
  overflow-wrap: anywhere; min-width: 0;
}
.muted { color: var(--muted); }
.banner {
  margin: 12px 20px 0; padding: 12px 16px; border-radius: 8px; background: var(--bad);
  color: #fff; font-weight: 600;
}
.banner[hidden], .note[hidden] { display: none; }
.note { margin: 12px 20px 0; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--warn); }
main { padding: 12px 20px 32px; max-width: 1400px; margin: 0 auto; }
form.filters {
  display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: end; margin: 8px 0 14px;
}
form.filters label { display: flex; flex-direction: column; gap: 3px; color: var(--muted); font-size: 12px; }
select, input, button {
  font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: 6px 10px; min-height: 34px;
}
button { cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.stat .n { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.stat .l { color: var(--muted); font-size: 12px; }
.stat.bad .n { color: var(--bad); }
.stat.warn .n { color: var(--warn); }
.grid { display: grid; grid-template-columns: 1fr; gap: 12px; margin-top: 12px; }
@media (min-width: 900px) {
  .grid.two { grid-template-columns: 1fr 1fr; }
  .grid.four { grid-template-columns: repeat(4, 1fr); }
}
section.card {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  min-width: 0;
}
section.card h2 { font-size: 14px; margin: 0 0 8px; font-weight: 650; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .axis { stroke: var(--line); stroke-width: 1; }
svg.chart text { fill: var(--muted); font-size: 10px; }
.c0 { fill: var(--c0); background: var(--c0); } .c1 { fill: var(--c1); background: var(--c1); }
.c2 { fill: var(--c2); background: var(--c2); } .c3 { fill: var(--c3); background: var(--c3); }
.c4 { fill: var(--c4); background: var(--c4); } .c5 { fill: var(--c5); background: var(--c5); }
.c6 { fill: var(--c6); background: var(--c6); } .c7 { fill: var(--c7); background: var(--c7); }
.cbad { fill: var(--bad); background: var(--bad); } .cwarn { fill: var(--warn); background: var(--warn); }
ul.legend { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
ul.legend li { display: flex; align-items: center; gap: 6px; font-size: 12px; }
.sw { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
.empty { color: var(--muted); font-style: italic; padding: 8px 0; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.tablewrap { overflow-x: auto; }
.outcome-blocked, .outcome-error, .outcome-refused { color: var(--bad); font-weight: 600; }
.outcome-redacted { color: var(--warn); }
.pager { display: flex; gap: 10px; align-items: center; margin-top: 10px; flex-wrap: wrap; }
@media (max-width: 600px) {
  header.top { padding: 10px 12px; }
  main { padding: 10px 12px 24px; }
  .banner, .note { margin: 10px 12px 0; }
  .hide-narrow { display: none; }
  form.filters label { flex: 1 1 40%; }
  /* Events become one card per row: label and value side by side. */
  .stack table, .stack tbody, .stack tr, .stack td { display: block; width: 100%; }
  .stack thead { display: none; }
  .stack tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  .stack td { border: 0; padding: 2px 0; text-align: left; display: flex; gap: 10px; }
  .stack td.num { text-align: left; }
  .stack td::before {
    content: attr(data-label); color: var(--muted); font-size: 12px; min-width: 80px;
    font-family: system-ui, sans-serif;
  }
}
`;
