import { ESCALATED, FALLBACK } from './metric-rules.js';

/**
 * Every conversation has exactly one outcome, judged from its messages so far (a conversation still going on is
 * judged by its latest message, and may change outcome when the next one arrives):
 * - escalated: some message was an escalation (handed to a human) — Rasa/Ada "handoff", Copilot "escalated";
 * - abandoned: not escalated, and the last message was a fallback — the user left right after the assistant failed
 *   to understand them (Lex "failed … fell to fallback" then "dropped");
 * - contained: neither — the assistant handled the conversation without a human (IBM, Botpress containment).
 */
export type ConversationOutcome = 'contained' | 'escalated' | 'abandoned';

/** What the aggregates keep per conversation: enough to judge it, and to re-judge it when messages are deleted. */
export interface ConversationSummary {
  messages: number;
  escalatedMessages: number;
  /** Flags of the latest message (metric-rules.ts). */
  lastFlags: number;
}

export function conversationOutcome(c: ConversationSummary): ConversationOutcome {
  if (c.escalatedMessages > 0) return 'escalated';
  if (c.lastFlags & FALLBACK) return 'abandoned';
  return 'contained';
}

/** Adds one message, given in time order, to a conversation's summary (undefined: a new conversation). */
export function addMessage(c: ConversationSummary | undefined, flags: number): ConversationSummary {
  return {
    messages: (c?.messages ?? 0) + 1,
    escalatedMessages: (c?.escalatedMessages ?? 0) + (flags & ESCALATED ? 1 : 0),
    lastFlags: flags,
  };
}
