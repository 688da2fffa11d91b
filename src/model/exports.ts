export type ExportStatus = 'PENDING' | 'AVAILABLE' | 'FAILED' | 'EXPIRED';

/** What an export was asked for (Coveo's ExportModelV15, normalised). */
export interface ExportRequest {
  fromTs: number;
  toTs: number;
  /** Coveo read filters: `f` on every event, `fs` on searches and clicks, `fc` on custom events. */
  filters: { f: string[]; fs: string[]; fc: string[] };
  /** SEARCHES, CLICKS, CUSTOM_EVENTS, ALL_EVENTS … */
  tables: string[];
  format: 'CSV' | 'JSON';
}

export interface ExportRecord {
  exportId: string;
  instanceId: string;
  status: ExportStatus;
  /** The key that asked for it. */
  author: string;
  description: string;
  request: ExportRequest;
  createdAt: number;
  finishedAt: number | null;
  expiresAt: number;
  size: number;
  /** Hash of the share token once the export was reviewed and handed over. */
  shareHash: string | null;
  sharedAt: number | null;
  error: string | null;
}
