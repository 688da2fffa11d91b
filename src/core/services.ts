import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { Analytics } from './analytics/analytics.js';
import { AnalyticsIdentity } from './analytics/identity.js';
import { Exports } from './analytics/exports.js';
import { deletionTargets, UserData } from './analytics/user-data.js';
import { Assistants } from './assistants/assistants.js';
import { ApiKeys } from './auth/api-keys.js';
import { DeletionRequests } from './dsr/deletion-requests.js';
import { DeletionRunner } from './dsr/deletion-runner.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { Conversations } from './messages/conversations.js';
import { Sessions } from './sessions/sessions.js';
import { SubjectHasher } from './subjects/subject-hash.js';
import { Workspaces } from './workspaces/workspaces.js';
import { Metrics } from './metrics/metrics.js';

/** The domain, wired once over a store: what the HTTP layer and the CLI both use. */
export interface Services {
  store: Store;
  keys: ApiKeys;
  workspaces: Workspaces;
  assistants: Assistants;
  sessions: Sessions;
  conversations: Conversations;
  writer: IngestWriter;
  deletions: DeletionRequests;
  runner: DeletionRunner;
  analytics: Analytics;
  userData: UserData;
  exports: Exports;
  metrics: Metrics;
}

export async function createServices(store: Store, config: Pick<Config, 'sessionTimeoutSeconds' | 'jobLeaseMs' | 'exportTtlHours'> & Partial<Pick<Config, 'coverageThreshold'>>, log: Logger): Promise<Services> {
  const keys = new ApiKeys(store.keys);
  const workspaces = new Workspaces(store.workspaces);
  const assistants = new Assistants(store.assistants, store.workspaces);
  const sessions = new Sessions(store.sessions, config.sessionTimeoutSeconds * 1000);
  const writer = new IngestWriter((writes) => store.ingest(writes));
  const conversations = new Conversations(workspaces, assistants, sessions, writer);
  const identity = await AnalyticsIdentity.load(store.secrets);
  const analytics = new Analytics(writer, identity, store.settings);
  const runner = new DeletionRunner(store, deletionTargets(identity), writer, sessions, log, { leaseMs: config.jobLeaseMs });
  const deletions = new DeletionRequests(store.jobs, await SubjectHasher.load(store.secrets), () => runner.wake());
  const userData = new UserData(store, identity, deletions);
  const exports = new Exports(store, identity, log, config.exportTtlHours * 3_600_000);
  const metrics = new Metrics(store, config.coverageThreshold);
  return { store, keys, workspaces, assistants, sessions, conversations, writer, deletions, runner, analytics, userData, exports, metrics };
}
