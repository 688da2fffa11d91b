import type { ReadFilterOp } from './ast.js';

export type ValueKind = 'string' | 'number' | 'null' | 'list';

/** An operator and the values it can compare with; `expected` names them in error messages. */
export interface OperatorRule {
  op: ReadFilterOp;
  accepts: readonly ValueKind[];
  expected: string;
}

// null means "absent", which only equality can ask about; `=@ null` or `< null` would have no sensible answer.
const EQUALITY = { accepts: ['string', 'number', 'null'], expected: 'a string, a number or null' } as const;
const CONTAINMENT = { accepts: ['string'], expected: 'a string' } as const;
const ORDER = { accepts: ['number'], expected: 'a number' } as const;
const MEMBERSHIP = { accepts: ['list'], expected: 'a [list] of strings and numbers' } as const;

/** Keyed by symbol, or by the lower-cased keyword for IN and NOT_IN. */
export const OPERATORS: ReadonlyMap<string, OperatorRule> = new Map<string, OperatorRule>([
  ['==', { op: 'eq', ...EQUALITY }],
  ['!=', { op: 'ne', ...EQUALITY }],
  ['=~', { op: 'ieq', ...EQUALITY }],
  ['!~', { op: 'ine', ...EQUALITY }],
  ['=@', { op: 'contains', ...CONTAINMENT }],
  ['!@', { op: 'not_contains', ...CONTAINMENT }],
  ['<', { op: 'lt', ...ORDER }],
  ['<=', { op: 'lte', ...ORDER }],
  ['>', { op: 'gt', ...ORDER }],
  ['>=', { op: 'gte', ...ORDER }],
  ['in', { op: 'in', ...MEMBERSHIP }],
  ['not_in', { op: 'not_in', ...MEMBERSHIP }],
]);

export const OPERATOR_LIST = 'an operator (==, !=, =~, !~, =@, !@, <, <=, >, >=, IN or NOT_IN)';
