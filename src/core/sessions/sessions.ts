import { newId } from '../../model/ids.js';
import { NotFound } from '../../model/errors.js';
import type { AssistantRecord } from '../../model/catalog.js';
import type { SessionRecord } from '../../model/sessions.js';
import type { SessionRepository } from '../../store/store.js';

const CACHE_LIMIT = 50_000;

/**
 * v2 stateful sessions. Each turn's new state is written to the store in the same transaction as the message's log
 * row (the group commit), so it survives restarts. Until that commit lands, the state is held here, so the session's
 * next turn in this process starts from it.
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

  /**
   * A live session of this assistant; Watson answers 404 "Invalid Session" for a missing or expired one. The stored
   * row is read every time, because another server process may have deleted the session (a client's DELETE, a data
   * deletion, an expiry purge) or advanced it. The copy held here wins only while it is at least as recent as the
   * stored row, which means it holds a turn of this process whose commit is still on its way.
   */
  async get(instanceId: string, assistantId: string, sessionId: string): Promise<SessionRecord> {
    const stored = await this.repo.get(instanceId, sessionId);
    const held = this.cache.get(sessionId);
    if (!stored) this.cache.delete(sessionId);
    const s = stored && held && held.lastActiveAt >= stored.lastActiveAt ? held : stored;
    if (!s || s.instanceId !== instanceId || s.assistantId !== assistantId || s.expiresAt <= Date.now()) {
      throw new NotFound('Invalid Session');
    }
    return s;
  }

  /** The newest state of `s`: another turn of the same session in this process may have advanced it meanwhile. */
  latest(s: SessionRecord): SessionRecord {
    const held = this.cache.get(s.sessionId);
    return held && held.lastActiveAt >= s.lastActiveAt ? held : s;
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
