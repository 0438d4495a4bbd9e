import uPlot from 'uplot';

/** A colour per series that stays the same whichever currencies are chosen, so a line is recognisable across views. */
const COLOURS: Record<string, string> = {
  gold: '#b8860b',
  EUR: '#1f77b4',
  JPY: '#d62728',
  GBP: '#7b3fa0',
  CHF: '#e377c2',
  CAD: '#ff7f0e',
  AUD: '#2ca02c',
  NZD: '#17becf',
  SEK: '#8c564b',
  NOK: '#5a6b7a',
};
const colourOf = (name: string) => COLOURS[name] ?? '#444';

export interface Line {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
  /** The key of COLOURS; the label otherwise. */
  readonly colour?: string;
  readonly width?: number;
}

export interface ChartSpec {
  readonly dates: readonly string[];
  readonly lines: readonly Line[];
  readonly yLabel: string;
  /** A fixed y range (correlations live in [-1, 1]); auto otherwise. */
  readonly yRange?: readonly [number, number];
  /** A log y axis: equal ratios look equal, so a series that rose 2.5× does not flatten the others. */
  readonly logScale?: boolean;
  readonly decimals: number;
}

const toSeconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/**
 * Draws one time-series chart into `host`, replacing what was there. The host records how many points and which
 * series were drawn (`data-points`, `data-series`), read from the chart itself, for the page's browser test.
 */
export function drawChart(host: HTMLElement, spec: ChartSpec): uPlot {
  host.replaceChildren();
  const data: uPlot.AlignedData = [spec.dates.map(toSeconds), ...spec.lines.map((line) => line.values.map((v) => v ?? null))];
  const format = (_: uPlot, value: number | null) => (value == null ? '–' : value.toFixed(spec.decimals));
  const chart = new uPlot(
    {
      width: Math.max(320, host.clientWidth),
      height: 300,
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: spec.yRange ? { range: [spec.yRange[0], spec.yRange[1]] } : spec.logScale ? { distr: 3 } : {} },
      axes: [{}, { label: spec.yLabel, size: 60 }],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'Date', value: '{YYYY}-{MM}-{DD}' },
        ...spec.lines.map((line) => ({
          label: line.label,
          stroke: colourOf(line.colour ?? line.label),
          width: line.width ?? 1.5,
          value: format,
          spanGaps: false,
        })),
      ],
    },
    data,
    host,
  );
  host.dataset.points = String(chart.data[0].length);
  host.dataset.scale = spec.logScale ? 'log' : 'linear';
  host.dataset.series = chart.series
    .slice(1)
    .map((series) => (typeof series.label === 'string' ? series.label : (series.label?.textContent ?? '')))
    .join(',');
  return chart;
}
