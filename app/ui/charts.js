// Small SVG charts for the page: line charts (log or linear y), dot charts and histograms.
// No library: every element is created here, so the page works offline and under a strict CSP.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl(name, attrs, parent) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

function fmt(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

// Scale: value -> pixel. A log scale drops non-positive values (gaps).
function scale(lo, hi, p0, p1, log) {
  if (log) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    const span = l1 - l0 || 1;
    return (v) => (v > 0 && Number.isFinite(v) ? p0 + ((Math.log10(v) - l0) / span) * (p1 - p0) : null);
  }
  const span = hi - lo || 1;
  return (v) => (Number.isFinite(v) ? p0 + ((v - lo) / span) * (p1 - p0) : null);
}

function ticks(lo, hi, log) {
  if (log) {
    const out = [];
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const step = Math.max(1, Math.ceil((b - a) / 8));
    for (let e = a; e <= b; e += step) out.push(10 ** e);
    return out;
  }
  const raw = (hi - lo) / 5 || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e9; v += step) out.push(v);
  return out;
}

function frame(container, width, height, title) {
  container.textContent = '';
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img' }, container);
  if (title) svgEl('text', { x: width / 2, y: 16, 'text-anchor': 'middle', class: 'chart-title' }, svg).textContent = title;
  return svg;
}

function axes(svg, box, xs, ys, xScale, yScale, labels) {
  const g = svgEl('g', { class: 'axes' }, svg);
  svgEl('rect', { x: box.x0, y: box.y1, width: box.x1 - box.x0, height: box.y0 - box.y1, class: 'plot-area' }, g);
  for (const v of xs) {
    const x = xScale(v);
    if (x === null) continue;
    svgEl('line', { x1: x, x2: x, y1: box.y0, y2: box.y0 + 4, class: 'tick' }, g);
    svgEl('text', { x, y: box.y0 + 16, 'text-anchor': 'middle', class: 'tick-label' }, g).textContent = fmt(v);
  }
  for (const v of ys) {
    const y = yScale(v);
    if (y === null || y < box.y1 - 1 || y > box.y0 + 1) continue;
    svgEl('line', { x1: box.x0, x2: box.x1, y1: y, y2: y, class: 'grid' }, g);
    svgEl('text', { x: box.x0 - 6, y: y + 4, 'text-anchor': 'end', class: 'tick-label' }, g).textContent = fmt(v);
  }
  if (labels.x) svgEl('text', { x: (box.x0 + box.x1) / 2, y: box.y0 + 32, 'text-anchor': 'middle', class: 'axis-label' }, g).textContent = labels.x;
  if (labels.y) {
    const t = svgEl('text', { x: 14, y: (box.y0 + box.y1) / 2, 'text-anchor': 'middle', class: 'axis-label',
      transform: `rotate(-90 14 ${(box.y0 + box.y1) / 2})` }, g);
    t.textContent = labels.y;
  }
}

