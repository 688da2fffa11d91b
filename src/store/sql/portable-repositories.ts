import type { Kysely } from 'kysely';
import type { Store } from '../store.js';
import { sqlAnnotationRepository } from './annotation-repository.js';
import { sqlAssistantRepository, sqlWorkspaceRepository } from './catalog-repositories.js';
import { sqlExportRepository } from './export-repository.js';
import { sqlKeyRepository } from './key-repository.js';
import { sqlMetricsRepository } from './metrics-repository.js';
import { sqlRedactionRepository } from './redaction-repository.js';
import { sqlRetentionRunRepository } from './retention-run-repository.js';
import { sqlSecretRepository } from './secret-repository.js';
import { sqlSessionRepository } from './session-repository.js';
import { sqlSettingsRepository } from './settings-repository.js';
import { sqlSubjectRepository } from './subject-repository.js';
import type { Tables } from './tables.js';
import { sqlTrainingDataRepository } from './training-data-repository.js';
import { sqlWebhookRepository } from './webhook-repository.js';

type Portable = 'keys' | 'workspaces' | 'assistants' | 'sessions' | 'settings' | 'exports' | 'subjects' | 'redaction' | 'trainingData'
  | 'retentionRuns' | 'webhooks' | 'metrics' | 'annotations' | 'secrets';

/** The repositories written once in portable SQL, the same in every engine's store. */
export function portableRepositories(db: Kysely<Tables>): Pick<Store, Portable> {
  return {
    keys: sqlKeyRepository(db),
    workspaces: sqlWorkspaceRepository(db),
    assistants: sqlAssistantRepository(db),
    sessions: sqlSessionRepository(db),
    settings: sqlSettingsRepository(db),
    exports: sqlExportRepository(db),
    subjects: sqlSubjectRepository(db),
    redaction: sqlRedactionRepository(db),
    trainingData: sqlTrainingDataRepository(db),
    retentionRuns: sqlRetentionRunRepository(db),
    webhooks: sqlWebhookRepository(db),
    metrics: sqlMetricsRepository(db),
    annotations: sqlAnnotationRepository(db),
    secrets: sqlSecretRepository(db),
  };
}
