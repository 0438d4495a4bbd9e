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
  /** A shaded band around the line (e.g. its 95 % interval), in the line's colour; null where there is none. */
  readonly band?: { readonly lower: ReadonlyArray<number | null>; readonly upper: ReadonlyArray<number | null> };
}

/** The legend class of a band's edges: they are drawn as the fill between them, not as lines of their own. */
const BAND_EDGE = 'band-edge';
/** Alpha of a band's fill (hex, appended to the line's colour): light enough for several bands to overlap legibly. */
const BAND_ALPHA = '26';

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

/** A log axis around the data: uPlot's own snaps to whole decades, which flattens series that moved ±30 % into a line. */
const LOG_PADDING = 1.02;
const logRange = (_: uPlot, min: number, max: number): uPlot.Range.MinMax => [min / LOG_PADDING, max * LOG_PADDING];

/** About `count` round tick values (1, 2 or 5 × a power of ten apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

const toSeconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/**
 * Draws one time-series chart into `host`, replacing what was there. The host records how many points and which
 * series were drawn (`data-points`, `data-series`), read from the chart itself, for the page's browser test.
 */
export function drawChart(host: HTMLElement, spec: ChartSpec): uPlot {
  host.replaceChildren();
  const banded = spec.lines.filter((line) => line.band !== undefined);
  const data: uPlot.AlignedData = [
    spec.dates.map(toSeconds),
    ...spec.lines.map((line) => line.values.map((v) => v ?? null)),
    ...banded.flatMap(({ band }) => [band!.upper.map((v) => v ?? null), band!.lower.map((v) => v ?? null)]),
  ];
  // Each band's edges follow the lines in the data: upper at 1 + lines + 2i, lower right after it.
  const bands = banded.map((line, i) => {
    const upper = 1 + spec.lines.length + 2 * i;
    return { series: [upper, upper + 1] as [number, number], fill: `${colourOf(line.colour ?? line.label)}${BAND_ALPHA}` };
  });
  const format = (_: uPlot, value: number | null) => (value == null ? '–' : value.toFixed(spec.decimals));
  const chart = new uPlot(
    {
      width: Math.max(320, host.clientWidth),
      height: 300,
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true },
        y: spec.yRange ? { range: [spec.yRange[0], spec.yRange[1]] } : spec.logScale ? { distr: 3, range: logRange } : {},
      },
      // Round ticks at even steps on the log axis too: uPlot's own log ticks are decades, and none fall inside ±30 %.
      axes: [
        {},
        { label: spec.yLabel, size: 60, ...(spec.logScale ? { splits: (u: uPlot) => niceTicks(u.scales.y!.min!, u.scales.y!.max!) } : {}) },
      ],
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
        ...banded.flatMap((line) =>
          ['upper', 'lower'].map((edge) => ({
            label: `${line.label} 95 % ${edge}`,
            class: BAND_EDGE,
            stroke: 'transparent',
            width: 0,
            points: { show: false },
            value: format,
          })),
        ),
      ],
      bands,
    },
    data,
    host,
  );
  host.dataset.points = String(chart.data[0].length);
  host.dataset.scale = spec.logScale ? 'log' : 'linear';
  host.dataset.bands = banded.map((line) => line.label).join(',');
  host.dataset.series = chart.series
    .slice(1)
    .filter((series) => series.class !== BAND_EDGE)
    .map((series) => (typeof series.label === 'string' ? series.label : (series.label?.textContent ?? '')))
    .join(',');
  return chart;
}
