/** The dialog skills (Watson v1 workspaces) and the v2 assistants that answer with them. */
export interface WorkspaceRecord {
  instanceId: string;
  workspaceId: string;
  name: string;
  description: string | null;
  language: string;
  learningOptOut: boolean;
  /** Everything else the user uploaded (intents, entities, dialog_nodes, metadata, …) as one JSON document. */
  content: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface AssistantRecord {
  instanceId: string;
  assistantId: string;
  name: string;
  description: string | null;
  language: string;
  /** The dialog skill (v1 workspace) that answers this assistant's messages; null until bound. */
  workspaceId: string | null;
  draftEnvironmentId: string;
  liveEnvironmentId: string;
  createdAt: number;
  updatedAt: number;
}

/** One page of a catalogue listing, with how many there are in all. */
export interface ListPage<T> {
  items: T[];
  total: number;
}