// series: [{label, color, values: [y0, y1, ...] (x = index), dashed}]; zeros and nulls are gaps on a log axis.
function lineChart(container, { series, title, xLabel, yLabel, log = true, band = null }) {
  const width = 560, height = 340;
  const box = { x0: 64, x1: width - 14, y0: height - 44, y1: 28 };
  const svg = frame(container, width, height, title);
  const all = series.flatMap((s) => s.values).filter((v) => v !== null && Number.isFinite(v) && (!log || v > 0));
  const n = Math.max(1, ...series.map((s) => s.values.length - 1));
  let lo = all.length ? Math.min(...all) : 1, hi = all.length ? Math.max(...all) : 10;
  if (band) { lo = Math.min(lo, band[0]); hi = Math.max(hi, band[1]); }
  if (lo === hi) { lo = log ? lo / 10 : lo - 1; hi = log ? hi * 10 : hi + 1; }
  const xScale = scale(0, n, box.x0, box.x1, false);
  const yScale = scale(lo, hi, box.y0, box.y1, log);
  axes(svg, box, ticks(0, n, false), ticks(lo, hi, log), xScale, yScale, { x: xLabel, y: yLabel });
  if (band) {
    const a = yScale(band[1]), b = yScale(band[0]);
    if (a !== null && b !== null) svgEl('rect', { x: box.x0, y: a, width: box.x1 - box.x0, height: b - a, class: 'band' }, svg);
  }
  for (const s of series) {
    let d = '', pen = false;
    s.values.forEach((v, i) => {
      const y = yScale(v);
      if (y === null) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${xScale(i).toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    });
    const path = svgEl('path', { d: d || 'M0,0', class: 'series' + (s.dashed ? ' dashed' : ''), stroke: s.color,
      'data-label': s.label, 'data-values': JSON.stringify(s.values) }, svg);
    svgEl('title', {}, path).textContent = s.label;
  }
  return svg;
}

// rows: [{label, expected, observed}]: rings at the expected std, dots at the observed one (log x).
function dotChart(container, { rows, title, onSelect }) {
  const width = 560, rowH = 16, height = 60 + rowH * rows.length;
  const box = { x0: 200, x1: width - 14, y0: height - 34, y1: 24 };
  const svg = frame(container, width, height, title);
  const values = rows.flatMap((r) => [r.expected, r.observed]).filter((v) => v > 0 && Number.isFinite(v));
  let lo = values.length ? Math.min(...values) : 0.1, hi = values.length ? Math.max(...values) : 1;
  if (lo === hi) { lo /= 2; hi *= 2; }
  const xScale = scale(lo / 1.2, hi * 1.2, box.x0, box.x1, true);
  const g = svgEl('g', { class: 'axes' }, svg);
  for (const v of ticks(lo / 1.2, hi * 1.2, true)) {
    const x = xScale(v);
    if (x === null || x < box.x0 || x > box.x1) continue;
    svgEl('line', { x1: x, x2: x, y1: box.y1, y2: box.y0, class: 'grid' }, g);
    svgEl('text', { x, y: box.y0 + 14, 'text-anchor': 'middle', class: 'tick-label' }, g).textContent = fmt(v);
  }
  rows.forEach((r, i) => {
    const y = box.y1 + rowH * i + rowH / 2;
    const row = svgEl('g', { class: 'dot-row', 'data-index': i }, svg);
    svgEl('text', { x: box.x0 - 6, y: y + 4, 'text-anchor': 'end', class: 'row-label' }, row).textContent =
      r.label.length > 30 ? '…' + r.label.slice(-29) : r.label;
    const xe = xScale(r.expected), xo = xScale(r.observed);
    if (xe !== null) svgEl('circle', { cx: xe, cy: y, r: 5, class: 'expected' }, row);
    if (xo !== null) svgEl('circle', { cx: xo, cy: y, r: 2.5, class: 'observed', 'data-value': r.observed }, row);
    if (onSelect) row.addEventListener('click', () => onSelect(i));
  });
  return svg;
}

// hist: {edges, counts}; marks: {label: x} drawn as vertical lines.
function histogramChart(container, { hist, title, marks = {} }) {
  const width = 560, height = 260;
  const box = { x0: 60, x1: width - 14, y0: height - 40, y1: 28 };
  const svg = frame(container, width, height, title);
  if (!hist) {
    svgEl('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, svg).textContent = 'no finite values';
    return svg;
  }
  const { edges, counts } = hist;
  const top = Math.max(1, ...counts);
  const xScale = scale(edges[0], edges[edges.length - 1], box.x0, box.x1, false);
  const yScale = scale(0, top, box.y0, box.y1, false);
  axes(svg, box, ticks(edges[0], edges[edges.length - 1], false), ticks(0, top, false), xScale, yScale, { x: 'value', y: 'count' });
  counts.forEach((c, i) => {
    const x0 = xScale(edges[i]), x1 = xScale(edges[i + 1]), y = yScale(c);
    svgEl('rect', { x: x0, y, width: Math.max(0.5, x1 - x0 - 0.5), height: box.y0 - y, class: 'bar', 'data-count': c }, svg);
  });
  for (const [label, v] of Object.entries(marks)) {
    if (v === null || v === undefined || v < edges[0] || v > edges[edges.length - 1]) continue;
    const x = xScale(v);
    const line = svgEl('line', { x1: x, x2: x, y1: box.y1, y2: box.y0, class: 'mark' }, svg);
    svgEl('title', {}, line).textContent = `${label} ${fmt(v)}`;
  }
  return svg;
}

window.Charts = { lineChart, dotChart, histogramChart, fmt };
