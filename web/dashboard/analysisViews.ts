import './analysisViews.css';
import type { AnalysisAnswer, SeriesStats } from './api.js';
import type { Line } from './charts.js';

// The views of the analysis beside the charts in main.ts: the sampling warning, a table per series with r's 95 %
// interval drawn to scale, a lead-lag bar chart and the correlation matrix as a heatmap. Plain DOM and SVG: the
// page's CSP allows no inline style attributes, and properties set from script are not those.

const SVG = 'http://www.w3.org/2000/svg';
const Z_975 = 1.959963984540054;
const RETURNS_NAMED: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};

const fixed = (value: number | null, digits = 3) => (value === null ? '—' : value.toFixed(digits));
const pValue = (p: number | null) => (p === null ? '—' : p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
/** A position in [-1, 1] as a percentage of the width. */
const percentOf = (r: number) => `${((r + 1) / 2) * 100}%`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.textContent = text;
  if (className) made.className = className;
  return made;
}

/** The index chart's line of gold priced in the first chosen currency (GoldPrice × rate, indexed), when the answer has it. */
export function goldInFirstChosen(analysis: AnalysisAnswer, chosen: readonly string[]): Line[] {
  const code = chosen[0];
  const values = code === undefined ? undefined : analysis.index.goldIn?.[code];
  return values ? [{ label: `Gold in ${code}`, colour: 'gold', width: 1, values }] : [];
}

/** Draws everything from one analysis answer; `chosen` picks the series the lead-lag chart starts on. */
export function showAnalysisViews(analysis: AnalysisAnswer | undefined, chosen: readonly string[]): void {
  const views = byId<HTMLElement>('analysis-views');
  views.hidden = analysis?.stats === undefined;
  if (!analysis?.stats) return;
  const warning = byId<HTMLElement>('sampling-warning');
  warning.textContent = analysis.sampling?.warning ? `Sampling: ${analysis.sampling.warning}.` : '';
  warning.hidden = !analysis.sampling?.warning;
  const returns = RETURNS_NAMED[analysis.interval ?? 'day'] ?? 'daily';
  byId('stats-title').textContent = `Gold against each series, ${returns} returns (${analysis.observations} observations)`;
  byId('stats-rows').replaceChildren(...Object.entries(analysis.stats).map(([code, stats]) => statsRow(code, stats)));

  const picker = byId<HTMLSelectElement>('lead-lag-series');
  const codes = Object.keys(analysis.stats);
  const previous = picker.value;
  picker.replaceChildren(...codes.map((code) => Object.assign(document.createElement('option'), { value: code, textContent: code })));
  picker.value = codes.includes(previous) ? previous : (chosen.find((code) => codes.includes(code)) ?? codes[0] ?? '');
  const drawLeadLag = () => leadLagChart(byId('lead-lag-chart'), picker.value, analysis.stats![picker.value]!);
  picker.onchange = drawLeadLag;
  drawLeadLag();
  if (analysis.matrix) byId('matrix').replaceChildren(heatmap(analysis.matrix));
}

function statsRow(code: string, stats: SeriesStats): HTMLTableRowElement {
  const row = document.createElement('tr');
  const interval = element('td', '', 'interval-cell');
  if (stats.r !== null && stats.ci95 !== null) {
    const whisker = element('span', '', 'whisker');
    whisker.style.left = percentOf(stats.ci95[0]);
    whisker.style.right = `${100 - ((stats.ci95[1] + 1) / 2) * 100}%`;
    const point = element('span', '', `point ${stats.r >= 0 ? 'positive' : 'negative'}`);
    point.style.left = percentOf(stats.r);
    interval.title = `95 % interval ${fixed(stats.ci95[0])} to ${fixed(stats.ci95[1])}`;
    interval.append(whisker, point);
  }
  const label = code === 'DXY' ? 'DXY (dollar index; + = dollar up)' : code;
  const beta = stats.beta === null ? '—' : `${fixed(stats.beta)} ± ${fixed(stats.betaSeHac)}`;
  row.append(
    element('th', label),
    element('td', fixed(stats.r), 'number'),
    interval,
    element('td', stats.ci95 ? `${fixed(stats.ci95[0])} … ${fixed(stats.ci95[1])}` : '—', 'number'),
    element('td', pValue(stats.p), 'number'),
    element('td', beta, 'number'),
    element('td', String(stats.n), 'number'),
  );
  row.querySelector('th')!.scope = 'row';
  return row;
}

/** Bars of r at k = −lags…+lags, with the ±1.96/√n band inside which an r is indistinguishable from zero. */
function leadLagChart(container: HTMLElement, code: string, stats: SeriesStats): void {
  const [width, height, left, bottom, top] = [640, 240, 44, 28, 10];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Lead-lag correlation of gold with ${code}`);
  const extent = Math.max(0.2, ...stats.leadLag.map(({ r }) => Math.abs(r ?? 0))) * 1.1;
  const y = (r: number) => top + ((extent - r) / (2 * extent)) * (height - top - bottom);
  const slot = (width - left) / stats.leadLag.length;
  const add = (tag: string, attributes: Record<string, string | number>, text?: string) => {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, String(value));
    if (text !== undefined) shape.textContent = text;
    svg.append(shape);
  };
  const n = stats.leadLag.find(({ k }) => k === 0)?.n ?? stats.n;
  const band = Z_975 / Math.sqrt(n);
  add('rect', { x: left, y: y(band), width: width - left, height: y(-band) - y(band), class: 'band' });
  add('line', { x1: left, x2: width, y1: y(0), y2: y(0), class: 'axis' });
  for (const tick of [-extent, -extent / 2, 0, extent / 2, extent].map((t) => Math.round(t * 100) / 100))
    add('text', { x: left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, tick.toFixed(2));
  stats.leadLag.forEach(({ k, r }, i) => {
    const x = left + i * slot + slot * 0.2;
    if (r !== null)
      add('rect', {
        x,
        y: Math.min(y(r), y(0)),
        width: slot * 0.6,
        height: Math.abs(y(r) - y(0)),
        class: Math.abs(r) > band ? 'lag-bar significant' : 'lag-bar',
      });
    add('text', { x: x + slot * 0.3, y: height - 8, class: 'tick', 'text-anchor': 'middle' }, String(k));
  });
  container.replaceChildren(svg);
}

/** One cell per pair, coloured from blue (−1) through white to gold (+1). */
function heatmap(matrix: NonNullable<AnalysisAnswer['matrix']>): HTMLTableElement {
  const table = element('table', '', 'heatmap');
  const head = document.createElement('tr');
  head.append(element('th'), ...matrix.labels.map((label) => element('th', label)));
  table.append(head);
  matrix.values.forEach((values, i) => {
    const row = document.createElement('tr');
    row.append(element('th', matrix.labels[i]));
    for (const r of values) {
      const cell = element('td', fixed(r, 2));
      if (r !== null) cell.style.backgroundColor = r >= 0 ? `rgba(201, 154, 26, ${r})` : `rgba(79, 124, 196, ${-r})`;
      row.append(cell);
    }
    table.append(row);
  });
  return table;
}
