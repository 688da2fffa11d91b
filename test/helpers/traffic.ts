import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from './http.js';

const V = 'version=2021-06-14';

/** What a traffic run creates first: a workspace and an assistant on it, so v1 and v2 messages have a target. */
export interface TrafficTarget {
  workspaceId: string;
  assistantId: string;
}

export async function createTarget(url: string, key: string): Promise<TrafficTarget> {
  const workspaceId = (await call(url, 'POST', `/v1/workspaces?${V}`, { key, body: bankingWorkspace })).body.workspace_id;
  const assistantId = (await call(url, 'POST', '/api/v1/assistants', { key, body: { workspace_id: workspaceId } })).body.assistant_id;
  if (!workspaceId || !assistantId) throw new Error('could not create the traffic target');
  return { workspaceId, assistantId };
}

export type WriteKind = 'v1' | 'v2' | 'event';
export const WRITE_KINDS: readonly WriteKind[] = ['v1', 'v2', 'event'];

/** The marker a write with sequence number `seq` carries in its text, and by which it is found again. */
export const marker = (seq: number) => `seq-${seq}-end`;
/** Events are spread over visitors so that one user's overview (at most 1,000 events) holds all of theirs. */
export const visitorOf = (seq: number) => `load-visitor-${seq % 16}`;

/** One acknowledged-or-not write: a v1 message, a stateless v2 message, or a Coveo custom event. */
export function sendWrite(url: string, key: string, target: TrafficTarget, kind: WriteKind, seq: number, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  if (kind === 'event') {
    return fetch(`${url}/rest/ua/v15/analytics/custom?visitor=${visitorOf(seq)}`, {
      method: 'POST', headers, body: JSON.stringify({ eventType: 'load', eventValue: marker(seq) }), signal,
    });
  }
  headers['x-watson-metadata'] = `customer_id=load-customer-${seq}`;
  const path = kind === 'v1' ? `/v1/workspaces/${target.workspaceId}/message` : `/v2/assistants/${target.assistantId}/message`;
  return fetch(`${url}${path}?${V}`, { method: 'POST', headers, body: JSON.stringify({ input: { text: `what is my balance ${marker(seq)}` } }), signal });
}

/** Every log text in the workspace (v1) or assistant (v2), read page by page through the Watson logs API. */
export async function storedLogTexts(url: string, key: string, path: string): Promise<string[]> {
  const texts: string[] = [];
  let cursor: string | undefined;
  do {
    const r = await call(url, 'GET', `${path}?${V}&page_limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    for (const log of r.body.logs) texts.push(String(log.request?.input?.text ?? ''));
    cursor = r.body.pagination?.next_cursor;
  } while (cursor);
  return texts;
}

/** The event values stored for the load visitors, through the Coveo user-overview API. */
export async function storedEventValues(url: string, key: string): Promise<string[]> {
  const values: string[] = [];
  for (let v = 0; v < 16; v++) {
    const r = await call(url, 'GET', `/rest/ua/v15/users/load-visitor-${v}/overview`, { headers: { authorization: `Bearer ${key}` } });
    if (r.status !== 200) throw new Error(`overview: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.truncated) throw new Error('overview truncated: too many events per visitor for this check');
    for (const e of r.body.events) values.push(String(e.payload?.eventValue ?? ''));
  }
  return values;
}

/** Sequence numbers found in stored texts, with how many times each was found. */
export function countMarkers(texts: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const t of texts) {
    const m = /seq-(\d+)-end/.exec(t);
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}
