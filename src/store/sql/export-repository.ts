import type { Kysely, Selectable } from 'kysely';
import type { ExportRecord, ExportRequest, ExportStatus } from '../../model/exports.js';
import type { ExportRepository } from '../store.js';
import type { Tables } from './tables.js';

function exportFromRow(r: Selectable<Tables['exports']>): ExportRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    exportId: r.export_id, instanceId: r.instance_id, status: r.status as ExportStatus, author: r.author, description: r.description,
    request: JSON.parse(r.request) as ExportRequest, createdAt: Number(r.created_at), finishedAt: num(r.finished_at),
    expiresAt: Number(r.expires_at), size: Number(r.size), shareHash: r.share_hash, sharedAt: num(r.shared_at), error: r.error,
  };
}

// Every column but the file, so listing exports never reads archives.
const COLUMNS = ['export_id', 'instance_id', 'status', 'author', 'description', 'request', 'created_at', 'finished_at', 'expires_at',
  'size', 'share_hash', 'shared_at', 'error'] as const;

/**
 * No multi-statement transactions here (they would span awaits on the shared SQLite connection): statements are
 * ordered so that a crash between them errs on the side of erasing. Subject links are written before the file
 * they describe and removed after it.
 */
export function sqlExportRepository(db: Kysely<Tables>): ExportRepository {
  const erase = async (exportIds: string[]) => {
    if (!exportIds.length) return;
    await db.updateTable('exports').set({ content: null, size: 0, status: 'EXPIRED', share_hash: null })
      .where('export_id', 'in', exportIds).execute();
    await db.deleteFrom('export_subjects').where('export_id', 'in', exportIds).execute();
  };
  return {
    async insert(e) {
      await db.insertInto('exports').values({
        export_id: e.exportId, instance_id: e.instanceId, status: e.status, author: e.author, description: e.description,
        request: JSON.stringify(e.request), created_at: e.createdAt, finished_at: e.finishedAt, expires_at: e.expiresAt, size: e.size,
        content: null, share_hash: e.shareHash, shared_at: e.sharedAt, error: e.error,
      }).execute();
    },
    async get(instanceId, exportId) {
      const row = await db.selectFrom('exports').select(COLUMNS).where('instance_id', '=', instanceId).where('export_id', '=', exportId).executeTakeFirst();
      return row && exportFromRow({ ...row, content: null });
    },
    async list(instanceId) {
      const rows = await db.selectFrom('exports').select(COLUMNS).where('instance_id', '=', instanceId).orderBy('created_at', 'desc').execute();
      return rows.map((r) => exportFromRow({ ...r, content: null }));
    },
    async holding(instanceId, subjects) {
      if (!subjects.length) return [];
      const rows = await db.selectFrom('exports').select(COLUMNS).where('instance_id', '=', instanceId)
        .where('export_id', 'in', (q) => q.selectFrom('export_subjects').select('export_id').where('instance_id', '=', instanceId)
          .where((eb) => eb.or(subjects.map((s) => eb.and([eb('kind', '=', s.kind), eb('value', '=', s.value)])))))
        .orderBy('created_at', 'desc').execute();
      return rows.map((r) => exportFromRow({ ...r, content: null }));
    },
    async pending() {
      const rows = await db.selectFrom('exports').select(COLUMNS).where('status', '=', 'PENDING').execute();
      return rows.map((r) => exportFromRow({ ...r, content: null }));
    },
    async complete(exportId, content, subjects, at) {
      const row = await db.selectFrom('exports').select('instance_id').where('export_id', '=', exportId).executeTakeFirst();
      if (!row) return;
      for (let i = 0; i < subjects.length; i += 500) {
        await db.insertInto('export_subjects')
          .values(subjects.slice(i, i + 500).map((s) => ({ instance_id: row.instance_id, kind: s.kind, value: s.value, export_id: exportId })))
          .onConflict((oc) => oc.doNothing()).execute();
      }
      await db.updateTable('exports').set({ status: 'AVAILABLE', content, size: content.length, finished_at: at })
        .where('export_id', '=', exportId).where('status', '=', 'PENDING').execute();
    },
    async fail(exportId, error, at) {
      await db.updateTable('exports').set({ status: 'FAILED', error, finished_at: at }).where('export_id', '=', exportId).execute();
    },
    async content(instanceId, exportId, now) {
      const row = await db.selectFrom('exports').select('content').where('instance_id', '=', instanceId).where('export_id', '=', exportId)
        .where('status', '=', 'AVAILABLE').where('expires_at', '>', now).executeTakeFirst();
      return row?.content ?? undefined;
    },
    async share(instanceId, exportId, shareHash, at) {
      const res = await db.updateTable('exports').set({ share_hash: shareHash, shared_at: at })
        .where('instance_id', '=', instanceId).where('export_id', '=', exportId).where('status', '=', 'AVAILABLE').where('expires_at', '>', at)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async findShared(shareHash, now) {
      const row = await db.selectFrom('exports').selectAll().where('share_hash', '=', shareHash).where('status', '=', 'AVAILABLE')
        .where('expires_at', '>', now).executeTakeFirst();
      return row?.content ? { record: exportFromRow(row), content: row.content } : undefined;
    },
    async expire(now) {
      const ids = (await db.selectFrom('exports').select('export_id').where('status', 'in', ['PENDING', 'AVAILABLE', 'FAILED'])
        .where('expires_at', '<=', now).execute()).map((r) => r.export_id);
      await erase(ids);
      return ids.length;
    },
    async eraseForSubject(instanceId, subject) {
      const ids = (await db.selectFrom('export_subjects').select('export_id').where('instance_id', '=', instanceId)
        .where('kind', '=', subject.kind).where('value', '=', subject.value).execute()).map((r) => r.export_id);
      await erase(ids);
      return ids.length;
    },
    async eraseStartingBefore(instanceId, cutoffTs) {
      const rows = await db.selectFrom('exports').select(['export_id', 'request']).where('instance_id', '=', instanceId)
        .where('status', 'in', ['PENDING', 'AVAILABLE']).execute();
      const ids = rows.filter((r) => (JSON.parse(r.request) as ExportRequest).fromTs < cutoffTs).map((r) => r.export_id);
      await erase(ids);
      return ids.length;
    },
    async delete(instanceId, exportId) {
      const res = await db.deleteFrom('exports').where('instance_id', '=', instanceId).where('export_id', '=', exportId).executeTakeFirst();
      await db.deleteFrom('export_subjects').where('export_id', '=', exportId).where('instance_id', '=', instanceId).execute();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
