/** Strings that break naive parsers, SQL builders, filter evaluators and Unicode handling. */
export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uD83Dy', '\u202Eevil\u202C', '\u200B\u200C\u200D\uFEFF', '\u2028\u2029',
  'E\u0301', '😀'.repeat(50), 'İı', "' OR '1'='1", "'; DROP TABLE logs; --", '" OR 1=1 --', '%', '_', '\\', '\\\\\'',
  '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '../../etc/passwd', 'customer_id::*', 'customer_id::a|language::en',
  '*', '"', "'", '(', ')', '[', ']', '::', ':', ',', '|', '=', ';', 'null', 'NaN', '-1', '1e999', '9'.repeat(40),
  'x'.repeat(5000), '%00', '%ZZ', '\r\nX-Injected: 1',
];

export const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS, null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], [[[[]]]],
  { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, Array.from({ length: 5000 }, (_, i) => i),
];

/** `depth` levels of nested arrays or objects: deep enough to hurt a recursive walker. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bodies that are not valid JSON at all, or valid JSON of the wrong shape at the top. */
export const MALFORMED_BODIES = [
  '', '{', '}', '{"a":', '[', 'nul', 'undefined', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '\uFEFF{}', '{"\uD800":1}',
  '"just a string"', '42', 'null', 'true', '[]', deeplyNested(5000, 'array'), deeplyNested(5000, 'object'),
  `{"a":"${'\\u0000'.repeat(100)}"}`, '{"a":"\\uD800"}', '{"__proto__":{"admin":true}}', '{"a":1e999999}',
];
