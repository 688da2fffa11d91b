import { Type, type Static } from 'typebox';
import { BadRequest } from '../../model/errors.js';
import type { ListPage } from '../../model/catalog.js';
import { Version } from './watson-common.js';

/** Paging of Watson's catalogue listings (workspaces, assistants): small sets, so an offset cursor is enough. */
export const ListQuery = Type.Object({
  version: Version,
  page_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  include_count: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('-name'), Type.Literal('updated'), Type.Literal('-updated')])),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  include_audit: Type.Optional(Type.Boolean()),
});

export interface ListRequest {
  sort: 'name' | 'updated';
  descending: boolean;
  offset: number;
  limit: number;
  includeCount: boolean;
}

export function parseListQuery(q: Static<typeof ListQuery>): ListRequest {
  const sort = q.sort ?? 'name';
  const offset = q.cursor === undefined ? 0 : Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BadRequest('Invalid cursor: pass next_cursor from the previous page');
  return {
    sort: sort.replace('-', '') as 'name' | 'updated', descending: sort.startsWith('-'), offset,
    limit: q.page_limit ?? 100, includeCount: q.include_count ?? false,
  };
}

function withCursor(url: string, cursor: string | undefined): string {
  const u = new URL(url, 'http://localhost');
  u.searchParams.delete('cursor');
  if (cursor !== undefined) u.searchParams.set('cursor', cursor);
  return u.pathname + u.search;
}

export function listPagination(url: string, req: ListRequest, page: ListPage<unknown>): Record<string, unknown> {
  const nextOffset = req.offset + page.items.length;
  const next = nextOffset < page.total ? Buffer.from(String(nextOffset)).toString('base64url') : undefined;
  return {
    refresh_url: withCursor(url, undefined),
    ...(next ? { next_url: withCursor(url, next), next_cursor: next } : {}),
    ...(req.includeCount ? { total: page.total, matched: page.total } : {}),
  };
}
