// The page: edit a recipe, see its statistics (expected vs observed, histograms), download the file,
// copy the same request as curl, Python SDK or library code; and the depth view. Talks only to
// this server's /v1 routes; no external request of any kind.
'use strict';

const $ = (id) => document.getElementById(id);
const EXAMPLE = {
  seed: 42,
  dtype: 'float32',
  layers: [
    { name: 'fc1', type: 'linear', in_features: 784, out_features: 256 },
    { name: 'conv1', type: 'conv2d', in_channels: 3, out_channels: 64, kernel_size: 7,
      init: { weight: { scheme: 'kaiming_normal', mode: 'fan_out', nonlinearity: 'relu' } } },
  ],
  tensors: [{ name: 'scale', shape: [64], init: { scheme: 'constant', value: 0.5 } }],
};
const COLORS = ['#7f7f7f', '#bcbd22', '#d62728', '#ff7f0e', '#8c564b', '#1f77b4', '#2ca02c', '#9467bd',
  '#e377c2', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd'];
const VARIANCE = {
  zeros: '0', ones: '0 (all 1)', 'U(-1, 1)': '1/3', 'U(+-1/sqrt(n))': '1/(3n)', 'N(0, 1)': '1',
  Xavier: '2/(n_in+n_out)', He: '2/n', LeCun: '1/n',
};

// ---------------------------------------------------------------- HTTP

function headers(json = true) {
  const h = json ? { 'content-type': 'application/json' } : {};
  const key = $('api-key').value.trim();
  if (key) h.authorization = `Bearer ${key}`;
  return h;
}

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  const type = response.headers.get('content-type') || '';
  if (!response.ok) {
    const error = type.includes('json') ? await response.json() : { error: await response.text(), error_type: 'http_error' };
    error.status = response.status;
    throw error;
  }
  return type.includes('json') ? response.json() : response.blob();
}

// ---------------------------------------------------------------- the editor and its errors

// Where each JSON path ("layers.0.in_features") starts in the text, as a line number.
function jsonLines(text) {
  const lines = new Map();
  let i = 0;
  const lineAt = (pos) => text.slice(0, pos).split('\n').length;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const str = () => { i++; while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1; i++; };
  function value(path) {
    ws();
    lines.set(path.join('.'), lineAt(i));
    if (text[i] === '{') {
      i++; ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        const start = i; str();
        const key = JSON.parse(text.slice(start, i));
        const keyLine = lineAt(start);
        ws(); i++; // ':'
        value([...path, key]);
        lines.set([...path, key].join('.'), keyLine);
        ws(); if (text[i] === ',') i++; ws();
      }
      i++;
    } else if (text[i] === '[') {
      i++; ws();
      let k = 0;
      while (i < text.length && text[i] !== ']') {
        value([...path, String(k++)]);
        ws(); if (text[i] === ',') i++; ws();
      }
      i++;
    } else if (text[i] === '"') {
      str();
    } else {
      while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
    }
  }
  try { value([]); } catch (_) { /* the text does not parse: errors go to line 1 */ }
  return lines;
}

// The line of an error's loc: parts the JSON does not have (union tags like "linear") are skipped.
function lineOf(loc, lines) {
  const path = [];
  for (const part of String(loc).split('.')) {
    if (part === 'body') continue;
    if (lines.has([...path, part].join('.'))) path.push(part);
  }
  return path.length ? lines.get(path.join('.')) : 1;
}

function lineHeight() {
  return parseFloat(getComputedStyle($('recipe')).lineHeight) || 18;
}

function renderGutter() {
  const count = $('recipe').value.split('\n').length;
  $('gutter').textContent = Array.from({ length: count }, (_, k) => k + 1).join('\n');
  $('gutter').scrollTop = $('recipe').scrollTop;
  positionErrors();
}

let fieldErrors = [];

function showFieldErrors(details) {
  const lines = jsonLines($('recipe').value);
  fieldErrors = details.map((d) => ({ ...d, line: lineOf(d.loc, lines) }));
  const box = $('field-errors');
  box.textContent = '';
  for (const e of fieldErrors) {
    const div = document.createElement('div');
    div.className = 'field-error';
    div.dataset.loc = e.loc;
    div.textContent = `${e.loc}: ${e.msg}`;
    box.appendChild(div);
  }
  positionErrors();
}

