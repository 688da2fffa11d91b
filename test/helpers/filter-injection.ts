/** Filter terms and fields for the injection and fuzz tests of every engine's filter compiler. */

// Terms that would change the meaning of SQL, LIKE, JSON paths, the FTS5 or tsquery languages if spliced in.
export const INJECTION_CORPUS = [
  "' OR '1'='1", "'; DROP TABLE logs; --", '" OR 1=1 --', '%', '_', '%_%', '\\', '\\\\', '*', 'NEAR(a b)', 'a OR b', 'a AND NOT b',
  '^start', 'input_text : x', '{input_text output_text} : x', 'x"', '""', '"a" "b"', ':', '-x', '+x', "$.injected", "$[0]", '..',
  'a\u0000b', '\u202Eevil', '😀', 'é', ')', '(', 'logs_fts_x', 'SELECT 42 FROM x', '/* */', 'x\' || \'y', 'NULL) OR (1', '0x41',
  'a & b', 'a | !b', 'a <-> b', 'pre:*', "'quoted':B",
];

export const FIELDS = ['customer_id', 'request.input.text', 'response.output.text', 'response.intents:intent', 'response.entities:value',
  'response.top_intent', 'language', 'request.context.metadata.user_id', 'log_id', 'workspace_id', 'conversation_id'];
export const OPERATORS = ['::', ':', '::!', ':!'];

/** Quotes a term for the filter language, so any string becomes one literal term. */
export const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
