import type { EventRecord } from './events.js';
import type { LogRecord } from './logs.js';
import type { SessionRecord } from './sessions.js';

/** One acknowledged message: its log row plus the session state it leaves behind, committed together. */
export interface MessageWrite {
  log: LogRecord;
  session?: SessionRecord;
}

export interface EventWrite {
  event: EventRecord;
}

/** What the ingest path commits: messages and analytics events share one group commit. */
export type IngestWrite = MessageWrite | EventWrite;
