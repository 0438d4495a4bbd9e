import { BusinessDateSchema, IsoDateSchema, type BusinessDate, type IsoDate } from '../../src/domain/businessDate.js';

/** A date literal of a test as the app's IsoDate; a literal that is no real date throws, so a typo fails the test. */
export const isoDate = (text: string): IsoDate => IsoDateSchema.parse(text);

/** A date literal of a test as the app's BusinessDate (a weekday from 1999-01-04 on); any other throws. */
export const businessDate = (text: string): BusinessDate => BusinessDateSchema.parse(text);
