/**
 * What a view is, as the URL fragment carries it (`#from=…&to=…&currencies=EUR,GBP&window=60&interval=…`, and the chart
 * pickers the user set: `&gold=…&band=…&scatter=…&leadlag=…`): never the key.
 */
export interface ViewState {
  readonly from?: string;
  readonly to?: string;
  readonly currencies?: readonly string[];
  readonly window?: string;
  readonly interval?: string;
  /** The chart pickers the user set, by picker id (analysisViews.ts); a picker left alone follows the chosen currencies. */
  readonly picks?: Readonly<Record<string, string>>;
}

const FIELDS = ['from', 'to', 'currencies', 'window', 'interval'] as const;
/** Each chart picker's name in the fragment, and its element id. */
const PICKERS = { gold: 'gold-currency', band: 'band-series', scatter: 'scatter-series', leadlag: 'lead-lag-series' } as const;
const SERIES_CODE = /^[A-Z]{3}$/;

/**
 * Reads the key once from `#code=<key>` and takes it out of the address bar (history.replaceState: no new history
 * entry, no reload), so a copied or bookmarked URL carries the view and never the key. Answers the key, kept only in
 * the caller's memory, and the view the fragment held.
 */
export function takeKeyFromFragment(): { key: string | undefined; view: ViewState } {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('code')?.trim() || undefined;
  const view = viewOf(params);
  if (params.has('code')) writeView(view);
  return { key, view };
}

function viewOf(params: URLSearchParams): ViewState {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const currencies = text('currencies')
    ?.split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => SERIES_CODE.test(code));
  const picks: Record<string, string> = {};
  for (const [name, id] of Object.entries(PICKERS)) {
    const code = text(name)?.toUpperCase();
    if (code && SERIES_CODE.test(code)) picks[id] = code;
  }
  return {
    ...(text('from') ? { from: text('from') } : {}),
    ...(text('to') ? { to: text('to') } : {}),
    ...(currencies && currencies.length > 0 ? { currencies } : {}),
    ...(text('window') ? { window: text('window') } : {}),
    ...(text('interval') ? { interval: text('interval') } : {}),
    ...(Object.keys(picks).length > 0 ? { picks } : {}),
  };
}

/** The view into the fragment, replacing the current history entry: a reload or a shared link opens the same view. */
export function writeView(view: ViewState): void {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = view[field];
    const text = Array.isArray(value) ? value.join(',') : (value as string | undefined);
    if (text) params.set(field, text);
  }
  for (const [name, id] of Object.entries(PICKERS)) {
    const code = view.picks?.[id];
    if (code) params.set(name, code);
  }
  const fragment = params.toString().replace(/%2C/g, ',');
  history.replaceState(history.state, '', `${location.pathname}${location.search}${fragment ? `#${fragment}` : ''}`);
}

/** The 90 calendar days ending at `latest` (a stored date): where the page opens when the URL names no range. */
export function rangeEndingAt(latest: string, days = 90): { from: string; to: string } {
  const from = new Date(Date.parse(`${latest}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return { from, to: latest };
}
