import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BadRequest, NotFound } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import type { EventRecord } from '../../model/events.js';
import type { ExportRecord, ExportRequest } from '../../model/exports.js';
import type { Subject } from '../../model/subjects.js';
import type { Store } from '../../store/store.js';
import { SHARE_LINK_ACTOR } from '../audit/actors.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import { eventDimension } from './event-dimensions.js';
import type { AnalyticsIdentity } from './identity.js';
import { matchesReadFilter, parseReadFilters, ReadFilterError, type ReadFilter } from '../../filter/coveo-read/index.js';
import { renderExport } from './export-format.js';

const PAGE = 5000;
/** Like Coveo's exportRowCountLimit: an export is built in memory, so it is bounded. */
export const EXPORT_ROW_LIMIT = 1_000_000;
const USER_DIMENSIONS = new Set(['userid', 'username', 'user', 'visitorid', 'clientid']);
/** Which events each Coveo export table holds. */
const TABLES: Record<string, (type: string) => boolean> = {
  SEARCHES: (t) => t === 'search',
  CLICKS: (t) => t === 'click',
  CUSTOM_EVENTS: (t) => t === 'custom',
  ALL_EVENTS: () => true,
};
export const EXPORT_TABLES = Object.keys(TABLES);

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

interface CompiledRequest {
  /** Set when the filter names one user: read their events from the subject index instead of scanning. */
  user: string | null;
  f: ReadFilter | null;
  fs: ReadFilter | null;
  fc: ReadFilter | null;
}

function parse(filters: string[], name: string): ReadFilter | null {
  try {
    return parseReadFilters(filters);
  } catch (err) {
    if (err instanceof ReadFilterError) throw new BadRequest(`${name}[${err.filterIndex}]: ${err.message}`, 'InvalidFilter');
    throw err;
  }
}

/**
 * A top-level `userid == "x"` (or username, visitorid) picks the index path; it is then not evaluated again. Users
 * are stored in NFC (the identifier rule, model/identifier.ts), so the named one is looked up in NFC too.
 */
function splitUser(f: ReadFilter | null): { user: string | null; rest: ReadFilter | null } {
  const conjuncts = f === null ? [] : f.kind === 'and' ? f.items : [f];
  const i = conjuncts.findIndex((c) => c.kind === 'cmp' && USER_DIMENSIONS.has(c.dimension) && (c.op === 'eq' || c.op === 'ieq') && typeof c.value === 'string');
  if (i < 0) return { user: null, rest: f };
  const rest = conjuncts.filter((_, j) => j !== i);
  const user = (conjuncts[i] as { value: string }).value.normalize('NFC');
  return { user, rest: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { kind: 'and', items: rest } };
}

const asOf = (e: ExportRecord, now: number): ExportRecord => (e.status !== 'EXPIRED' && e.expiresAt <= now ? { ...e, status: 'EXPIRED' } : e);

/**
 * Coveo-style data exports: requested with filters, generated in the background into a file held in the database,
 * reviewed by whoever holds the exports privilege, then handed over through a share link. Every export expires;
 * expiry and any deletion covering someone whose events it holds erase the file.
 */
export class Exports {
  constructor(
    private readonly store: Store,
    private readonly identity: AnalyticsIdentity,
    private readonly log: Logger,
    private readonly ttlMs: number,
    private readonly audit: AuditRecorder,
  ) {}

  /** `actor` (actors.ts), here and in file, share and delete, is who the audit trail records. */
  async create(instanceId: string, author: string, request: ExportRequest, description: string, actor: string): Promise<ExportRecord> {
    if (!(request.toTs > request.fromTs)) throw new BadRequest('"to" must be after "from"', 'InvalidParameter');
    const unknown = request.tables.filter((t) => !TABLES[t]);
    if (unknown.length) throw new BadRequest(`Unknown table(s) ${unknown.join(', ')}; use ${EXPORT_TABLES.join(', ')}`, 'InvalidParameter');
    this.compile(request);
    const now = Date.now();
    const record: ExportRecord = {
      exportId: newId(), instanceId, status: 'PENDING', author, description, request, createdAt: now, finishedAt: null,
      expiresAt: now + this.ttlMs, size: 0, shareHash: null, sharedAt: null, error: null,
    };
    await this.store.exports.insert(record);
    // Filters and the description are free text that may name a user: the trail keeps their shape, not their words.
    await this.audit.record({
      instanceId, actor, action: 'export.create', target: record.exportId,
      details: {
        from: request.fromTs, to: request.toTs, tables: request.tables.join(','), format: request.format,
        filters: request.filters.f.length + request.filters.fs.length + request.filters.fc.length,
      },
    });
    setImmediate(() => void this.generate(record));
    return record;
  }

