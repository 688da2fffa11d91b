export { AuditTrail, type AuditInput, type AuditPage, type AuditRecorder, type AuditVerification, type ExpectedHead } from './audit-trail.js';
export { canonicalEntry, entryHash, type AuditProblem, type BrokenEntry } from './audit-chain.js';
export { cliActor, keyActor, SHARE_LINK_ACTOR, SYSTEM_ACTOR } from './actors.js';
export { parseExpectedHead } from './expected-head.js';
export { recordJobOutcomes } from './job-outcomes.js';
