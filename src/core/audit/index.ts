export { AuditTrail, type AuditInput, type AuditRecorder } from './audit-trail.js';
export { canonicalEntry, entryHash } from './audit-chain.js';
export { cliActor, keyActor, SHARE_LINK_ACTOR, SYSTEM_ACTOR } from './actors.js';
export { parseExpectedHead } from './expected-head.js';
export { recordJobOutcomes } from './job-outcomes.js';
