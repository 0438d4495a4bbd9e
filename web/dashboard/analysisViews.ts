import './analysisViews.css';
import type { AnalysisAnswer, SeriesStats } from './api.js';
import { niceTicks, type Line } from './charts.js';

// The views of the analysis beside the charts in main.ts: the sampling warning, a table per series with r's 95 %
// interval drawn to scale, a scatter of the returns with the OLS line, a lead-lag bar chart and the correlation matrix
// as a heatmap; and for main.ts's charts, the picked currency's gold line and the rolling chart's lines with a band.
// Plain DOM and SVG: the page's CSP allows no inline style attributes, and properties set from script are not those.

const SVG = 'http://www.w3.org/2000/svg';
const Z_975 = 1.959963984540054;
const RETURNS_NAMED: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly' };
/** `daily`, `weekly` or `monthly`: the horizon of the answer's returns, for titles. */
export const returnsNamed = (analysis: AnalysisAnswer) => RETURNS_NAMED[analysis.interval] ?? 'daily';

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

/** The chart pickers' picks the user made (or the URL fragment carried), by picker id: the fragment keeps them. */
const picks = new Map<string, string>();
let picked = (): void => {};

/** Starts from the fragment's picks; `changed` runs after every pick the user makes (to write the fragment again). */
export function restorePicks(initial: Readonly<Record<string, string>>, changed: () => void): void {
  for (const [id, code] of Object.entries(initial)) picks.set(id, code);
  picked = changed;
}

/** The picks the user made, by picker id. */
export const currentPicks = (): Record<string, string> => Object.fromEntries(picks);

/** Wires a picker's change: the pick is remembered, the fragment written, the chart drawn again. */
function onPick(picker: HTMLSelectElement, redraw: () => void): void {
  picker.onchange = () => {
    picks.set(picker.id, picker.value);
    picked();
    redraw();
  };
}

/**
 * A picker on a chart whose pick, once the user makes one, is kept while it is still offered; until then it shows
 * `fallback`. Returns the code shown; `redraw` runs when the user picks another.
 */
function stickyPicker(id: string) {
  return (codes: readonly string[], fallback: string | undefined, redraw: () => void): string | undefined => {
    const picker = byId<HTMLSelectElement>(id);
    const pick = picks.get(id);
    fillPicker(picker, codes, pick !== undefined && codes.includes(pick) ? pick : fallback);
    onPick(picker, redraw);
    return picker.value || undefined;
  };
}
const offerGoldCurrency = stickyPicker('gold-currency');
const offerBandSeries = stickyPicker('band-series');

/**
 * The index chart's line of gold priced in one currency (GoldPrice × rate, indexed), picked in #gold-currency among
 * every currency the answer prices gold in, the first chosen until the user picks one.
 */
export function goldInChosenCurrency(analysis: AnalysisAnswer, chosen: readonly string[], redraw: () => void): Line[] {
  const codes = Object.keys(analysis.index.goldIn);
  const code = offerGoldCurrency(
    codes,
    chosen.find((c) => codes.includes(c)),
    redraw,
  );
  const values = code === undefined ? undefined : analysis.index.goldIn[code];
  return values ? [{ label: `Gold in ${code}`, colour: 'gold', width: 1, values }] : [];
}

/**
 * The rolling chart's lines: each chosen currency's rolling r, the one picked in #band-series (the first chosen until
 * the user picks one) shaded by its 95 % band. One band at a time: four overlapping bands are one grey mass.
 */
export function rollingLines(analysis: AnalysisAnswer, chosen: readonly string[], redraw: () => void): Line[] {
  const banded = offerBandSeries(chosen, chosen[0], redraw);
  return chosen.map((code) => {
    const band = code === banded ? analysis.rolling.ci95[code] : undefined;
    return {
      label: code,
      values: analysis.rolling[code] ?? [],
      ...(band ? { band: { lower: band.map((b) => b?.[0] ?? null), upper: band.map((b) => b?.[1] ?? null) } } : {}),
    };
  });
}

/** A picker's options, one per code, showing `selected`. */
function fillPicker(picker: HTMLSelectElement, codes: readonly string[], selected: string | undefined): void {
  picker.replaceChildren(...codes.map((code) => Object.assign(document.createElement('option'), { value: code, textContent: code })));
  picker.value = selected ?? codes[0] ?? '';
}

/** A series picker of the views over the answer's series: it keeps the user's pick across answers, else the first chosen. */
function offerSeries(picker: HTMLSelectElement, codes: readonly string[], chosen: readonly string[], draw: () => void): void {
  const previous = picks.get(picker.id) ?? picker.value;
  fillPicker(picker, codes, codes.includes(previous) ? previous : chosen.find((code) => codes.includes(code)));
  onPick(picker, draw);
  draw();
}

