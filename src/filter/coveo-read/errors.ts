/** The only error the read-filter parser throws; `position` is a 0-based UTF-16 offset into the filter. */
export class ReadFilterError extends Error {
  override readonly name = 'ReadFilterError';

  constructor(
    message: string,
    readonly position: number,
    /** What would have been valid at `position`, in words. */
    readonly expected: string,
    /** Which of the filters given to `parseReadFilters` is malformed; 0 for `parseReadFilter`. */
    readonly filterIndex = 0,
  ) {
    super(message);
  }
}

const MAX_QUOTED = 24;

/** An error for a filter that is malformed at `position`, where `expected` would have been valid. */
export function expectedAt(position: number, expected: string, found: string, after?: string): ReadFilterError {
  const context = after === undefined ? '' : ` after ${quote(after)}`;
  return new ReadFilterError(
    `Invalid filter at position ${position}: expected ${expected}${context}, found ${found}`,
    position,
    expected,
  );
}

/** An error for a well-formed part of the filter that is not allowed, explained by `reason`. */
export function invalidAt(position: number, reason: string, expected: string): ReadFilterError {
  return new ReadFilterError(`Invalid filter at position ${position}: ${reason}`, position, expected);
}

// JSON quoting keeps control characters and lone surrogates readable.
export function quote(text: string): string {
  return JSON.stringify(shorten(text));
}

// Filters can be 4096 characters long; messages quoting them should stay short.
export function shorten(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}
