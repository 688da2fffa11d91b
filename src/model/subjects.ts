/** Whom a record is about: the person a data-subject request names, under one of the identifiers that link records to them. */
export type SubjectKind = 'customer_id' | 'user_id' | 'visitor_id';

export interface Subject {
  kind: SubjectKind;
  value: string;
}

/** The subjects a data-subject request covers: the aliases under which logs and events are linked to one person. */
export interface SubjectTargets {
  logs: Subject[];
  events: Subject[];
}

/** What is still linked to a subject, per table; every count is 0 on a verified deletion. */
export type SubjectHoldings = Record<string, number>;