/** Draws everything from one analysis answer; `chosen` picks the series the lead-lag chart and the scatter start on. */
export function showAnalysisViews(analysis: AnalysisAnswer | undefined, chosen: readonly string[]): void {
  const views = byId<HTMLElement>('analysis-views');
  views.hidden = analysis === undefined;
  if (!analysis) return;
  const stats = analysis.stats;
  const warning = byId<HTMLElement>('sampling-warning');
  warning.textContent = analysis.sampling.warning ? `Sampling: ${analysis.sampling.warning}.` : '';
  warning.hidden = !analysis.sampling.warning;
  const horizon = returnsNamed(analysis);
  byId('stats-title').textContent = `Gold against each series, ${horizon} returns (${analysis.observations} observations)`;
  // A window longer than the range leaves the rolling chart blank: say why, and what to change.
  const unfilled = byId<HTMLElement>('rolling-unfilled');
  unfilled.hidden = analysis.observations >= analysis.rolling.window;
  unfilled.textContent = unfilled.hidden
    ? ''
    : `No rolling correlation: the window (${analysis.rolling.window}) is longer than the ${analysis.observations} ${horizon} returns of the range; shorten the window or widen the range.`;
  byId('correlations-title').textContent = `Correlation of ${horizon} returns with gold over the whole range`;
  byId('stats-rows').replaceChildren(...Object.entries(stats).map(([code, figures]) => statsRow(code, figures)));

  const codes = Object.keys(stats);
  const leadLagPicker = byId<HTMLSelectElement>('lead-lag-series');
  offerSeries(leadLagPicker, codes, chosen, () => leadLagChart(byId('lead-lag-chart'), leadLagPicker.value, stats[leadLagPicker.value]!));
  const scatterPicker = byId<HTMLSelectElement>('scatter-series');
  const observed = analysis.returns;
  byId('scatter-section').hidden = observed === undefined;
  if (observed)
    offerSeries(scatterPicker, codes, chosen, () =>
      scatterChart(byId('scatter-chart'), scatterPicker.value, observed, stats[scatterPicker.value]!, horizon),
    );
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

type Attributes = Record<string, string | number>;

/** An empty SVG chart of the given size, and a function adding a shape (or, with text, a label) to it. */
function svgChart(width: number, height: number, label: string) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const add = (tag: string, attributes: Attributes, text?: string) => {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, String(value));
    if (text !== undefined) shape.textContent = text;
    svg.append(shape);
    return shape;
  };
  return { svg, add };
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Gold's return (y) against the series' (x), in percent, one dot per observation, with the OLS line of gold on the
 * series: slope the API's beta, through the means (the OLS intercept is ȳ − beta·x̄, so it is computed here).
 */
function scatterChart(
  container: HTMLElement,
  code: string,
  returns: NonNullable<AnalysisAnswer['returns']>,
  stats: SeriesStats,
  returnsNamed: string,
): void {
  const [width, height, left, bottom, top, right] = [640, 380, 56, 44, 12, 12];
  const xs = (returns.series[code] ?? []).map((v) => v * 100);
  const ys = returns.gold.map((v) => v * 100);
  const { svg, add } = svgChart(width, height, `Scatter of gold's ${returnsNamed} returns against ${code}'s`);
  const span = (values: number[]) => {
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    const pad = (hi - lo) * 0.05 || 0.1;
    return [lo - pad, hi + pad] as const;
  };
  const [[x0, x1], [y0, y1]] = [span(xs), span(ys)];
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const y = (v: number) => top + ((y1 - v) / (y1 - y0)) * (height - top - bottom);
  add('rect', { x: left, y: top, width: width - left - right, height: height - top - bottom, class: 'frame' });
  for (const tick of niceTicks(x0, x1)) {
    add('line', { x1: x(tick), x2: x(tick), y1: top, y2: height - bottom, class: tick === 0 ? 'axis' : 'grid' });
    add('text', { x: x(tick), y: height - bottom + 16, class: 'tick', 'text-anchor': 'middle' }, tick.toFixed(1));
  }
  for (const tick of niceTicks(y0, y1)) {
    add('line', { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: tick === 0 ? 'axis' : 'grid' });
    add('text', { x: left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, tick.toFixed(1));
  }
  const sign = code === 'DXY' ? ' (+ = dollar up)' : ' (+ = it strengthened)';
  add('text', { x: (left + width - right) / 2, y: height - 6, class: 'axis-label', 'text-anchor': 'middle' }, `${code} return, %${sign}`);
  add(
    'text',
    {
      x: 14,
      y: (top + height - bottom) / 2,
      class: 'axis-label',
      'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(top + height - bottom) / 2})`,
    },
    'gold return, %',
  );
  xs.forEach((v, i) => add('circle', { cx: x(v), cy: y(ys[i]!), r: 2.5, class: 'dot' }));
  const caption = byId('scatter-fit');
  if (stats.beta === null || xs.length === 0) {
    caption.textContent = `No OLS line: ${code} does not move over these observations.`;
  } else {
    // In percent units the slope is unchanged and the intercept scales by 100 like the returns.
    const intercept = mean(ys) - stats.beta * mean(xs);
    const fitted = (v: number) => intercept + stats.beta! * v;
    add('line', { x1: x(x0), y1: y(fitted(x0)), x2: x(x1), y2: y(fitted(x1)), class: 'fit' });
    caption.textContent =
      `OLS: gold = ${intercept.toFixed(3)} % + ${stats.beta.toFixed(3)} × ${code}` +
      ` (beta ± HAC s.e. ${fixed(stats.beta)} ± ${fixed(stats.betaSeHac)}; r = ${fixed(stats.r)}; n = ${xs.length}).`;
  }
  container.dataset.points = String(xs.length);
  container.replaceChildren(svg);
}

/** Bars of r at k = −lags…+lags, with the ±1.96/√n band inside which an r is indistinguishable from zero. */
function leadLagChart(container: HTMLElement, code: string, stats: SeriesStats): void {
  const [width, height, left, bottom, top] = [640, 240, 44, 28, 10];
  const { svg, add } = svgChart(width, height, `Lead-lag correlation of gold with ${code}`);
  const extent = Math.max(0.2, ...stats.leadLag.map(({ r }) => Math.abs(r ?? 0))) * 1.1;
  const y = (r: number) => top + ((extent - r) / (2 * extent)) * (height - top - bottom);
  const slot = (width - left) / stats.leadLag.length;
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
