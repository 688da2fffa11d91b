import type { AnnotationRecord } from '../../model/annotations.js';
import { iso } from '../iso.js';

/** What a reviewer concluded about a logged answer (README "Annotations"): the fields every route shows it with. */
export function reviewJson(a: AnnotationRecord) {
  return { verdict: a.verdict, root_cause: a.rootCause, corrected_intent: a.correctedIntent, note: a.note, updated: iso(a.updatedAt) };
}

/** The whole annotation, as the annotation routes answer it: the review, the log it is about, who wrote it and when. */
export function annotationJson(a: AnnotationRecord) {
  return {
    log_id: a.logId, ...reviewJson(a), top_intent: a.topIntent, request_timestamp: iso(a.requestTs), author: a.author,
    created: iso(a.createdAt),
  };
}
