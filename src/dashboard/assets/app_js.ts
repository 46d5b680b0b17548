/**
 * The page's script, served as `/app.js`. Plain browser JavaScript (no build step, no
 * library): it reads the JSON routes and builds the DOM and the SVG charts with
 * `createElement`/`createElementNS` and `textContent` only, so it runs under
 * `require-trusted-types-for 'script'` with no policy at all. It makes same-origin
 * requests only.
 *
 * Kept free of template literals so it can sit inside this TypeScript string.
 *
 * @module
 */

/** `/app.js`. */
export const APP_JS = String.raw`(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var TOKEN_KEY = "haechi-dashboard-token";
  var REFRESH_MS = 15000;
  var SERIES_MAX = 7;
  var $ = function (id) { return document.getElementById(id); };

  // A token handed over in the fragment never reaches a server log; keep it for this tab.
  var token = null;
  try { token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { token = null; }
  function takeToken() {
    if (location.hash.indexOf("#token=") !== 0) return false;
    token = decodeURIComponent(location.hash.slice(7));
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode */ }
    history.replaceState(null, "", location.pathname + location.search);
    return true;
  }
  takeToken();

  var state = { cursor: null, back: [], types: [], summary: null };

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function svg(tag, attrs) {
    var n = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, String(attrs[k]));
    return n;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function when(ms) { return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z"); }
  function bytes(n) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? String(n) : n.toFixed(1)) + " " + units[i];
  }

  function notice(text) {
    var n = $("notice");
    n.textContent = text || "";
    n.hidden = !text;
  }

  async function api(path, params) {
    var q = new URLSearchParams();
    for (var k in params || {}) {
      var v = params[k];
      if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
    }
    var qs = q.toString();
    var headers = { accept: "application/json" };
    if (token) headers.authorization = "Bearer " + token;
    var r = await fetch(path + (qs ? "?" + qs : ""), { headers: headers, cache: "no-store", credentials: "same-origin" });
    if (r.status === 401) throw new Error("This dashboard needs its access token: add #token=<token> to the address and reload.");
    if (r.status === 429) throw new Error("Too many requests: the dashboard will try again shortly.");
    if (!r.ok) throw new Error("The dashboard could not read the audit log (HTTP " + r.status + ").");
    return r.json();
  }

  function filterParams() {
    var range = $("f-range").value;
    var now = Date.now();
    var span = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3 }[range];
    var from = "";
    var to = "";
    if (span) from = String(now - span);
    if (range === "custom") {
      // datetime-local has no zone; the page shows UTC everywhere, so read it as UTC.
      if ($("f-from").value) from = String(Date.parse($("f-from").value + "Z"));
      if ($("f-to").value) to = String(Date.parse($("f-to").value + "Z"));
    }
    return { from: from, to: to, type: $("f-type").value };
  }

  // ---- chain status -------------------------------------------------------------------
  var chainTimer = null;
  async function loadChain() {
    clearTimeout(chainTimer);
    var c = await api("/api/chain");
    var pill = $("chain-state");
    var banner = $("chain-banner");
    if (c.valid === true) {
      pill.className = "pill ok";
      pill.textContent = !c.stale ? "chain valid" : c.checking ? "chain valid (re-checking)" : "chain valid up to #" + c.headSeq;
      pill.title = c.stale ? "Valid up to the last check; the log has grown since and is being checked (" + fmt(c.progress) + " records so far)" : "";
    } else if (c.valid === false) {
      pill.className = "pill bad";
      pill.textContent = "chain BROKEN";
    } else {
      pill.className = "pill wait";
      pill.textContent = c.unreadable ? "log unreadable" : "checking chain… " + (c.progress ? fmt(c.progress) + " records" : "");
    }
    var known = c.valid !== null;
    $("head-hash").textContent = known ? c.headHash : "–";
    $("head-hash").title = known ? "Hash of record #" + c.headSeq + (c.valid ? "" : ", the last one verified") : "";
    $("chain-records").textContent = fmt(c.records) + " records verified · " +
      (c.anchored ? fmt(c.anchorsChecked) + " anchors matched" : "no anchor file") + " · " + bytes(c.size);
    if (c.valid === false) {
      banner.textContent = c.truncationDetected
        ? "Audit log truncated: records from #" + c.firstBadSeq + " on were cut off the end of the log (the anchor file vouches for them). Run haechi audit-verify."
        : "Audit chain broken at record #" + c.firstBadSeq + ": that record and every later one can no longer be trusted. Run haechi audit-verify for the details.";
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.textContent = "";
    }
    // Ask again until the verdict is for the log as it is now.
    if (c.checking || c.stale) chainTimer = setTimeout(function () { loadChain().catch(fail); }, c.checking ? 1000 : 3000);
  }

  // ---- charts -------------------------------------------------------------------------
  function seriesKeys(buckets, field) {
    var totals = {};
    buckets.forEach(function (b) {
      for (var k in b[field]) totals[k] = (totals[k] || 0) + b[field][k];
    });
    var keys = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); });
    return { keys: keys, totals: totals };
  }

  // Stacked bars; values(bucket) gives one number per series, in series order.
  function stackedBars(host, title, buckets, bucketMs, series, values) {
    clear(host);
    var grand = series.reduce(function (n, s) { return n + s.total; }, 0);
    if (buckets.length === 0 || grand === 0) {
      host.appendChild(el("p", "empty", "Nothing in this range."));
      return;
    }
    // Drawn at the box's own width so text is never stretched; redrawn on resize.
    var W = Math.max(280, Math.round(host.clientWidth || 600)), H = 170, L = 40, R = 6, T = 8, B = 22;
    var pw = W - L - R, ph = H - T - B;
    var max = 1;
    buckets.forEach(function (b) {
      var sum = values(b).reduce(function (a, v) { return a + v; }, 0);
      if (sum > max) max = sum;
    });
    var label = title + ": " + series.map(function (s) { return s.name + " " + s.total; }).join(", ");
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "chart", role: "img", "aria-label": label });
    root.appendChild(svg("line", { x1: L, y1: T + ph, x2: W - R, y2: T + ph, class: "axis" }));
    root.appendChild(svg("line", { x1: L, y1: T, x2: L, y2: T + ph, class: "axis" }));
    var top = svg("text", { x: L - 4, y: T + 8, "text-anchor": "end" });
    top.textContent = fmt(max);
    root.appendChild(top);
    var zero = svg("text", { x: L - 4, y: T + ph, "text-anchor": "end" });
    zero.textContent = "0";
    root.appendChild(zero);
    var bw = pw / buckets.length;
    var gap = bw > 6 ? 1 : 0;
    buckets.forEach(function (b, i) {
      var y = T + ph;
      values(b).forEach(function (v, si) {
        if (!v) return;
        var h = v / max * ph;
        y -= h;
        var r = svg("rect", { x: (L + i * bw + gap).toFixed(2), y: y.toFixed(2), width: Math.max(0.5, bw - 2 * gap).toFixed(2), height: h.toFixed(2), class: series[si].cls });
        var t = svg("title", {});
        t.textContent = series[si].name + ": " + fmt(v) + " (" + when(b.t) + ", " + Math.round(bucketMs / 60000) + " min)";
        r.appendChild(t);
        root.appendChild(r);
      });
    });
    var first = svg("text", { x: L, y: H - 6 });
    first.textContent = when(buckets[0].t).slice(0, 16);
    root.appendChild(first);
    var last = svg("text", { x: W - R, y: H - 6, "text-anchor": "end" });
    last.textContent = when(buckets[buckets.length - 1].t + bucketMs).slice(0, 16);
    root.appendChild(last);
    host.appendChild(root);
    var legend = el("ul", "legend");
    legend.setAttribute("aria-label", title + " legend");
    series.forEach(function (s) {
      var li = el("li");
      li.dataset.key = s.name;
      li.dataset.count = String(s.total);
      li.appendChild(el("span", "sw " + s.cls));
      li.appendChild(el("span", null, s.name + " " + fmt(s.total)));
      legend.appendChild(li);
    });
    host.appendChild(legend);
  }

  function detectionChart(host, title, buckets, bucketMs, field) {
    var k = seriesKeys(buckets, field);
    var shown = k.keys.slice(0, SERIES_MAX);
    var rest = k.keys.slice(SERIES_MAX);
    var series = shown.map(function (name, i) { return { name: name, total: k.totals[name], cls: "c" + i }; });
    if (rest.length > 0) {
      series.push({ name: "other", total: rest.reduce(function (n, r) { return n + k.totals[r]; }, 0), cls: "c7" });
    }
    stackedBars(host, title, buckets, bucketMs, series, function (b) {
      var vals = shown.map(function (name) { return b[field][name] || 0; });
      if (rest.length > 0) vals.push(rest.reduce(function (n, r) { return n + (b[field][r] || 0); }, 0));
      return vals;
    });
  }

  // ---- tables -------------------------------------------------------------------------
  function table(host, heads, rows, emptyText) {
    clear(host);
    if (rows.length === 0) {
      host.appendChild(el("p", "empty", emptyText || "None in this range."));
      return;
    }
    var t = el("table");
    var tr = el("tr");
    heads.forEach(function (h) {
      var th = el("th", h.num ? "num" : (h.cls || ""), h.label);
      th.scope = "col";
      tr.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var r = el("tr");
      row.forEach(function (cell, i) {
        var h = heads[i];
        var td = el("td", h.num ? "num" : (h.cls || ""), h.num ? fmt(cell) : cell);
        td.setAttribute("data-label", h.label);
        if (h.cellClass) td.className += " " + h.cellClass(cell);
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    t.appendChild(body);
    host.appendChild(t);
  }

  function counts(host, label, list) {
    table(host, [{ label: label, cls: "mono" }, { label: "count", num: true }],
      list.map(function (c) { return [c.name, c.count]; }));
  }

  // ---- summary ------------------------------------------------------------------------
  async function loadSummary() {
    drawSummary(await api("/api/summary", filterParams()));
  }

  function drawSummary(s) {
    state.summary = s;
    $("stat-events").textContent = fmt(s.totals.events);
    $("stat-detections").textContent = fmt(s.detectionCount);
    $("stat-blocked").textContent = fmt(s.blocked);
    $("stat-errors").textContent = fmt(s.errors);
    $("stat-callers").textContent = fmt(s.callers.length);
    var w = s.window;
    $("window-note").textContent = w.events === 0
      ? "The audit log has no records yet."
      : "Counting the " + (w.complete ? "whole log" : "newest " + fmt(w.events) + " records") +
        " (records #" + w.firstSeq + "–#" + w.lastSeq + ", " + w.firstTs.slice(0, 19) + "Z to " +
        w.lastTs.slice(0, 19) + "Z, log " + bytes(w.logBytes) + ")" +
        (w.unreadable ? "; " + w.unreadable + " unreadable lines skipped" : "") + ".";
    var tl = s.timeline;
    detectionChart($("chart-type"), "Detections by type", tl.buckets, tl.bucketMs, "byType");
    detectionChart($("chart-action"), "Detections by action", tl.buckets, tl.bucketMs, "byAction");
    var blocked = tl.buckets.reduce(function (n, b) { return n + b.blocked; }, 0);
    var errors = tl.buckets.reduce(function (n, b) { return n + b.errors; }, 0);
    stackedBars($("chart-blocks"), "Blocks and errors", tl.buckets, tl.bucketMs,
      [{ name: "blocked", total: blocked, cls: "cbad" }, { name: "errors", total: errors, cls: "cwarn" }],
      function (b) { return [b.blocked, b.errors]; });
    table($("table-outcomes"), [{ label: "outcome" }, { label: "events", num: true }],
      Object.keys(s.totals.byOutcome).map(function (k) { return [k, s.totals.byOutcome[k]]; }));
    counts($("table-routes"), "route", s.topRoutes);
    counts($("table-methods"), "method", s.topMethods);
    counts($("table-tools"), "tool", s.topTools);
    table($("table-callers"), [{ label: "fingerprint", cls: "mono" }, { label: "events", num: true }, { label: "findings", num: true }],
      s.callers.map(function (c) { return [c.caller.slice(0, 16) + "…", c.events, c.findings]; }),
      "No caller fingerprints recorded.");
    var sel = $("f-type");
    var chosen = sel.value;
    if (s.types.join("\n") !== state.types.join("\n")) {
      state.types = s.types;
      while (sel.options.length > 1) sel.remove(1);
      s.types.forEach(function (t) { sel.appendChild(new Option(t, t)); });
      sel.value = s.types.indexOf(chosen) >= 0 ? chosen : "";
    }
  }

  // ---- events -------------------------------------------------------------------------
  function findingText(e) {
    return e.findings.map(function (f) { return f.type + " ×" + f.count + " " + f.action; }).join(", ");
  }
  function contextText(e) {
    var d = e.details;
    var parts = [];
    ["protocol", "route", "method", "tool", "status", "code", "errorCode", "reason", "format"].forEach(function (k) {
      if (d[k] !== undefined) parts.push(k + "=" + d[k]);
    });
    return parts.join(" ");
  }

  async function loadEvents() {
    var p = filterParams();
    p.limit = 25;
    p.cursor = state.cursor;
    var r = await api("/api/events", p);
    table($("table-events"), [
      { label: "#", num: true },
      { label: "time (UTC)" },
      { label: "kind" },
      { label: "outcome", cellClass: function (v) { return "outcome-" + v; } },
      { label: "findings" },
      { label: "context", cls: "mono" },
    ], r.events.map(function (e) {
      return [e.seq, e.ts.replace("T", " ").slice(0, 19), e.kind, e.outcome, findingText(e), contextText(e)];
    }), "No events in this range.");
    $("page-newer").disabled = state.cursor === null;
    $("page-older").disabled = r.nextCursor === null;
    $("page-older").dataset.cursor = r.nextCursor === null ? "" : String(r.nextCursor);
    var note = r.events.length === 0 ? "" : "Showing #" + r.events[0].seq + "–#" + r.events[r.events.length - 1].seq;
    if (r.windowExceeded) note += (note ? ". " : "") + "Older records lie before the dashboard's read window; haechi report counts the whole log.";
    $("page-note").textContent = note;
  }

  // ---- wiring -------------------------------------------------------------------------
  function fail(e) { notice(e && e.message ? e.message : "Something went wrong."); }

  async function refresh() {
    notice("");
    await Promise.all([loadChain(), loadSummary(), loadEvents()]);
  }

  function firstPage() {
    state.cursor = null;
    state.back = [];
  }

  $("f-range").addEventListener("change", function () {
    var custom = $("f-range").value === "custom";
    $("l-from").hidden = !custom;
    $("l-to").hidden = !custom;
  });
  $("filters").addEventListener("submit", function (ev) {
    ev.preventDefault();
    firstPage();
    Promise.all([loadSummary(), loadEvents()]).catch(fail);
  });
  $("f-reset").addEventListener("click", function () {
    $("f-range").value = "all";
    $("f-type").value = "";
    $("f-from").value = "";
    $("f-to").value = "";
    $("l-from").hidden = true;
    $("l-to").hidden = true;
    firstPage();
    refresh().catch(fail);
  });
  $("refresh").addEventListener("click", function () { refresh().catch(fail); });
  $("page-older").addEventListener("click", function () {
    var next = $("page-older").dataset.cursor;
    if (!next) return;
    state.back.push(state.cursor);
    state.cursor = Number(next);
    loadEvents().catch(fail);
  });
  $("page-newer").addEventListener("click", function () {
    if (state.cursor === null) return;
    state.cursor = state.back.length ? state.back.pop() : null;
    loadEvents().catch(fail);
  });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (state.summary) drawSummary(state.summary); }, 150);
  });
  setInterval(function () {
    // Only the first page follows new records; a reader paging back keeps their place.
    if (document.visibilityState === "visible" && state.cursor === null) refresh().catch(fail);
  }, REFRESH_MS);

  function start() {
    refresh().then(function () { document.body.dataset.ready = "true"; }).catch(function (e) {
      fail(e);
      document.body.dataset.ready = "error";
    });
  }
  // A token pasted into the address of an open page arrives as a fragment change only.
  window.addEventListener("hashchange", function () {
    if (!takeToken()) return;
    delete document.body.dataset.ready;
    firstPage();
    start();
  });
  start();
})();
`;
