/**
 * The dashboard's single page: plain HTML, CSS and a small script that polls /api/snapshot every
 * second and redraws the table and two line charts (memory, hit rate). Numbers carry data-testid
 * attributes so a browser test can read exactly what a person sees.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>botcache dashboard</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .sub { color: #666; margin-bottom: 16px; }
  table { border-collapse: collapse; background: #fff; min-width: 640px; }
  th, td { padding: 6px 12px; border-bottom: 1px solid #e4e4e4; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  tfoot td { font-weight: 600; }
  .charts { display: flex; gap: 24px; margin-top: 20px; flex-wrap: wrap; }
  .chart { background: #fff; border: 1px solid #e4e4e4; padding: 8px 12px; }
  .chart h2 { font-size: 14px; margin: 0 0 6px; }
  polyline { fill: none; stroke-width: 2; }
</style>
</head>
<body>
<h1>botcache dashboard</h1>
<div class="sub"><span data-testid="store">connecting…</span> · updated <span data-testid="updated">never</span>
  · sample <span data-testid="samples">0</span></div>
<table>
  <thead><tr><th>resource</th><th>entries</th><th>hits</th><th>misses</th><th>hit rate</th></tr></thead>
  <tbody data-testid="resources"></tbody>
  <tfoot><tr><td>total</td><td data-testid="total-entries">-</td><td data-testid="total-hits">-</td>
    <td data-testid="total-misses">-</td><td data-testid="total-rate">-</td></tr></tfoot>
</table>
<div class="charts">
  <div class="chart"><h2>memory (JS heap) <span data-testid="heap">-</span></h2>
    <svg width="420" height="140" data-testid="memory-chart"><polyline stroke="#2f7ed8" points=""/></svg></div>
  <div class="chart"><h2>store hit rate per second <span data-testid="rate-now">-</span></h2>
    <svg width="420" height="140" data-testid="rate-chart"><polyline stroke="#3a9d5d" points=""/></svg></div>
</div>
<script>
const fmt = (n) => n.toLocaleString('en-US');
const pct = (h, m) => (h + m === 0 ? 'n/a' : ((h / (h + m)) * 100).toFixed(1) + '%');
const mib = (b) => (b / 1048576).toFixed(1) + ' MiB';
let samples = 0;

function line(svg, values, max) {
  const w = svg.width.baseVal.value, h = svg.height.baseVal.value;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const top = max > 0 ? max : 1;
  svg.querySelector('polyline').setAttribute('points',
    values.map((v, i) => (i * step).toFixed(1) + ',' + (h - 4 - (v / top) * (h - 8)).toFixed(1)).join(' '));
}

function render(data) {
  const snap = data.snapshot;
  if (!snap) return;
  document.querySelector('[data-testid=store]').textContent = data.store;
  const body = document.querySelector('[data-testid=resources]');
  body.replaceChildren(...snap.resources.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.resource = r.resource;
    for (const [key, text] of [['name', r.resource], ['count', fmt(r.count)], ['hits', fmt(r.hits)],
        ['misses', fmt(r.misses)], ['rate', pct(r.hits, r.misses)]]) {
      const td = document.createElement('td');
      td.dataset.testid = key + '-' + r.resource;
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  const t = snap.totals;
  document.querySelector('[data-testid=total-entries]').textContent = fmt(t.entries);
  document.querySelector('[data-testid=total-hits]').textContent = fmt(t.hits);
  document.querySelector('[data-testid=total-misses]').textContent = fmt(t.misses);
  document.querySelector('[data-testid=total-rate]').textContent = pct(t.hits, t.misses);
  document.querySelector('[data-testid=heap]').textContent = mib(snap.memory.heapUsed);
  const rates = data.history.map((p) => (p.hitRate === null ? 0 : p.hitRate));
  const last = data.history[data.history.length - 1];
  document.querySelector('[data-testid=rate-now]').textContent =
    last && last.hitRate !== null ? (last.hitRate * 100).toFixed(1) + '%' : 'idle';
  line(document.querySelector('[data-testid=memory-chart]'), data.history.map((p) => p.heapUsed),
    Math.max(...data.history.map((p) => p.heapUsed)));
  line(document.querySelector('[data-testid=rate-chart]'), rates, 1);
  document.querySelector('[data-testid=updated]').textContent = new Date(snap.at).toLocaleTimeString();
  document.querySelector('[data-testid=samples]').textContent = String(++samples);
}

async function poll() {
  try {
    const res = await fetch('/api/snapshot', { cache: 'no-store' });
    if (res.ok) render(await res.json());
  } catch {
    document.querySelector('[data-testid=store]').textContent = 'disconnected';
  }
  setTimeout(poll, 1000);
}
poll();
</script>
</body>
</html>
`;
