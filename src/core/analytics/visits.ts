import { randomUUID } from 'node:crypto';

const VISIT_TIMEOUT_MS = 30 * 60_000;
const REMEMBERED = 100_000;

/**
 * A visit is a visitor's run of events without a 30-minute gap. Kept in memory: after a restart each visitor simply
 * starts a new visit, which costs nothing but a visit boundary.
 */
export class Visits {
  private readonly last = new Map<string, { visitId: string; at: number }>();

  visitOf(instanceId: string, visitorId: string, now: number): string {
    const key = `${instanceId}\u0000${visitorId}`;
    const known = this.last.get(key);
    const visitId = known && now - known.at < VISIT_TIMEOUT_MS ? known.visitId : randomUUID();
    this.last.delete(key);
    this.last.set(key, { visitId, at: now });
    if (this.last.size > REMEMBERED) this.last.delete(this.last.keys().next().value as string);
    return visitId;
  }
}
