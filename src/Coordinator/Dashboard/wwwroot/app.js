// The cluster dashboard: one EventSource on /dashboard/api/stream (one state a second while this page is open),
// rendered into the jobs table, the selected job's timeline (a canvas Gantt chart) and a virtualized workers list.
'use strict';
(() => {
  const api = '/dashboard/api';
  const rowHeight = 26;
  const colours = {};
  for (const name of ['running', 'done', 'backup', 'failed', 'lost', 'stale', 'cancelled']) {
    colours[name] = getComputedStyle(document.documentElement).getPropertyValue('--' + name).trim();
  }

  const $ = (id) => document.getElementById(id);
  const state = { selected: new URLSearchParams(location.search).get('job'), last: null, source: null, bars: [] };
  window.dashboard = state;

  const text = (tag, value, cls) => {
    const el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  };
  const rate = (r) => r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r > 0 ? r.toFixed(2) : '–';
  const duration = (s) => {
    if (s == null || !isFinite(s)) return '–';
    if (s < 60) return Math.ceil(s) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  };

  function connect() {
    if (state.source) state.source.close();
    const url = api + '/stream' + (state.selected ? '?job=' + encodeURIComponent(state.selected) : '');
    const source = new EventSource(url);
    state.source = source;
    source.onopen = () => { $('connection').textContent = 'live'; $('connection').className = 'status live'; };
    source.onerror = () => { $('connection').textContent = 'reconnecting'; $('connection').className = 'status'; };
    source.onmessage = (e) => render(JSON.parse(e.data));
  }

  function select(id) {
    state.selected = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('job', id); else url.searchParams.delete('job');
    history.replaceState(null, '', url);
    connect();
    if (state.last) render(state.last);
  }

  async function cancel(id, button) {
    button.disabled = true;
    const response = await fetch(api + '/jobs/' + id + '/cancel', { method: 'POST', headers: { 'X-Cluster-Dashboard': '1' } });
    if (!response.ok) {
      button.disabled = false;
      alert('Cancel refused: ' + response.status + ' ' + await response.text());
    }
  }

  function render(s) {
    state.last = s;
    const connected = s.workers.filter((w) => w.state !== 'departed');
    const threads = connected.reduce((n, w) => n + w.threads, 0);
    const busy = connected.reduce((n, w) => n + Math.min(w.busy, w.threads), 0);
    const running = s.jobs.filter((j) => j.state === 'running').length;
    $('summary').textContent = `${connected.length} workers · ${busy}/${threads} threads busy · ${running} jobs running`;
    renderJobs(s.jobs);
    renderDetail(s);
    renderWorkers(s.workers);
  }

  function renderJobs(jobs) {
    const body = document.querySelector('#jobs tbody');
    $('no-jobs').hidden = jobs.length > 0;
    const rows = [];
    for (const j of jobs) {
      const tr = document.createElement('tr');
      tr.dataset.jobId = j.id;
      tr.className = j.id === state.selected ? 'selected' : '';
      tr.onclick = () => select(j.id === state.selected ? null : j.id);
      tr.append(text('td', j.name || j.id.slice(0, 8)), text('td', j.kind), text('td', j.state, 'state-' + j.state));
      const pct = j.chunksTotal > 0 ? (100 * j.chunksDone / j.chunksTotal) : 0;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.dataset.done = j.chunksDone;
      bar.dataset.total = j.chunksTotal;
      const fill = document.createElement('span');
      fill.style.width = pct.toFixed(2) + '%';
      bar.append(fill, text('em', `${j.chunksDone} / ${j.chunksTotal}` + (j.chunksRunning ? ` (${j.chunksRunning} running)` : '')));
      const progress = document.createElement('td');
      progress.append(bar);
      tr.append(progress, text('td', rate(j.chunksPerSecond)), text('td', j.state === 'running' ? duration(j.etaSeconds) : '–'));
      tr.append(text('td', `${j.retried} / ${j.failed} / ${j.lost} / ${j.backups}`));
      const actions = document.createElement('td');
      if (j.state === 'running' || j.state === 'pending') {
        const button = text('button', 'Cancel', 'cancel');
        button.onclick = (e) => { e.stopPropagation(); cancel(j.id, button); };
        actions.append(button);
      }
      tr.append(actions);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  }

  function renderDetail(s) {
    const job = s.jobs.find((j) => j.id === state.selected);
    $('detail').hidden = !job;
    if (!job) return;
    $('detail-title').textContent = `${job.name || job.id} (${job.kind}, ${job.state})`;
    $('detail-error').hidden = !job.error;
    $('detail-error').textContent = job.error;
    $('events').replaceChildren(...job.events.map((e) => text('li', e)));
    const timeline = s.timeline && s.timeline.jobId === job.id ? s.timeline : null;
    const attempts = timeline ? timeline.attempts : [];
    const odd = attempts.filter((a) => a.attempt > 1 || a.backup || (a.outcome !== 'done' && a.outcome !== 'running')).slice(-50);
    $('attempts').replaceChildren(...odd.map((a) => {
      const li = text('li', `chunk ${a.chunk} attempt ${a.attempt}${a.backup ? ' (backup)' : ''} on ${a.worker}: ${a.outcome}` + (a.error ? ` — ${a.error}` : ''));
      li.dataset.chunk = a.chunk;
      li.dataset.attempt = a.attempt;
      li.dataset.outcome = a.outcome;
      return li;
    }));
    $('timeline-note').textContent = !timeline ? 'No timeline kept for this job (only the most recently started jobs keep one).'
      : timeline.recorded > attempts.length ? `Showing the last ${attempts.length} of ${timeline.recorded} attempts.` : `${attempts.length} attempts.`;
    drawTimeline(timeline);
    renderLongChunks(s, job);
  }

  // Chunks the coordinator marks long (running past a multiple of the job's median): each has a button for its stacks.
  function renderLongChunks(s, job) {
    const long = s.longChunks && s.longChunks.jobId === job.id ? s.longChunks : null;
    $('long-box').hidden = !long || (long.attempts.length === 0 && $('stacks').hidden);
    if (!long) return;
    $('long-rule').textContent = `(running over ${(long.thresholdMs / 1000).toFixed(1)} s; the job's median chunk takes ${long.medianMs.toFixed(0)} ms)`;
    $('long-chunks').replaceChildren(...long.attempts.map((a) => {
      const li = text('li', `chunk ${a.chunk} attempt ${a.attempt}${a.backup ? ' (backup)' : ''} on ${a.worker}: running ${duration(a.runningMs / 1000)} `);
      li.dataset.chunk = a.chunk;
      const button = text('button', 'stacks', 'stacks');
      button.onclick = () => showStacks(job.id, a.chunk, button);
      li.append(button);
      return li;
    }));
  }

  async function showStacks(id, chunk, button) {
    button.disabled = true;
    const pre = $('stacks');
    pre.hidden = false;
    pre.dataset.chunk = chunk;
    pre.textContent = `Taking the stacks of chunk ${chunk}…`;
    try {
      const response = await fetch(`${api}/jobs/${id}/stacks?chunk=${chunk}`, { headers: { 'X-Cluster-Dashboard': '1' } });
      if (!response.ok) {
        pre.textContent = `No stacks: ${response.status} ${await response.text()}`;
        return;
      }
      const stacks = await response.json();
      pre.textContent = stacks.length === 0 ? `Chunk ${chunk} no longer runs.` : stacks.map((t) =>
        `chunk ${t.chunk} attempt ${t.attempt} on ${t.workerId}: ${t.state}${t.thread ? ', thread ' + t.thread : ''}, ${duration(t.runningMs / 1000)}`
        + t.frames.map((f) => '\n    at ' + f).join('')).join('\n\n');
    } finally {
      button.disabled = false;
    }
  }

  function drawTimeline(timeline) {
    const canvas = $('timeline');
    const ctx = canvas.getContext('2d');
    const attempts = timeline ? timeline.attempts : [];
    const lanes = [...new Set(attempts.map((a) => a.worker + '\u0000' + a.lane))].sort();
    const laneIndex = new Map(lanes.map((l, i) => [l, i]));
    const row = Math.max(3, Math.min(18, Math.floor(480 / Math.max(1, lanes.length))));
    const labelWidth = row >= 10 ? 150 : 0;
    const width = canvas.clientWidth || 800;
    const height = Math.max(40, lanes.length * row + 22);
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.height = height + 'px';
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    state.bars = [];
    if (!timeline || attempts.length === 0) return;
    const start = Math.min(...attempts.map((a) => a.startMs));
    const end = Math.max(timeline.nowMs, ...attempts.map((a) => a.endMs ?? timeline.nowMs));
    const scale = (width - labelWidth - 8) / Math.max(1, end - start);
    const x = (ms) => labelWidth + (ms - start) * scale;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#6b6b70';
    if (labelWidth) lanes.forEach((l, i) => ctx.fillText(l.replace('\u0000', ' #'), 4, i * row + row - 4, labelWidth - 8));
    for (const a of attempts) {
      const y = laneIndex.get(a.worker + '\u0000' + a.lane) * row;
      const x0 = x(a.startMs);
      const w = Math.max(1.5, x(a.endMs ?? timeline.nowMs) - x0);
      ctx.fillStyle = colours[a.backup && a.outcome === 'done' ? 'backup' : a.outcome] || '#000';
      ctx.fillRect(x0, y + 1, w, row - 2);
      state.bars.push({ x0, x1: x0 + w, y0: y, y1: y + row, a });
    }
    ctx.fillStyle = '#6b6b70';
    ctx.fillText('0 s', labelWidth, height - 6);
    const total = ((end - start) / 1000).toFixed(1) + ' s';
    ctx.fillText(total, width - ctx.measureText(total).width - 4, height - 6);
  }

  $('timeline').addEventListener('mousemove', (e) => {
    const rect = e.target.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const hit = state.bars.find((b) => px >= b.x0 && px <= b.x1 && py >= b.y0 && py <= b.y1);
    const tip = $('tip');
    tip.hidden = !hit;
    if (!hit) return;
    const a = hit.a;
    const ms = (a.endMs ?? state.last.timeline.nowMs) - a.startMs;
    tip.textContent = `chunk ${a.chunk} attempt ${a.attempt}${a.backup ? ' (backup)' : ''} on ${a.worker} #${a.lane}: ${a.outcome}, ${ms.toFixed(0)} ms` + (a.error ? ` — ${a.error}` : '');
    tip.style.left = Math.min(px + 12, rect.width - tip.offsetWidth - 4) + 'px';
    tip.style.top = (py + 14) + 'px';
  });
  $('timeline').addEventListener('mouseleave', () => { $('tip').hidden = true; });

  // Workers: only the rows in view are in the document, so a thousand workers cost a screenful of elements.
  function renderWorkers(workers) {
    const connected = workers.filter((w) => w.state !== 'departed').length;
    $('workers-summary').textContent = `${connected} connected, ${workers.length - connected} departed`;
    $('workers-spacer').style.height = (workers.length * rowHeight) + 'px';
    drawWorkerRows();
  }

  function drawWorkerRows() {
    if (!state.last) return;
    const workers = state.last.workers;
    const scroller = $('workers');
    const first = Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - 5);
    const count = Math.ceil((scroller.clientHeight || 400) / rowHeight) + 10;
    const rows = workers.slice(first, first + count).map((w) => {
      const div = document.createElement('div');
      div.className = 'wrow workers-grid';
      div.dataset.workerId = w.id;
      div.dataset.state = w.state;
      const mini = document.createElement('div');
      mini.className = 'mini';
      mini.title = `${w.busy} of ${w.threads} threads busy`;
      const fill = document.createElement('span');
      fill.style.width = (w.threads ? Math.min(100, 100 * w.busy / w.threads) : 0) + '%';
      mini.append(fill);
      div.append(text('span', w.id), text('span', w.host), text('span', w.pid), text('span', w.threads), mini,
        text('span', rate(w.chunksPerSecond)),
        text('span', w.cpuPercent == null ? '' : Math.round(w.cpuPercent) + ' %', 'cpu'),
        text('span', w.memoryMiB == null ? '' : Math.round(w.memoryMiB) + ' MiB', 'memory'),
        text('span', w.completed), text('span', w.failed),
        text('span', w.state, 'state-' + w.state.split(' ')[0]), text('span', w.departure, 'departure'));
      div.lastChild.title = w.departure;
      return div;
    });
    $('workers-rows').style.top = (first * rowHeight) + 'px';
    $('workers-rows').replaceChildren(...rows);
  }

  // Renders a state given by a script (the browser test draws 1,000 workers with it) as if the stream had sent it.
  state.render = render;
  $('workers').addEventListener('scroll', drawWorkerRows);
  window.addEventListener('resize', () => state.last && render(state.last));
  connect();
})();
