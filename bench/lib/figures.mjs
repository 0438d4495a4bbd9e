import { max, median, min } from './stats.mjs';

// One line of a scenario's table. Figures are never asserted: a target only earns a pass/MISS mark beside it.

const FORMATS = {
  ms: (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`,
  MiB: (v) => `${v.toFixed(1)} MiB`,
  ratio: (v) => `${v.toFixed(2)}×`,
  count: (v) => `${Math.round(v)}`,
};

export const format = (value, unit) => (Number.isFinite(value) ? (FORMATS[unit] ?? ((v) => `${v} ${unit}`))(value) : 'n/a');

/**
 * A sampled figure: median, min–max and N. `target` is `{ text, limit }` (pass when the median is at most the limit),
 * or omitted for a figure shown for context.
 */
export function sampled(metric, samples, unit, target) {
  const value = median(samples);
  return {
    metric,
    value: format(value, unit),
    spread: samples.length > 1 ? `${format(min(samples), unit)} – ${format(max(samples), unit)}` : '',
    n: samples.length,
    target: target?.text ?? '',
    mark: target === undefined ? '' : value <= target.limit ? 'pass' : 'MISS',
  };
}

/** A figure that is one number (a count of files, rows): no spread. */
export function single(metric, value, unit, target) {
  return {
    metric,
    value: typeof value === 'string' ? value : format(value, unit),
    spread: '',
    n: 1,
    target: target?.text ?? '',
    mark: target === undefined ? '' : value <= target.limit ? 'pass' : 'MISS',
  };
}
