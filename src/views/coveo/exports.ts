import type { ExportRecord } from '../../model/exports.js';

/** Coveo's ExportResponseV15; `downloadLink` is where the file is fetched, shown once the export is available. */
export function exportJson(e: ExportRecord, downloadLink: string) {
  const { f, fs, fc } = e.request.filters;
  return {
    id: e.exportId, author: e.author, description: e.description, downloadable: e.status === 'AVAILABLE',
    filters: { f: f.join(' AND '), fs: fs.join(' AND '), fc: fc.join(' AND ') }, from: e.request.fromTs, to: e.request.toTs,
    size: e.size, startDate: e.createdAt, status: e.status, tables: e.request.tables, format: e.request.format,
    expires: e.expiresAt, shared: e.sharedAt !== null,
    ...(e.status === 'AVAILABLE' ? { downloadLink } : {}),
  };
}