function positionErrors() {
  const box = $('field-errors');
  const top = $('recipe').scrollTop;
  const h = lineHeight();
  let previous = -Infinity;
  [...box.children].forEach((div, k) => {
    let y = (fieldErrors[k].line - 1) * h - top + 6;
    if (y < previous + h) y = previous + h; // errors on one line stack below each other
    previous = y;
    div.style.top = `${y}px`;
  });
}

function status(id, text, error = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', error);
}

function readRecipe() {
  try {
    return JSON.parse($('recipe').value);
  } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    const line = m ? $('recipe').value.slice(0, Number(m[1])).split('\n').length : 1;
    fieldErrors = [];
    showFieldErrors([{ loc: 'body', msg: `not JSON: ${e.message}` }]);
    fieldErrors[0].line = line;
    positionErrors();
    throw new Error('the recipe is not valid JSON');
  }
}

function explain(error, where) {
  if (error.details) showFieldErrors(error.details);
  status(where, `${error.status || ''} ${error.error_type || 'error'}: ${error.error || error.message}`, true);
}

// ---------------------------------------------------------------- statistics

let lastStats = null;

function stdDeviation(o, e) {
  if (e === null || o === null || e === 0) return '';
  return `${(100 * (o / e - 1)).toFixed(1)}%`;
}

function renderStats(stats) {
  lastStats = stats;
  const f = (v) => (v === null || v === undefined ? '-' : Charts.fmt(v));
  $('stats-summary').textContent = `${stats.tensors.length} tensors, ${stats.total_elements} elements, ` +
    `${stats.dtype}, seed ${stats.seed}, ${stats.spec_version}`;
  const body = $('stats-table').querySelector('tbody');
  body.textContent = '';
  stats.tensors.forEach((t, i) => {
    const tr = document.createElement('tr');
    tr.dataset.index = i;
    const cells = [t.name, t.shape.join('x'), t.scheme, f(t.expected.mean), f(t.expected.std), f(t.observed.mean),
      f(t.observed.std), stdDeviation(t.observed.std, t.expected.std), f(t.observed.min), f(t.observed.max),
      t.sha256.slice(0, 12)];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    tr.addEventListener('click', () => selectTensor(i));
    body.appendChild(tr);
  });
  const rows = stats.tensors.map((t) => ({ label: t.name, expected: t.expected.std, observed: t.observed.std }));
  Charts.dotChart($('std-chart'), { rows, title: 'std: expected (ring) vs observed (dot)', onSelect: selectTensor });
  selectTensor(0);
}

function selectTensor(i) {
  const t = lastStats.tensors[i];
  for (const tr of $('stats-table').querySelectorAll('tbody tr')) tr.classList.toggle('selected', Number(tr.dataset.index) === i);
  Charts.histogramChart($('histogram'), {
    hist: t.histogram,
    title: `${t.name} (${t.scheme}): ${t.observed.count} values`,
    marks: { 'expected mean': t.expected.mean, 'expected min': t.expected.min, 'expected max': t.expected.max },
  });
}

async function runStats() {
  showFieldErrors([]);
  let recipe;
  try { recipe = readRecipe(); } catch (e) { status('recipe-status', e.message, true); return; }
  status('recipe-status', 'computing statistics…');
  try {
    const bins = Number($('bins').value) || 32;
    const stats = await post(`/v1/stats?bins=${bins}`, recipe);
    renderStats(stats);
    status('recipe-status', 'done');
  } catch (e) {
    explain(e, 'recipe-status');
  }
}

// ---------------------------------------------------------------- download and snippets

