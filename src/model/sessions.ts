export interface SessionRecord {
  instanceId: string;
  sessionId: string;
  assistantId: string;
  environmentId: string;
  /** The v2 context as last returned (global + skills), stored so the next turn continues the dialog. */
  context: Record<string, unknown>;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
}
