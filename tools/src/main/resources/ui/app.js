// The dflink web view: draws one snapshot of the federation (GET /state) and every newer one
// pushed as a server-sent event (GET /events), without reloading. Charts: ECharts, SVG renderer.
(function () {
  'use strict';
  const svg = { renderer: 'svg' };
  const charts = {
    topology: echarts.init(document.getElementById('topology'), null, svg),
    convergence: echarts.init(document.getElementById('convergence'), null, svg),
    consensus: echarts.init(document.getElementById('consensus-error'), null, svg),
    algorithm: echarts.init(document.getElementById('algorithm'), null, svg),
  };
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  const ROUND = 0, ERROR = 1, CHANGE = 2, SYNCS = 4;

  function escape(text) {
    return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  // log axes span many decades: 1e-9 reads better than 0.000000001
  function compact(v) { return v >= 0.01 && v < 1e5 ? String(v) : v.toExponential(0); }

  function positive(v) { return v === null || !(v > 0) ? null : v; }

  function lineChart(chart, title, seriesByName, yLog) {
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', name: 'round', minInterval: 1 },
      yAxis: yLog
        ? { type: 'log', name: title, axisLabel: { formatter: compact } }
        : { type: 'value', name: title },
      series: Object.keys(seriesByName).map(name => ({
        name, type: 'line', showSymbol: false, connectNulls: false, data: seriesByName[name],
      })),
    }, { notMerge: true });
  }

  function drawTopology(s) {
    const maxBytes = Math.max(1, ...s.edges.map(e => e.bytes));
    charts.topology.setOption({
      animation: false,
      tooltip: {
        // ids come from the topology topic as written: shown as text, never as markup
        formatter: p => p.dataType === 'edge'
          ? `${escape(p.data.source)} – ${escape(p.data.target)}<br>${p.data.messages} messages, ${p.data.bytes} bytes`
          : escape(p.name),
      },
      series: [{
        type: 'graph', layout: 'circular', roam: true, symbolSize: 36,
        label: { show: true, position: 'inside' },
        data: s.servers.map(id => ({ name: id, value: lastRound(s, id) })),
        links: s.edges.map(e => ({
          source: e.a, target: e.b, messages: e.messages, bytes: e.bytes,
          lineStyle: { width: 1 + 5 * e.bytes / maxBytes, type: e.active ? 'solid' : 'dashed' },
        })),
        edgeLabel: { show: s.edges.length <= 40, formatter: p => bytes(p.data.bytes), fontSize: 10 },
      }],
    }, { notMerge: true });
    const el = document.getElementById('topology');
    el.dataset.servers = s.servers.length;
    el.dataset.edges = s.edges.length;
  }

  function lastRound(s, id) {
    const r = s.rounds[id];
    return r && r.length ? r[r.length - 1][ROUND] : -1;
  }

  function bytes(n) {
    return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
  }

  function perServer(s, column) {
    const out = {};
    for (const id of Object.keys(s.rounds)) {
      out[id] = s.rounds[id].map(p => [p[ROUND], positive(p[column])]);
    }
    return out;
  }

  function drawAlgorithm(s) {
    const title = document.getElementById('algorithm-title');
    if (s.algorithm === 'LORA' && s.lora.length) {
      title.textContent = 'Decentralised LoRA: cross term ‖C_t‖ and disagreement of A and B (log)';
      lineChart(charts.algorithm, 'norm', {
        '‖C_t‖': s.lora.map(r => [r[0], positive(r[1])]),
        'disagreement A': s.lora.map(r => [r[0], positive(r[2])]),
        'disagreement B': s.lora.map(r => [r[0], positive(r[3])]),
      }, true);
    } else if (s.algorithm === 'FDA') {
      title.textContent = 'FDA: synchronisations per round';
      const syncs = {};
      for (const id of Object.keys(s.rounds)) {
        syncs[id] = s.rounds[id].filter(p => p[SYNCS] >= 0).map(p => [p[ROUND], p[SYNCS]]);
      }
      lineChart(charts.algorithm, 'syncs', syncs, false);
    } else {
      title.textContent = 'Clients aggregated per round';
      const clients = {};
      for (const id of Object.keys(s.rounds)) {
        clients[id] = s.rounds[id].map(p => [p[ROUND], p[3]]);
      }
      lineChart(charts.algorithm, 'updates', clients, false);
    }
  }

  function drawDeadLetters(s) {
    const body = document.querySelector('#dead-letters tbody');
    body.replaceChildren(...s.deadLetters.map(d => {
      const tr = document.createElement('tr');
      for (const [text, cls] of [[d.reasonCode, 'reason'], [d.reason], [d.source], [d.key || '']]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      return tr;
    }));
    document.getElementById('dead-letter-counts').textContent = Object.entries(s.deadLetterCounts)
      .map(([code, n]) => `${code}: ${n}`).join(', ');
  }

  function draw(s) {
    drawTopology(s);
    lineChart(charts.convergence, '‖w_r − w_(r−1)‖', perServer(s, CHANGE), true);
    lineChart(charts.consensus, 'error', perServer(s, ERROR), true);
    drawAlgorithm(s);
    drawDeadLetters(s);
    const rounds = s.servers.map(id => lastRound(s, id)).filter(r => r >= 0);
    const last = rounds.length ? Math.max(...rounds) : -1;
    const rejected = Object.values(s.deadLetterCounts).reduce((a, b) => a + b, 0);
    document.getElementById('convergence').dataset.lastRound = last;
    document.getElementById('status').textContent =
      `${s.algorithm} · ${s.servers.length} servers · ${s.edges.length} edges · ` +
      (last >= 0 ? `round ${last} (slowest ${Math.min(...rounds)})` : 'no round yet') +
      ` · ${rejected} dead letter${rejected === 1 ? '' : 's'}`;
    document.body.dataset.version = s.version;
  }

  fetch('/state').then(r => r.json()).then(draw);
  const events = new EventSource('/events');
  events.addEventListener('state', e => draw(JSON.parse(e.data)));
  events.onerror = () => { document.getElementById('status').textContent = 'reconnecting ...'; };
})();
