import { BadRequest } from '../../model/errors.js';
import { FilterSyntaxError, parseFilter, type ApiSurface, type FilterExpr } from '../../filter/watson-logs/index.js';
import type { LogCursor, LogPage } from '../../model/logs.js';
import type { LogRepository } from '../../store/store.js';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

export interface LogQuery {
  instanceId: string;
  surface: ApiSurface;
  filter?: string | undefined;
  sort?: string | undefined;
  pageLimit?: number | undefined;
  cursor?: string | undefined;
  scope: { workspaceId?: string; assistantId?: string };
}

export function parseLogFilter(filter: string, surface: ApiSurface): FilterExpr {
  try {
    return withSubjectTermsInNfc(parseFilter(filter, surface));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new BadRequest(err.message, 'InvalidFilter');
    throw err;
  }
}

/**
 * Customer and user IDs are stored in NFC (the identifier rule, model/identifier.ts), so a filter naming one
 * compares that form too: `customer_id::josé` finds José whether either was typed precomposed or decomposed.
 */
function withSubjectTermsInNfc(expr: FilterExpr): FilterExpr {
  if (expr.kind !== 'cmp') return { kind: expr.kind, items: expr.items.map(withSubjectTermsInNfc) };
  if (expr.field.id !== 'customer_id' && expr.field.id !== 'user_id') return expr;
  const v = expr.value;
  if (v.kind === 'text') return { ...expr, value: { ...v, text: v.text.normalize('NFC') } };
  if (v.kind === 'pattern') return { ...expr, value: { ...v, segments: v.segments.map((s) => s.normalize('NFC')) } };
  return expr;
}

/** Field ids a subexpression tests positively; a negated test narrows nothing, so it poisons the set (null). */
function positiveFieldsOf(expr: FilterExpr, into: Set<string> | null = new Set()): Set<string> | null {
  if (into === null) return null;
  if (expr.kind === 'cmp') return expr.op === 'not_exact' || expr.op === 'not_match' ? null : into.add(expr.field.id);
  return expr.items.reduce<Set<string> | null>((acc, e) => positiveFieldsOf(e, acc), into);
}

/**
 * Watson's instance-wide `GET /v1/logs` must be narrowed to a language and to an assistant, workspace or
 * deployment; Lethe keeps that contract so clients written against Watson behave the same. Each requirement
 * must hold for every match, so it has to be a top-level conjunct (an OR with another field would not narrow).
 */
export function checkInstanceWideFilter(expr: FilterExpr): void {
  const conjuncts = expr.kind === 'and' ? expr.items : [expr];
  const narrowedTo = conjuncts.map((c) => positiveFieldsOf(c)).filter((f) => f?.size === 1).map((f) => [...f!][0]);
  if (!narrowedTo.includes('language') || !['assistant_id', 'workspace_id', 'deployment'].some((f) => narrowedTo.includes(f))) {
    throw new BadRequest(
      'The filter of GET /v1/logs must name language and one of request.context.system.assistant_id, workspace_id or request.context.metadata.deployment, joined with ","',
      'InvalidFilter',
    );
  }
}

// Cursors are opaque to clients but validated here: a tampered cursor is a 400, never a query on garbage.
export function encodeCursor(c: LogCursor, descending: boolean): string {
  return Buffer.from(JSON.stringify([c.seq, descending ? 1 : 0])).toString('base64url');
}

export function decodeCursor(value: string, descending: boolean): LogCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every(Number.isSafeInteger) && (parsed[1] === 1) === descending) {
      return { seq: parsed[0] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadRequest('Invalid cursor: pass next_cursor from the previous page, with the same sort');
}

function parseSort(sort: string | undefined): boolean {
  if (sort === undefined || sort === 'request_timestamp') return false;
  if (sort === '-request_timestamp') return true;
  throw new BadRequest('Invalid sort: use request_timestamp or -request_timestamp');
}

export interface LogQueryResult {
  page: LogPage;
  nextCursor: string | undefined;
}

export async function queryLogs(repo: LogRepository, q: LogQuery): Promise<LogQueryResult> {
  const descending = parseSort(q.sort);
  const limit = q.pageLimit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new BadRequest(`page_limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`);
  }
  const filter = q.filter === undefined || q.filter === '' ? null : parseLogFilter(q.filter, q.surface);
  const after = q.cursor ? decodeCursor(q.cursor, descending) : null;
  const page = await repo.page({ instanceId: q.instanceId, filter, scope: q.scope, descending, limit, after });
  return { page, nextCursor: page.next ? encodeCursor(page.next, descending) : undefined };
}
