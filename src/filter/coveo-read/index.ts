export type { ReadFilter, ReadFilterComparison, ReadFilterOp, ReadFilterValue } from './ast.js';
export { ReadFilterError } from './errors.js';
export { matchesReadFilter, type ReadFilterRecord } from './evaluate.js';
export { parseReadFilter, parseReadFilters, READ_FILTER_LIMITS } from './parse.js';
