export type {
  ApiSurface,
  Comparison,
  FieldId,
  FieldRef,
  FilterExpr,
  Member,
  Op,
  TermValue,
  ValueType,
} from './ast.js';
export { FilterSyntaxError } from './errors.js';
export { resolveField } from './fields.js';
export { FILTER_LIMITS, parseFilter } from './parse.js';
