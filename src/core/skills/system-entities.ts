// @sys-number: digit-written numbers only ("12", "-3.5", "1,000"); number words are not recognised.
import type { RuntimeEntity } from './runtime-entity.js';

// Not inside a word ("b2b", "mp3"), not part of a longer number, and "1,000" is one number.
const NUMBER = /(?<![\p{L}\p{N}\p{M}.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\p{L}\p{N}\p{M}]|[.,]\d)/gu;

export function findNumbers(text: string, out: RuntimeEntity[]): void {
  NUMBER.lastIndex = 0;
  for (let match = NUMBER.exec(text); match !== null; match = NUMBER.exec(text)) {
    const numeric = Number(match[0].replaceAll(',', ''));
    out.push({
      entity: 'sys-number',
      location: [match.index, match.index + match[0].length],
      value: String(numeric),
      confidence: 1,
      metadata: { numeric_value: numeric },
    });
  }
}
