import 'uplot/dist/uPlot.min.css';
import './style.css';
import type uPlot from 'uplot';
import { currentPicks, goldInChosenCurrency, restorePicks, returnsNamed, rollingLines, showAnalysisViews } from './analysisViews.js';
import { dashboardApi, type AnalysisAnswer, type RangeQuery, type RatesAnswer } from './api.js';
import { drawChart } from './charts.js';
import { renderStatus } from './statusStrip.js';
import { rangeEndingAt, takeKeyFromFragment, writeView, type ViewState } from './viewState.js';

/** Shown first when the data has them; otherwise the first three currencies stored. */
const PREFERRED = ['EUR', 'GBP', 'JPY', 'CHF'];
const MAX_LISTED_EXCLUSIONS = 10;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};
const main = byId<HTMLElement>('main');
const form = byId<HTMLFormElement>('controls');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const windowInput = byId<HTMLInputElement>('window');
const currencyPicker = byId<HTMLElement>('currencies');
const downloadButton = byId<HTMLButtonElement>('download');
const statusLine = byId<HTMLElement>('status');
const freshness = byId<HTMLElement>('freshness');
const results = byId<HTMLElement>('results');
const chartsBlock = byId<HTMLElement>('charts');
const indexChart = byId<HTMLElement>('index-chart');
const indexTitle = byId<HTMLElement>('index-title');
const rollingChart = byId<HTMLElement>('rolling-chart');
const rollingTitle = byId<HTMLElement>('rolling-title');
const summary = byId<HTMLElement>('summary');
const exclusions = byId<HTMLUListElement>('exclusions');
const correlationRows = byId<HTMLTableSectionElement>('correlation-rows');

/**
 * The function key comes from the fragment (`#code=<key>`): browsers never send the fragment to the server, so the
 * page request carries no key, and the page passes it on only as a header. It is read once and taken out of the
 * address bar (viewState.ts), kept in memory only: the fragment then carries the view.
 */
const { key: functionKey, view: openedView } = takeKeyFromFragment();
const api = dashboardApi(
  () => location.href,
  () => functionKey,
);
/** The configured currencies (/api/status), offered whatever the range holds. */
let configured: string[] = [];
/** What the fragment carries besides what the form shows (issue 18's interval), kept as it came. */
let interval = openedView.interval;

interface Shown {
  readonly rates: RatesAnswer;
  readonly analysis?: AnalysisAnswer;
}
let shown: Shown | undefined;
let chosen: string[] = [];
let charts: uPlot[] = [];
/** Answers to an older request that arrive after a newer one started are dropped. */
let latestRequest = 0;

function say(message: string, kind: 'info' | 'error' = 'info'): void {
  statusLine.textContent = message;
  statusLine.className = kind;
  statusLine.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

const intervalInput = byId<HTMLSelectElement>('interval');
const logScaleInput = byId<HTMLInputElement>('log-scale');
const query = (): RangeQuery => ({
  from: fromInput.value,
  to: toInput.value,
  window: windowInput.value.trim(),
  interval: intervalInput.value,
});

async function load(): Promise<void> {
  const request = ++latestRequest;
  say('Loading…');
  main.setAttribute('aria-busy', 'true');
  const [rates, analysis] = await Promise.all([api.rates(query()), api.analysis(query())]);
  if (request !== latestRequest) return;
  if (rates.ok) {
    fromInput.value = rates.value.from;
    toInput.value = rates.value.to;
    offerCurrencies(rates.value);
  }
  shown = rates.ok ? { rates: rates.value, ...(analysis.ok ? { analysis: analysis.value } : {}) } : undefined;
  render();
  const problem = !rates.ok ? rates.message : !analysis.ok ? analysis.message : undefined;
  if (problem === undefined) say('');
  else say(problem, 'error');
  rememberView();
  main.setAttribute('aria-busy', 'false');
}

/** The view in the fragment, so a reload or a shared link opens it. */
const rememberView = () =>
  writeView({
    from: fromInput.value,
    to: toInput.value,
    currencies: chosen,
    window: windowInput.value.trim(),
    ...(interval ? { interval } : {}),
    picks: currentPicks(),
  });

/** The strip, the currencies, and the range to open on: the fragment's, else the 90 days ending at the latest row. */
async function start(view: ViewState): Promise<void> {
  const status = await api.status();
  if (status.ok) {
    renderStatus(freshness, status.value, new Date());
    configured = status.value.currencies;
  }
  const latest = status.ok ? status.value.latest?.date : undefined;
  const range = view.from || view.to || latest === undefined ? view : { ...rangeEndingAt(latest), ...view };
  fromInput.value = range.from ?? '';
  toInput.value = range.to ?? '';
  if (view.window) windowInput.value = view.window;
  if (view.currencies) chosen = [...view.currencies];
  interval = view.interval;
  restorePicks(view.picks ?? {}, rememberView);
  await load();
}

/** One checkbox per currency the rows hold, keeping the choice across reloads of the data. */
function offerCurrencies(rates: RatesAnswer): void {
  const available = configured.length > 0 ? configured : [...new Set(rates.rows.flatMap((row) => Object.keys(row.rates)))];
  if (available.length === 0) return;
  const kept = chosen.filter((code) => available.includes(code));
  const preferred = available.filter((code) => PREFERRED.includes(code));
  chosen = kept.length > 0 ? kept : preferred.length > 0 ? preferred : available.slice(0, 3);
  currencyPicker.replaceChildren(
    ...available.map((code) => {
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: code, checked: chosen.includes(code) });
      box.addEventListener('change', () => {
        chosen = available.filter((c) => (c === code ? box.checked : chosen.includes(c)));
        render();
        rememberView();
      });
      const label = document.createElement('label');
      label.append(box, ` ${code}`);
      return label;
    }),
  );
}

