/** How values read on screen: one place, so every page shows times and numbers the same way. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const integer = new Intl.NumberFormat();

export const formatTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
export const formatCount = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : integer.format(n));
export const formatPercent = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
export const shortId = (id: string): string => (id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

/** A value as one literal of the Watson filter language, whatever characters it holds. */
export const filterLiteral = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
