/**
 * Wire integers → the units a spreadsheet user expects, for CSV only (the JSON export keeps the exact
 * wire integers). Times are rounded to the recording clock's resolution (1 ms), so no float noise from
 * performance.now() reaches a cell.
 */
/** A millisecond time rounded to whole milliseconds. */
export const wholeMs = (ms: number): number => Math.round(ms);
/** Seconds with millisecond resolution (3 decimals). */
export const secondsOf = (ms: number): number => Math.round(ms) / 1000;
/** Minutes, to the millisecond (a 30-minute plan reads 30, a 90-second one 1.5). */
export const minutesOf = (ms: number): number => Number((Math.round(ms) / 60_000).toFixed(5));
/** Milliamperes from whole microamperes (exact to 3 decimals). */
export const milliamps = (ua: number): number => Math.round(ua) / 1000;
/** Hertz from tenths of a hertz. */
export const hertzOf = (deciHz: number): number => Math.round(deciHz) / 10;
/** Rounded to `decimals` places without float noise (0.1 + 0.2 → 0.3). */
export const roundTo = (value: number, decimals: number): number => Number(value.toFixed(decimals));
/** A 0-based wire channel as the 1-based number every screen shows. */
export const channelNumber = (channel: number): number => channel + 1;