  /** An export as it stands now: one past its expiry reads EXPIRED even before the clean-up erased its file. */
  async get(instanceId: string, exportId: string): Promise<ExportRecord> {
    const e = await this.store.exports.get(instanceId, exportId);
    if (!e) throw new NotFound(`No export ${exportId}`);
    return asOf(e, Date.now());
  }

  async list(instanceId: string): Promise<ExportRecord[]> {
    const now = Date.now();
    return (await this.store.exports.list(instanceId)).map((e) => asOf(e, now));
  }

  async file(instanceId: string, exportId: string, actor: string): Promise<{ record: ExportRecord; content: Buffer }> {
    const record = await this.get(instanceId, exportId);
    const content = await this.store.exports.content(instanceId, exportId, Date.now());
    if (!content) throw new NotFound(`Export ${exportId} is ${record.status.toLowerCase()}, not available`);
    await this.audit.record({ instanceId, actor, action: 'export.download', target: exportId, details: { via: 'api_key', size: content.length } });
    return { record, content };
  }

  /** After review: a secret link that hands the file over without an API key, until the export expires. */
  async share(instanceId: string, exportId: string, actor: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    if (!(await this.store.exports.share(instanceId, exportId, hashToken(token), Date.now()))) {
      throw new NotFound(`Export ${exportId} is not available to share`);
    }
    await this.audit.record({ instanceId, actor, action: 'export.share', target: exportId });
    return token;
  }

  async shared(token: string): Promise<{ record: ExportRecord; content: Buffer }> {
    const found = await this.store.exports.findShared(hashToken(token), Date.now());
    if (!found) throw new NotFound('This link is unknown or has expired');
    const { record, content } = found;
    await this.audit.record({
      instanceId: record.instanceId, actor: SHARE_LINK_ACTOR, action: 'export.download', target: record.exportId,
      details: { via: 'share_link', size: content.length },
    });
    return found;
  }

  async delete(instanceId: string, exportId: string, actor: string): Promise<void> {
    if (!(await this.store.exports.delete(instanceId, exportId))) throw new NotFound(`No export ${exportId}`);
    await this.audit.record({ instanceId, actor, action: 'export.delete', target: exportId });
  }

  /** Restarts exports interrupted by a restart and erases expired ones; called at start-up and periodically. */
  async maintain(): Promise<void> {
    await this.store.exports.expire(Date.now());
    for (const e of await this.store.exports.pending()) void this.generate(e);
  }

  private compile(request: ExportRequest): CompiledRequest {
    const { user, rest } = splitUser(parse(request.filters.f, 'f'));
    return { user, f: rest, fs: parse(request.filters.fs, 'fs'), fc: parse(request.filters.fc, 'fc') };
  }

  private async generate(record: ExportRecord): Promise<void> {
    try {
      const events = await this.collect(record);
      const subjects = new Map<string, Subject>();
      for (const e of events) {
        for (const s of [{ kind: 'user_id' as const, value: e.userId }, { kind: 'visitor_id' as const, value: e.visitorId }]) {
          if (s.value) subjects.set(`${s.kind}\u0000${s.value}`, s as Subject);
        }
      }
      await this.store.exports.complete(record.exportId, renderExport(events, record.request.format), [...subjects.values()], Date.now());
      this.log.info({ exportId: record.exportId, events: events.length }, 'export available');
    } catch (err) {
      this.log.error({ exportId: record.exportId, err: (err as Error).message }, 'export failed');
      await this.store.exports.fail(record.exportId, (err as Error).message, Date.now());
    }
  }

  private async collect(record: ExportRecord): Promise<EventRecord[]> {
    const { request, instanceId } = record;
    const compiled = this.compile(request);
    const subjects = compiled.user === null ? [] : this.identity.aliases(instanceId, compiled.user);
    const inTables = (type: string) => request.tables.some((t) => TABLES[t]!(type));
    const keep = (e: EventRecord) => {
      const dim = (name: string) => eventDimension(e, name);
      if (!inTables(e.type) || (compiled.f && !matchesReadFilter(compiled.f, dim))) return false;
      if (compiled.fs && (e.type === 'search' || e.type === 'click') && !matchesReadFilter(compiled.fs, dim)) return false;
      return !(compiled.fc && e.type === 'custom' && !matchesReadFilter(compiled.fc, dim));
    };
    const out: EventRecord[] = [];
    for (let afterSeq: number | undefined; ;) {
      const page = await this.store.events.list({ instanceId, subjects, fromTs: request.fromTs, toTs: request.toTs, limit: PAGE, afterSeq });
      for (const { seq: _seq, ...e } of page) if (keep(e)) out.push(e);
      if (out.length > EXPORT_ROW_LIMIT) throw new Error(`the export would exceed ${EXPORT_ROW_LIMIT} rows; narrow its time range or filters`);
      if (page.length < PAGE) return out;
      afterSeq = page[page.length - 1]!.seq;
    }
  }
}
