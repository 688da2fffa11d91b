import { newId } from '../ids.js';
import { NotFound } from '../errors.js';
import type { AssistantRecord, SessionRecord } from '../../store/records.js';
import type { SessionRepository } from '../../store/store.js';

const CACHE_LIMIT = 50_000;

/**
 * v2 stateful sessions. The latest state of a session lives in memory for the message hot path and is written
 * through to the store in the same transaction as the message's log row (see LogWriter), so it survives restarts.
 */
export class Sessions {
  private readonly cache = new Map<string, SessionRecord>();

  constructor(private readonly repo: SessionRepository, private readonly timeoutMs: number) {}

  async create(assistant: AssistantRecord, environmentId: string): Promise<SessionRecord> {
    const now = Date.now();
    const s: SessionRecord = {
      instanceId: assistant.instanceId, sessionId: newId(), assistantId: assistant.assistantId, environmentId,
      context: {}, createdAt: now, lastActiveAt: now, expiresAt: now + this.timeoutMs,
    };
    await this.repo.insert(s);
    this.remember(s);
    return s;
  }

  /** A live session of this assistant; Watson answers 404 "Invalid Session" for a missing or expired one. */
  async get(instanceId: string, assistantId: string, sessionId: string): Promise<SessionRecord> {
    const s = this.cache.get(sessionId) ?? (await this.repo.get(instanceId, sessionId));
    if (!s || s.instanceId !== instanceId || s.assistantId !== assistantId || s.expiresAt <= Date.now()) {
      throw new NotFound('Invalid Session');
    }
    return s;
  }

  /** The newest in-memory state of `s`: another turn of the same session may have advanced it meanwhile. */
  latest(s: SessionRecord): SessionRecord {
    return this.cache.get(s.sessionId) ?? s;
  }

  /** The session after one more turn; the caller commits it with the turn's log row. */
  advance(s: SessionRecord, context: Record<string, unknown>): SessionRecord {
    const now = Date.now();
    const next = { ...s, context, lastActiveAt: now, expiresAt: now + this.timeoutMs };
    this.remember(next);
    return next;
  }

  async delete(instanceId: string, assistantId: string, sessionId: string): Promise<void> {
    await this.get(instanceId, assistantId, sessionId);
    this.cache.delete(sessionId);
    await this.repo.delete(instanceId, sessionId);
  }

  /** After a data deletion: cached copies of deleted sessions must not be resumed, so reload everything from the store. */
  forgetAll(): void {
    this.cache.clear();
  }

  async purgeExpired(): Promise<number> {
    const now = Date.now();
    for (const [id, s] of this.cache) if (s.expiresAt <= now) this.cache.delete(id);
    return this.repo.deleteExpired(now);
  }

  private remember(s: SessionRecord): void {
    // Map keeps insertion order: re-inserting moves the session to the back, so the front is least recently used.
    this.cache.delete(s.sessionId);
    this.cache.set(s.sessionId, s);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
  }
}