function render(): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  const analysis = shown?.analysis;
  results.hidden = shown === undefined;
  downloadButton.disabled = shown === undefined || shown.rates.count === 0;
  if (!shown) return;
  summary.textContent = describe(shown.rates, analysis);
  exclusions.replaceChildren(...excludedPairs(analysis));
  chartsBlock.hidden = analysis === undefined;
  correlationRows.replaceChildren(...(analysis ? correlationTable(analysis) : []));
  showAnalysisViews(analysis, chosen);
  if (!analysis) return;

  const currencies = chosen.filter((code) => code in analysis.index);
  indexTitle.textContent = `Gold and currencies in US dollars, indexed to 100 on ${analysis.index.dates[0] ?? analysis.from}`;
  charts.push(
    drawChart(indexChart, {
      dates: analysis.index.dates,
      lines: [
        { label: 'Gold', colour: 'gold', width: 2.5, values: analysis.index.gold },
        ...currencies.map((code) => ({ label: code, values: analysis.index[code] ?? [] })),
        ...(analysis.index.DXY ? [{ label: 'DXY (dollar)', colour: 'DXY', values: analysis.index.DXY }] : []),
        ...goldInChosenCurrency(analysis, currencies, render),
      ],
      yLabel: 'index (first date = 100)',
      logScale: logScaleInput.checked,
      decimals: 2,
    }),
  );
  rollingTitle.textContent = `Rolling correlation of ${returnsNamed(analysis)} returns with gold, over ${analysis.rolling.window} observations`;
  charts.push(
    drawChart(rollingChart, {
      dates: analysis.rolling.dates,
      lines: rollingLines(analysis, currencies, render),
      yLabel: 'correlation',
      yRange: [-1, 1],
      decimals: 3,
    }),
  );
}

function describe(rates: RatesAnswer, analysis: AnalysisAnswer | undefined): string {
  const rows = `${rates.count} ${rates.count === 1 ? 'row' : 'rows'} from ${rates.from} to ${rates.to}`;
  if (!analysis) return `${rows}.`;
  const excluded =
    analysis.excludedPairs === 0
      ? 'no pair of consecutive rows excluded.'
      : `${analysis.excludedPairs} ${analysis.excludedPairs === 1 ? 'pair' : 'pairs'} of consecutive rows excluded:`;
  return `${rows}; ${analysis.observations} ${returnsNamed(analysis)} returns; ${excluded}`;
}

/** Which pairs were left out and why, as the API says; a long list is cut, the count above stays whole. */
function excludedPairs(analysis: AnalysisAnswer | undefined): HTMLLIElement[] {
  const pairs = analysis?.exclusions ?? [];
  const items = pairs
    .slice(0, MAX_LISTED_EXCLUSIONS)
    .map(({ from, to, reason }) => Object.assign(document.createElement('li'), { textContent: `${from} → ${to}: ${reason}` }));
  if (pairs.length > MAX_LISTED_EXCLUSIONS)
    items.push(Object.assign(document.createElement('li'), { textContent: `and ${pairs.length - MAX_LISTED_EXCLUSIONS} more` }));
  return items;
}

/** Every currency of the analysis, chosen or not: the table is the overview, the charts the detail. */
function correlationTable(analysis: AnalysisAnswer): HTMLTableRowElement[] {
  return Object.entries(analysis.correlation).map(([code, r]) => {
    const row = document.createElement('tr');
    row.classList.toggle('chosen', chosen.includes(code));
    const cell = (text: string) => Object.assign(document.createElement('td'), { textContent: text });
    const bar = document.createElement('span');
    bar.className = `bar ${r !== null && r < 0 ? 'negative' : 'positive'}`;
    bar.style.width = `${Math.abs(r ?? 0) * 50}%`;
    const barCell = cell('');
    barCell.className = 'bar-cell';
    barCell.append(bar);
    row.append(cell(code), cell(r === null ? 'n/a' : r.toFixed(3)), barCell);
    return row;
  });
}

/** A link cannot carry the key as a header, so the CSV is fetched with it and handed to the browser as a file. */
async function downloadCsv(): Promise<void> {
  if (!shown) return;
  const { from, to } = shown.rates;
  const file = await api.csv({ from, to, window: '' }, chosen);
  if (!file.ok) return say(file.message, 'error');
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(file.value.blob), download: file.value.filename });
  link.click();
  // Revoked later, not at once: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
downloadButton.addEventListener('click', () => void downloadCsv());
logScaleInput.addEventListener('change', render);
window.addEventListener('resize', () => {
  for (const chart of charts) chart.setSize({ width: Math.max(320, chart.root.parentElement?.clientWidth ?? 320), height: 300 });
});
void start(openedView);
