import type { IsoDate } from '../domain/businessDate.js';

/** What the analysis reads of one stored row. */
export interface SeriesRow {
  readonly date: IsoDate;
  readonly goldPrice: number;
  /** The kind of gold quote (`FOREXCOM` live spot, `LBMA` fixing): returns across a change of kind are not comparable. */
  readonly goldSource: string;
  /** The row's QualityFlags column, absent on rows written before the gates. */
  readonly qualityFlags?: string | undefined;
  /** Units of each currency per one unit of the base (and `DXY`, the dollar index, when computed); a series the row lacks is absent. */
  readonly rates: Readonly<Record<string, number>>;
}
