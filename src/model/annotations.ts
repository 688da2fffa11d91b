/** What a reviewer concluded about a logged answer (README "Annotations"). */
export const ROOT_CAUSES = ['wrong_intent', 'missing_intent', 'out_of_scope', 'entity_error', 'dialog_error', 'response_error', 'other'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];
export type Verdict = 'correct' | 'incorrect';

export interface AnnotationRecord {
  logId: string;
  instanceId: string;
  /** Copied from the log so effectiveness reports filter without reading logs. */
  assistantId: string | null;
  deployment: string | null;
  requestTs: number;
  topIntent: string | null;
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  note: string | null;
  /** The API key (id) that wrote it. */
  author: string;
  createdAt: number;
  updatedAt: number;
}

export interface AnnotationInput {
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  note: string | null;
  author: string;
  at: number;
}

/** Annotations grouped by what effectiveness reports on. */
export interface AnnotationTally {
  topIntent: string | null;
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  count: number;
}
