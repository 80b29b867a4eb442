/**
 * The dashboard's single page: HTML, CSS and a small script that polls /api/view every second and
 * redraws the tables and four uPlot time series (hit rate, operations per second, ingest lag, memory),
 * each with a labelled time axis and a labelled value axis with units. Numbers carry data-testid
 * attributes so a browser test reads exactly what a person sees.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>botcache dashboard</title>
<link rel="stylesheet" href="/assets/uplot.css">
<style>
  body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 20px 0 6px; }
  .sub { color: #666; margin-bottom: 12px; }
  table { border-collapse: collapse; background: #fff; min-width: 560px; }
  th, td { padding: 5px 12px; border-bottom: 1px solid #e4e4e4; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  tfoot td { font-weight: 600; }
  .row { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; }
  .charts { display: grid; grid-template-columns: repeat(2, 520px); gap: 16px; margin-top: 16px; }
  .chart { background: #fff; border: 1px solid #e4e4e4; padding: 6px; }
  .empty { color: #888; }
</style>
</head>
<body>
<h1>botcache dashboard</h1>
<div class="sub"><span data-testid="source">connecting…</span> · updated <span data-testid="updated">never</span>
  · samples <span data-testid="samples">0</span></div>
<div class="row">
<div>
<h2>Resources</h2>
<table>
  <thead><tr><th>namespace</th><th>entries</th><th>hits</th><th>misses</th><th>hit rate</th></tr></thead>
  <tbody data-testid="resources"></tbody>
  <tfoot><tr><td>total</td><td data-testid="total-entries">-</td><td data-testid="total-hits">-</td>
    <td data-testid="total-misses">-</td><td data-testid="total-rate">-</td></tr></tfoot>
</table>
</div>
<div data-testid="redis-panel" hidden>
<h2>Redis</h2>
<table>
  <tbody>
    <tr><td>nodes</td><td data-testid="redis-nodes">-</td></tr>
    <tr><td>keys under the prefix</td><td data-testid="redis-keys">-</td></tr>
    <tr><td>used memory (all nodes)</td><td data-testid="redis-memory">-</td></tr>
  </tbody>
</table>
<h2>Remaining TTL (sampled values)</h2>
<table><tbody data-testid="ttl"></tbody></table>
<h2>Largest guilds</h2>
<table><thead><tr><th>guild</th><th>entries</th></tr></thead><tbody data-testid="guilds"></tbody></table>
</div>
</div>
<h2>Bot processes</h2>
<table>
  <thead><tr><th>process</th><th>pid</th><th>heap</th><th>rss</th><th>events applied</th><th>queue</th>
    <th>ingest lag p99</th><th>last report</th></tr></thead>
  <tbody data-testid="processes"></tbody>
</table>
<div class="charts">
  <div class="chart" id="chart-hit-rate" data-testid="chart-hit-rate"></div>
  <div class="chart" id="chart-ops" data-testid="chart-ops"></div>
  <div class="chart" id="chart-lag" data-testid="chart-lag"></div>
  <div class="chart" id="chart-memory" data-testid="chart-memory"></div>
</div>
<script src="/assets/uplot.js"></script>
<script>
const fmt = (n) => n.toLocaleString('en-US');
const pct = (h, m) => (h + m === 0 ? 'n/a' : ((h / (h + m)) * 100).toFixed(1) + '%');
const mib = (b) => (b / 1048576).toFixed(1) + ' MiB';
const ms = (v) => (v === null || v === undefined ? '-' : v.toFixed(1) + ' ms');
let samples = 0;

function cell(text, testid) {
  const td = document.createElement('td');
  if (testid) td.dataset.testid = testid;
  td.textContent = text;
  return td;
}

function chart(el, title, unit, series, range) {
  const axisValues = (u, values) => values.map((v) => (v === null ? '' : v.toLocaleString('en-US') + unit.suffix));
  return new uPlot({
    title, width: 500, height: 220,
    scales: { x: { time: true }, y: range ? { range } : { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { label: 'time (local)', stroke: '#555', grid: { stroke: '#eee' } },
      { label: unit.label, stroke: '#555', grid: { stroke: '#eee' }, size: 70, values: axisValues },
    ],
    series: [{ label: 'time' }, ...series.map((s) => ({
      label: s.label, stroke: s.color, width: 2, spanGaps: false,
      value: (u, v) => (v === null ? '-' : v.toFixed(s.digits) + unit.suffix),
    }))],
  }, [[], ...series.map(() => [])], el);
}

const charts = (window.botcacheCharts = {
  hitRate: chart(document.getElementById('chart-hit-rate'), 'Store hit rate', { label: 'hit rate (%)', suffix: '%' },
    [{ label: 'hit rate', color: '#3a9d5d', digits: 1 }], [0, 100]),
  ops: chart(document.getElementById('chart-ops'), 'Cache operations per second', { label: 'operations / s', suffix: '' },
    [{ label: 'reads + writes', color: '#2f7ed8', digits: 0 }]),
  lag: chart(document.getElementById('chart-lag'), 'Ingest lag (p99, worst process)', { label: 'lag (ms)', suffix: ' ms' },
    [{ label: 'p99 lag', color: '#d8822f', digits: 1 }]),
  memory: chart(document.getElementById('chart-memory'), 'Memory', { label: 'memory (MiB)', suffix: ' MiB' },
    [{ label: 'bot heap', color: '#8e44ad', digits: 1 }, { label: 'Redis used', color: '#c0392b', digits: 1 }]),
});

function render(view) {
  if (!view) return;
  document.querySelector('[data-testid=source]').textContent = view.source;
  const body = document.querySelector('[data-testid=resources]');
  body.replaceChildren(...view.resources.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.namespace = r.namespace;
    tr.append(cell(r.namespace, 'name-' + r.namespace), cell(fmt(r.entries), 'entries-' + r.namespace),
      cell(fmt(r.hits), 'hits-' + r.namespace), cell(fmt(r.misses), 'misses-' + r.namespace),
      cell(pct(r.hits, r.misses), 'rate-' + r.namespace));
    return tr;
  }));
  const t = view.totals;
  document.querySelector('[data-testid=total-entries]').textContent = fmt(t.entries);
  document.querySelector('[data-testid=total-hits]').textContent = fmt(t.hits);
  document.querySelector('[data-testid=total-misses]').textContent = fmt(t.misses);
  document.querySelector('[data-testid=total-rate]').textContent = pct(t.hits, t.misses);

  const procs = document.querySelector('[data-testid=processes]');
  procs.replaceChildren(...view.processes.map((p, i) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'process-row';
    tr.append(cell(p.id, 'process-id-' + i), cell(String(p.pid)), cell(mib(p.heapUsed), 'process-heap-' + i),
      cell(mib(p.rss)), cell(p.applied === null ? '-' : fmt(p.applied), 'process-applied-' + i),
      cell(p.queueDepth === null ? '-' : fmt(p.queueDepth)), cell(ms(p.lagP99), 'process-lag-' + i),
      cell((p.age / 1000).toFixed(1) + ' s ago'));
    return tr;
  }));
  if (view.processes.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('no process has published stats (publishStats) under this prefix yet');
    td.colSpan = 8; td.className = 'empty';
    tr.append(td); procs.append(tr);
  }

  const redis = view.redis;
  document.querySelector('[data-testid=redis-panel]').hidden = !redis;
  if (redis) {
    document.querySelector('[data-testid=redis-nodes]').textContent = redis.nodes.join(', ');
    document.querySelector('[data-testid=redis-keys]').textContent = fmt(redis.keys);
    document.querySelector('[data-testid=redis-memory]').textContent = mib(redis.usedMemory);
    document.querySelector('[data-testid=ttl]').replaceChildren(...Object.entries(redis.ttl).map(([bucket, n]) => {
      const tr = document.createElement('tr');
      tr.append(cell(bucket), cell(fmt(n), 'ttl-' + bucket));
      return tr;
    }));
    document.querySelector('[data-testid=guilds]').replaceChildren(...redis.largestGuilds.map((g, i) => {
      const tr = document.createElement('tr');
      tr.append(cell(g.guildId, 'guild-id-' + i), cell(fmt(g.entries), 'guild-entries-' + i));
      return tr;
    }));
  }

  const xs = view.history.map((p) => p.at / 1000);
  charts.hitRate.setData([xs, view.history.map((p) => (p.hitRate === null ? null : p.hitRate * 100))]);
  charts.ops.setData([xs, view.history.map((p) => p.opsPerSec)]);
  charts.lag.setData([xs, view.history.map((p) => p.lagP99Ms)]);
  charts.memory.setData([xs, view.history.map((p) => p.heapBytes / 1048576),
    view.history.map((p) => (p.storeBytes === null ? null : p.storeBytes / 1048576))]);
  document.querySelector('[data-testid=updated]').textContent = new Date(view.at).toLocaleTimeString();
  document.querySelector('[data-testid=samples]').textContent = String(++samples);
}

async function poll() {
  try {
    const res = await fetch('/api/view', { cache: 'no-store' });
    if (res.ok) render(await res.json());
  } catch {
    document.querySelector('[data-testid=source]').textContent = 'disconnected';
  }
  setTimeout(poll, 1000);
}
poll();
</script>
</body>
</html>
`;
