/** The board page: static HTML with a little script that polls /api/board every second. */
export const BOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>connect-wfm local board</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  #status { color: #555; margin-bottom: 1rem; }
  #status span { margin-right: 1.2rem; }
  .grid { display: grid; grid-template-columns: minmax(28rem, 2fr) minmax(20rem, 1fr); gap: 1.5rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e3e6ea; }
  th { background: #eef0f3; font-weight: 600; }
  td.state { font-weight: 600; }
  .s-available { color: #137a3a; } .s-contact { color: #1358a8; } .s-acw { color: #8a5a00; }
  .s-break { color: #a8327a; } .s-off { color: #888; }
  tr.changed td { animation: flash 1.2s ease-out; }
  @keyframes flash { from { background: #fff3b0; } to { background: transparent; } }
  #empty { color: #777; }
</style>
</head>
<body>
<h1>connect-wfm: agents as Teleopti WFM holds them</h1>
<div id="status">connecting…</div>
<div class="grid">
  <section>
    <h2>Agents (<span id="agent-count">0</span>)</h2>
    <table id="agents"><thead><tr><th>User code</th><th>State code</th><th>Since</th><th>Changes</th></tr></thead>
    <tbody></tbody></table>
    <p id="empty">Waiting for the first states to reach the RTA receiver…</p>
  </section>
  <section>
    <h2>Latest CSV files on the SFTP server</h2>
    <table id="files"><thead><tr><th>File</th><th>Bytes</th><th>Uploaded</th></tr></thead><tbody></tbody></table>
  </section>
</div>
<script>
  const previous = new Map();
  const cls = (code) => {
    const c = code.toUpperCase();
    if (c.includes('AFTER_CONTACT') || c.includes('ACW')) return 's-acw';
    if (c.startsWith('VOICE_') || c.startsWith('CHAT_') || c.startsWith('TASK_')) return 's-contact';
    if (c === 'AVAILABLE') return 's-available';
    if (c.includes('OFF') || c.includes('LOGGED')) return 's-off';
    return 's-break';
  };
  const ago = (ms, now) => { const s = Math.max(0, Math.round((now - ms) / 1000)); return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s'; };
  const cell = (text, className) => { const td = document.createElement('td'); td.textContent = text; if (className) td.className = className; return td; };
  async function refresh() {
    let data;
    try { data = await (await fetch('api/board', { cache: 'no-store' })).json(); }
    catch (e) { document.getElementById('status').textContent = 'board unreachable (stack stopped?)'; return; }
    const status = document.getElementById('status');
    status.replaceChildren(...Object.entries(data.status).map(([k, v]) => { const s = document.createElement('span'); s.textContent = k + ': ' + v; return s; }));
    const body = document.querySelector('#agents tbody');
    const rows = data.agents.map((a) => {
      const tr = document.createElement('tr');
      tr.dataset.agent = a.userCode;
      tr.dataset.state = a.stateCode;
      if (previous.has(a.userCode) && previous.get(a.userCode) !== a.stateCode) tr.className = 'changed';
      previous.set(a.userCode, a.stateCode);
      tr.append(cell(a.userCode), cell(a.stateCode, 'state ' + cls(a.stateCode)), cell(ago(a.sinceMillis, data.generatedAt)), cell(String(a.changes)));
      return tr;
    });
    body.replaceChildren(...rows);
    document.getElementById('agent-count').textContent = String(data.agents.length);
    document.getElementById('empty').style.display = data.agents.length ? 'none' : '';
    document.querySelector('#files tbody').replaceChildren(...data.files.map((f) => {
      const tr = document.createElement('tr');
      tr.dataset.file = f.path;
      tr.append(cell(f.path), cell(String(f.size)), cell(new Date(f.modifiedMillis).toLocaleTimeString()));
      return tr;
    }));
  }
  refresh();
  setInterval(refresh, 1000);
</script>
</body>
</html>
`;