async function download() {
  let recipe;
  try { recipe = readRecipe(); } catch (e) { status('recipe-status', e.message, true); return; }
  try {
    const info = await post('/v1/recipes', recipe);
    const a = document.createElement('a');
    if ($('api-key').value.trim()) { // a plain link cannot carry the key: fetch, then save the blob
      const response = await fetch(info.urls.weights, { headers: headers(false) });
      a.href = URL.createObjectURL(await response.blob());
    } else {
      a.href = info.urls.weights; // the browser streams it to disk
    }
    a.download = 'weights.safetensors';
    document.body.appendChild(a);
    a.click();
    a.remove();
    status('recipe-status', `downloading ${info.size} bytes (ETag ${info.etag})`);
  } catch (e) {
    explain(e, 'recipe-status');
  }
}

function snippet(kind, recipe) {
  const origin = window.location.origin;
  const text = JSON.stringify(recipe, null, 2);
  if (kind === 'curl') {
    const quoted = text.replace(/'/g, "'\\''");
    return `curl -sS -X POST ${origin}/v1/weights -H 'content-type: application/json' \\\n  -d '${quoted}' \\\n  -o weights.safetensors`;
  }
  if (kind === 'sdk') {
    return `# pip install ./clients/python\nimport json\n\nfrom tensorseed_client import Client\nfrom tensorseed_client.api.weights import generate_weights\nfrom tensorseed_client.models import Recipe\n\n` +
      `recipe = Recipe.from_dict(json.loads(r'''${text}'''))\n\n` +
      `with Client(base_url="${origin}") as client:\n    with generate_weights.stream_detailed(client=client, body=recipe) as response, open("weights.safetensors", "wb") as f:\n        for chunk in response.iter_bytes():\n            f.write(chunk)\n`;
  }
  return `# the library, no server, the same bytes (pip install tensorseed)\nimport json\n\nimport tensorseed\n\n` +
    `recipe = json.loads(r'''${text}''')\n` +
    `tensorseed.save(recipe, "weights.safetensors")\n` +
    `arrays = tensorseed.generate(recipe)  # {name: numpy array}, the same values\n` +
    `# on the command line: tensorseed generate recipe.json -o weights.safetensors\n`;
}

function showSnippet(kind) {
  let recipe;
  try { recipe = readRecipe(); } catch (e) { status('recipe-status', e.message, true); return; }
  $('snippet').hidden = false;
  $('snippet').dataset.kind = kind;
  $('snippet').textContent = snippet(kind, recipe);
  $('copy-snippet').disabled = false;
}

async function copySnippet() {
  const text = $('snippet').textContent;
  try {
    await navigator.clipboard.writeText(text);
    status('recipe-status', 'copied');
  } catch (_) { // clipboard needs a secure context (https or localhost): select the text instead
    const range = document.createRange();
    range.selectNodeContents($('snippet'));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    status('recipe-status', 'selected: press Ctrl+C to copy');
  }
}

// ---------------------------------------------------------------- presets

let presets = [];

async function loadPresets() {
  try {
    const response = await fetch('/v1/presets', { headers: headers(false) });
    presets = (await response.json()).presets;
    for (const p of presets) {
      const option = document.createElement('option');
      option.value = p.name;
      option.textContent = p.name;
      option.title = p.description;
      $('preset').appendChild(option);
    }
  } catch (e) {
    status('recipe-status', `presets unavailable: ${e.message}`, true);
  }
}

function loadPreset() {
  const name = $('preset').value;
  const recipe = name ? { seed: 0, dtype: 'float32', model: { preset: name, config: {} } } : EXAMPLE;
  $('recipe').value = JSON.stringify(recipe, null, 2);
  showFieldErrors([]);
  renderGutter();
  const p = presets.find((x) => x.name === name);
  status('recipe-status', p ? `${p.description} Config keys: ${Object.keys(p.config).join(', ')}.` : '');
}

// ---------------------------------------------------------------- the depth view

function depthBody() {
  return {
    seed: Number($('depth-seed').value),
    width: Number($('depth-width').value),
    depth: Number($('depth-depth').value),
    batch: Number($('depth-batch').value),
    activation: $('depth-activation').value,
  };
}

let lastCompare = null;

function renderDepth(result) {
  lastCompare = result;
  const meanField = $('depth-meanfield').checked;
  const act = [], grad = [];
  result.results.forEach((r, k) => {
    const color = COLORS[k % COLORS.length];
    act.push({ label: r.label, color, values: [r.input.summary.std, ...r.layers.map((e) => e.activation.std)] });
    grad.push({ label: r.label, color, values: [r.input.grad_std, ...r.layers.map((e) => e.activation_grad.std)] });
    if (meanField) {
      act.push({ label: `${r.label} (mean field)`, color, dashed: true,
        values: [r.input.expected_std, ...r.layers.map((e) => e.expected.activation_std)] });
      grad.push({ label: `${r.label} (mean field)`, color, dashed: true,
        values: [r.input.expected_grad_std, ...r.layers.map((e) => e.expected.activation_grad_std)] });
    }
  });
  const band = result.results[0].verdict.band;
  Charts.lineChart($('depth-activations'), { series: act, title: 'activation std per layer (log)', xLabel: 'layer', yLabel: 'std', band });
  Charts.lineChart($('depth-gradients'), { series: grad, title: 'gradient std per layer (log)', xLabel: 'layer', yLabel: 'std', band });
  const legend = $('depth-legend');
  legend.textContent = '';
  result.results.forEach((r, k) => {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = COLORS[k % COLORS.length];
    item.append(swatch, r.label);
    legend.appendChild(item);
  });
  const body = $('depth-table').querySelector('tbody');
  body.textContent = '';
  for (const r of result.results) {
    const v = r.verdict;
    const part = (d) => d.state + (d.left_band_at !== null ? ` (leaves the band at layer ${d.left_band_at})` : '');
    const factor = v.forward.per_layer_factor;
    const notes = [];
    if (v.identical_units_from) notes.push(`identical units from layer ${v.identical_units_from}`);
    if (v.weight_grads_zero) notes.push('every weight gradient is zero');
    const tr = document.createElement('tr');
    tr.dataset.label = r.label;
    tr.dataset.forward = v.forward.state;
    for (const c of [r.label, VARIANCE[r.label] || '', part(v.forward), part(v.backward),
      factor === null ? '-' : `x${Charts.fmt(factor)}`, notes.join('; ')]) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

async function runDepth(event) {
  if (event) event.preventDefault();
  status('depth-status', 'running…');
  try {
    const result = await post('/v1/propagation/compare', depthBody());
    renderDepth(result);
    const n = result.network;
    status('depth-status', `width ${n.widths[0]}, depth ${n.depth}, ${n.activation}, batch ${n.batch}: ` +
      `std outside [${result.results[0].verdict.band.join(', ')}] x the input's (or the output gradient's) is vanishing or exploding`);
  } catch (e) {
    status('depth-status', `${e.status || ''} ${e.error_type || 'error'}: ${e.error || e.message}`, true);
  }
}

async function depthPng() {
  try {
    const blob = await post('/v1/propagation/compare/plot?format=png', depthBody());
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'depth.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } catch (e) {
    status('depth-status', `${e.status || ''} ${e.error_type || 'error'}: ${e.error || e.message}`, true);
  }
}

// ---------------------------------------------------------------- wiring

function showTab(name) {
  for (const tab of document.querySelectorAll('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  $('panel-recipe').hidden = name !== 'recipe';
  $('panel-depth').hidden = name !== 'depth';
}

document.addEventListener('DOMContentLoaded', () => {
  $('recipe').value = JSON.stringify(EXAMPLE, null, 2);
  renderGutter();
  $('recipe').addEventListener('input', renderGutter);
  $('recipe').addEventListener('scroll', () => { $('gutter').scrollTop = $('recipe').scrollTop; positionErrors(); });
  $('run-stats').addEventListener('click', runStats);
  $('load-preset').addEventListener('click', loadPreset);
  $('download').addEventListener('click', download);
  for (const b of document.querySelectorAll('[data-snippet]')) b.addEventListener('click', () => showSnippet(b.dataset.snippet));
  $('copy-snippet').addEventListener('click', copySnippet);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showTab(tab.dataset.tab));
  $('depth-form').addEventListener('submit', runDepth);
  $('depth-png').addEventListener('click', depthPng);
  $('depth-meanfield').addEventListener('change', () => { if (lastCompare) renderDepth(lastCompare); });
  loadPresets();
});
