/** The only error `parseFilter` throws; `position` is a 0-based UTF-16 offset into the filter. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';

  constructor(
    message: string,
    readonly position: number,
    /** What would have been valid at `position`, in words. */
    readonly expected: string,
  ) {
    super(message);
  }
}

/** An error for a filter that is malformed at `position`, where `expected` would have been valid. */
export function expectedAt(input: string, position: number, expected: string, after?: string): FilterSyntaxError {
  const context = after === undefined ? '' : ` after ${JSON.stringify(after)}`;
  return new FilterSyntaxError(
    `Invalid filter at position ${position}: expected ${expected}${context}, found ${describeAt(input, position)}`,
    position,
    expected,
  );
}

/** An error for a well-formed part of the filter that is not allowed, explained by `reason`. */
export function invalidAt(position: number, reason: string, expected: string): FilterSyntaxError {
  return new FilterSyntaxError(`Invalid filter at position ${position}: ${reason}`, position, expected);
}

// JSON quoting keeps control characters and lone surrogates readable in the message.
function describeAt(input: string, position: number): string {
  const found = input.codePointAt(position);
  return found === undefined ? 'the end of the filter' : JSON.stringify(String.fromCodePoint(found));
}
