/** A message exchange as logged: the request, the reply, and the labels filters and deletions find it by. */
export interface LogRecord {
  logId: string;
  instanceId: string;
  api: 'v1' | 'v2';
  assistantId: string | null;
  environmentId: string | null;
  workspaceId: string | null;
  sessionId: string | null;
  conversationId: string | null;
  userId: string | null;
  customerIds: string[];
  deployment: string | null;
  language: string;
  snapshot: string | null;
  topIntent: string | null;
  topConfidence: number | null;
  entitiesCount: number;
  inputText: string;
  learningOptOut: boolean;
  requestTs: number;
  responseTs: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  /** `response` already serialised (the text the reply was sent as): stored as is instead of serialising it again. */
  responseJson?: string;
}

/** The key of the last log of a page (see log-sequence.ts); the next page starts after it. */
export interface LogCursor {
  seq: number;
}

export interface LogPage {
  logs: (LogRecord & { seq: number })[];
  next: LogCursor | null;
}
