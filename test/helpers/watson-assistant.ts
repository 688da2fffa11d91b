import AssistantV1 from 'ibm-watson/assistant/v1.js';
import AssistantV2 from 'ibm-watson/assistant/v2.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from './http.js';
import type { LetheProcess } from './lethe-process.js';

export const WATSON_VERSION = '2021-06-14';

export interface BankingAssistant {
  v1: AssistantV1;
  v2: AssistantV2;
  workspaceId: string;
  /** A v2 assistant bound to the workspace (its ID is also its environment ID). */
  assistantId: string;
}

/** The real SDK's v1 and v2 clients on the admin key, with the banking workspace created and a v2 assistant bound to it. */
export async function bankingAssistant(lethe: LetheProcess): Promise<BankingAssistant> {
  const authenticator = new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey });
  const v1 = new AssistantV1({ version: WATSON_VERSION, authenticator, serviceUrl: lethe.url });
  const v2 = new AssistantV2({ version: WATSON_VERSION, authenticator, serviceUrl: lethe.url });
  const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
  const workspaceId = (await v1.createWorkspace({ ...rest, dialogNodes } as never)).result.workspace_id!;
  const bound = await call(lethe.url, 'POST', '/api/v1/assistants', { key: lethe.adminKey, body: { name: 'Bank', workspace_id: workspaceId } });
  return { v1, v2, workspaceId, assistantId: bound.body.assistant_id };
}
