import type { IngestWrite } from '../../model/ingest.js';
import type { PiiDetectors } from './pii-detectors.js';
import { redactEvent, redactLog } from './record-redaction.js';
import type { RedactionSettings } from './redaction-settings.js';

/**
 * Wraps the group commit so every message and event is redacted, per its instance's settings, on its way to the store.
 * Only the stored copy changes: the reply is built from the original objects.
 */
export function redactingCommit(settings: RedactionSettings, commit: (writes: IngestWrite[]) => Promise<void>): (writes: IngestWrite[]) => Promise<void> {
  return async (writes) => {
    const byInstance = new Map<string, PiiDetectors>();
    for (const w of writes) {
      const instanceId = 'event' in w ? w.event.instanceId : w.log.instanceId;
      if (!byInstance.has(instanceId)) byInstance.set(instanceId, await settings.detectorsOf(instanceId));
    }
    return commit(writes.map((w) => {
      if ('event' in w) return { event: redactEvent(w.event, byInstance.get(w.event.instanceId)!) };
      const log = redactLog(w.log, byInstance.get(w.log.instanceId)!);
      return log === w.log ? w : { ...w, log };
    }));
  };
}
