import { newId } from '../../model/ids.js';
import { Conflict } from '../../model/errors.js';
import type { Assistants } from '../assistants/assistants.js';
import type { IngestWriter } from '../ingest/ingest-writer.js';
import type { Sessions } from '../sessions/sessions.js';
import type { Workspaces } from '../workspaces/workspaces.js';
import type { AssistantRecord } from '../../model/catalog.js';
import type { LogRecord } from '../../model/logs.js';
import type { SessionRecord } from '../../model/sessions.js';
import type { V1MessageBody, V2MessageBody } from './message-schemas.js';
import { runV1Turn } from './v1-turn.js';
import { runV2Turn } from './v2-turn.js';

/** Facts about a message request that come from its headers and arrival, not its body. */
export interface MessageMeta {
  instanceId: string;
  customerIds: string[];
  learningOptOut: boolean;
  receivedAt: number;
}

/** What differs between v1 and v2 log rows; the rest comes from the request's metadata. */
type LogFields = Omit<LogRecord, 'logId' | 'instanceId' | 'customerIds' | 'learningOptOut' | 'requestTs' | 'responseTs' | 'responseJson'>;

// Written out property by property: spreading one object into a literal with this many more properties pushed V8
// into dictionary mode and cost ~30 µs per message on the hot path (measured).
function logRecord(meta: MessageMeta, f: LogFields, responseJson: string): LogRecord {
  return {
    logId: newId(), instanceId: meta.instanceId, api: f.api, assistantId: f.assistantId, environmentId: f.environmentId,
    workspaceId: f.workspaceId, sessionId: f.sessionId, conversationId: f.conversationId, userId: f.userId,
    customerIds: meta.customerIds, deployment: f.deployment, language: f.language, snapshot: f.snapshot,
    topIntent: f.topIntent, topConfidence: f.topConfidence, entitiesCount: f.entitiesCount, inputText: f.inputText,
    learningOptOut: meta.learningOptOut, requestTs: meta.receivedAt, responseTs: Date.now(), request: f.request,
    response: f.response, responseJson,
  };
}

/**
 * Message exchanges: run the skill, then commit the log row (and the session's new state) before answering, so an
 * acknowledged message is never lost.
 */
export class Conversations {
  constructor(
    private readonly workspaces: Workspaces,
    private readonly assistants: Assistants,
    private readonly sessions: Sessions,
    private readonly writer: IngestWriter,
  ) {}

  /** Answers with the response serialised as JSON: the very text its log row stores. */
  async messageV1(meta: MessageMeta, workspaceId: string, body: V1MessageBody, nodesVisitedDetails: boolean): Promise<string> {
    const { workspace, skill } = await this.workspaces.skill(meta.instanceId, workspaceId);
    const turn = runV1Turn(skill, body, nodesVisitedDetails);
    const json = JSON.stringify(turn.response);
    await this.writer.write({
      log: logRecord(meta, {
        api: 'v1', assistantId: null, environmentId: null, workspaceId, sessionId: null,
        conversationId: turn.conversationId, userId: turn.userId, deployment: turn.deployment,
        language: workspace.language, snapshot: null, topIntent: turn.topIntent?.intent ?? null,
        topConfidence: turn.topIntent?.confidence ?? null, entitiesCount: turn.entitiesCount,
        inputText: body.input?.text ?? '', request: body, response: turn.response,
      }, json),
    });
    return json;
  }

  async createSession(instanceId: string, assistantId: string, environmentId: string | undefined): Promise<SessionRecord> {
    const assistant = await this.assistants.resolve(instanceId, assistantId, environmentId);
    return this.sessions.create(assistant, environmentId ?? assistant.assistantId);
  }

  async deleteSession(instanceId: string, assistantId: string, environmentId: string | undefined, sessionId: string): Promise<void> {
    await this.assistants.resolve(instanceId, assistantId, environmentId);
    await this.sessions.delete(instanceId, assistantId, sessionId);
  }

  /**
   * Stateful when `sessionId` is given; otherwise the client carries the context (stateless). Answers with the
   * response serialised as JSON.
   */
  async messageV2(
    meta: MessageMeta, assistantId: string, environmentId: string | undefined, sessionId: string | undefined, body: V2MessageBody,
  ): Promise<string> {
    const assistant = await this.assistants.resolve(meta.instanceId, assistantId, environmentId);
    const found = sessionId === undefined ? undefined : await this.sessions.get(meta.instanceId, assistantId, sessionId);
    const { workspace, skill } = await this.workspaces.skill(meta.instanceId, boundWorkspace(assistant));
    // No await from here to `advance`: a concurrent turn of the same session cannot slip in between.
    const session = found && this.sessions.latest(found);
    const conversationId = session?.sessionId ?? body.context?.global?.session_id ?? newId();
    const turn = runV2Turn(skill, body, session?.context ?? {}, conversationId, meta.receivedAt);
    const userId = turn.userId ?? conversationId;
    // The log always keeps the context; the reply only when the client carries it or asks for it. Both are
    // `{output, user_id, context?}`, so the log's JSON extends the reply's rather than serialising it all again.
    const withoutContext = JSON.stringify({ output: turn.output, user_id: userId });
    const logged = `${withoutContext.slice(0, -1)},"context":${JSON.stringify(turn.context)}}`;

    const environment = environmentId ?? assistant.assistantId;
    await this.writer.write({
      log: logRecord(meta, {
        api: 'v2', assistantId, environmentId: environment, workspaceId: workspace.workspaceId,
        sessionId: conversationId, conversationId, userId: turn.userId, deployment: null, language: workspace.language,
        snapshot: environment === assistant.liveEnvironmentId ? 'live' : 'draft',
        topIntent: turn.topIntent?.intent ?? null, topConfidence: turn.topIntent?.confidence ?? null,
        entitiesCount: turn.entitiesCount, inputText: body.input?.text ?? '', request: body,
        response: { output: turn.output, user_id: userId, context: turn.context },
      }, logged),
      ...(session ? { session: this.sessions.advance(session, turn.context) } : {}),
    });
    return !session || body.input?.options?.return_context ? logged : withoutContext;
  }
}

function boundWorkspace(a: AssistantRecord): string {
  if (a.workspaceId === null) {
    throw new Conflict(`Assistant ${a.assistantId} has no dialog skill: bind a workspace with PATCH /api/v1/assistants/${a.assistantId} or \`lethe assistants bind\``);
  }
  return a.workspaceId;
}
