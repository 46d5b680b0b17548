/**
 * The page skeleton. It holds no data and no inline script or style: `/app.js` fills it
 * from the JSON routes, writing text only through `textContent`.
 *
 * @module
 */

/** `/` and `/index.html`. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>haechi audit</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<a class="skip" href="#events">Skip to events</a>
<header class="top">
  <h1>haechi audit</h1>
  <div class="chain" aria-live="polite">
    <span id="chain-state" class="pill wait">checking chain…</span>
    <span class="muted">head</span>
    <span id="head-hash" class="hash">–</span>
    <span id="chain-records" class="muted"></span>
  </div>
</header>
<div id="chain-banner" class="banner" role="alert" hidden></div>
<div id="notice" class="note" role="status" hidden></div>
<main>
  <form class="filters" id="filters" aria-label="Filters">
    <label>Time range
      <select id="f-range" name="range">
        <option value="all">Whole window</option>
        <option value="1h">Last hour</option>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="custom">Custom…</option>
      </select>
    </label>
    <label id="l-from" hidden>From (UTC)
      <input id="f-from" name="from" type="datetime-local" step="1">
    </label>
    <label id="l-to" hidden>To (UTC)
      <input id="f-to" name="to" type="datetime-local" step="1">
    </label>
    <label>Finding type
      <select id="f-type" name="type"><option value="">All types</option></select>
    </label>
    <button type="submit">Apply</button>
    <button type="button" id="f-reset">Reset</button>
    <button type="button" id="refresh" title="Reload chain status, summary and events">Refresh</button>
  </form>

  <div class="stats" aria-label="Totals">
    <div class="stat"><div class="n" id="stat-events">–</div><div class="l">events</div></div>
    <div class="stat warn"><div class="n" id="stat-detections">–</div><div class="l">detections</div></div>
    <div class="stat bad"><div class="n" id="stat-blocked">–</div><div class="l">blocked</div></div>
    <div class="stat bad"><div class="n" id="stat-errors">–</div><div class="l">errors</div></div>
    <div class="stat"><div class="n" id="stat-callers">–</div><div class="l">callers</div></div>
  </div>
  <p class="muted" id="window-note"></p>

  <div class="grid two">
    <section class="card" aria-labelledby="h-type">
      <h2 id="h-type">Detections over time, by type</h2>
      <div id="chart-type"></div>
    </section>
    <section class="card" aria-labelledby="h-action">
      <h2 id="h-action">Detections over time, by action</h2>
      <div id="chart-action"></div>
    </section>
  </div>
  <div class="grid two">
    <section class="card" aria-labelledby="h-blocks">
      <h2 id="h-blocks">Blocks and errors over time</h2>
      <div id="chart-blocks"></div>
    </section>
    <section class="card" aria-labelledby="h-outcomes">
      <h2 id="h-outcomes">Events by outcome</h2>
      <div id="table-outcomes"></div>
    </section>
  </div>
  <div class="grid four">
    <section class="card" aria-labelledby="h-routes"><h2 id="h-routes">Top routes</h2><div id="table-routes"></div></section>
    <section class="card" aria-labelledby="h-methods"><h2 id="h-methods">Top MCP methods</h2><div id="table-methods"></div></section>
    <section class="card" aria-labelledby="h-tools"><h2 id="h-tools">Top tools</h2><div id="table-tools"></div></section>
    <section class="card" aria-labelledby="h-callers"><h2 id="h-callers">Callers (keyed fingerprints)</h2><div id="table-callers"></div></section>
  </div>

  <section class="card grid" id="events" aria-labelledby="h-events" tabindex="-1">
    <h2 id="h-events">Newest events</h2>
    <div class="tablewrap stack" id="table-events"></div>
    <div class="pager">
      <button type="button" id="page-newer">← Newer</button>
      <button type="button" id="page-older">Older →</button>
      <span class="muted" id="page-note"></span>
    </div>
  </section>
</main>
</body>
</html>
`;
