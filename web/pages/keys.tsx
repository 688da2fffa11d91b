import { useState } from 'preact/hooks';
import { deleteResource, getJson, postJson } from '../api.js';
import type { ApiKey } from '../api-types.js';
import { Card, Dialog, ErrorNote, PageHeader, useLoad } from '../components.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';

/** The privileges a key can hold, as the server names them, with what each opens (README "Authentication"). */
const PRIVILEGES: [string, string][] = [
  ['message', 'send messages (v1/v2), v2 sessions'],
  ['logs:read', 'read logs and metrics'],
  ['user_data:read', 'find, view and export a person\'s data'],
  ['user_data:delete', 'delete a person\'s data, read deletion jobs'],
  ['workspaces:read', 'read workspaces and assistants'],
  ['workspaces:write', 'change workspaces and assistants'],
  ['analytics:write', 'send usage-analytics events'],
  ['analytics:impersonate', 'name the user of an event'],
  ['analytics:administrate', 'analytics user overview'],
  ['analytics:exports', 'analytics data exports'],
  ['admin', 'everything on this instance, including keys'],
];

type Created = ApiKey & { secret: string };

export function KeysPage() {
  const session = useSession();
  const keys = useLoad(() => getJson<{ keys: ApiKey[] }>('/api/v1/keys'), []);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = (p: string) => {
    const next = new Set(chosen);
    if (next.has(p)) next.delete(p); else next.add(p);
    setChosen(next);
  };

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setCreated(await postJson<Created>('/api/v1/keys', { name: name.trim(), privileges: [...chosen] }));
      setName('');
      setChosen(new Set());
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  const revoke = async (k: ApiKey) => {
    setRevoking(null);
    setError(null);
    try {
      await deleteResource(`/api/v1/keys/${encodeURIComponent(k.key_id)}`);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  const list = keys.data?.keys ?? [];
  return (
    <>
      <PageHeader title="API keys" subtitle={<>Keys of instance <strong>{session.instance}</strong>. Only a hash of each secret is stored.</>} />
      <ErrorNote error={error ?? keys.error} />

      {created && (
        <Card title="New key created" class="secret-card">
          <p>Copy the secret now: it is shown <strong>this once</strong> and cannot be shown again.</p>
          <div class="secret-row">
            <code class="secret" data-testid="new-secret">{created.secret}</code>
            <button class="button" type="button" onClick={() => void navigator.clipboard?.writeText(created.secret)}>Copy</button>
          </div>
          <button class="button button-primary" type="button" onClick={() => setCreated(null)}>I have stored it</button>
        </Card>
      )}

      <Card title="Create a key">
        <form onSubmit={create} class="stack">
          <label class="field">
            <span>Name</span>
            <input name="key-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. support-dashboard" />
          </label>
          <fieldset class="checks">
            <legend>Privileges</legend>
            {PRIVILEGES.map(([p, what]) => (
              <label key={p} class="check">
                <input type="checkbox" name="privilege" value={p} checked={chosen.has(p)} onChange={() => toggle(p)} />
                <span><code>{p}</code> <span class="muted small">{what}</span></span>
              </label>
            ))}
          </fieldset>
          <div><button class="button button-primary" type="submit" disabled={!name.trim() || chosen.size === 0}>Create key</button></div>
        </form>
      </Card>

      <Card title={`Keys (${list.filter((k) => !k.revoked).length} active)`}>
        <div class="table-wrap">
          <table class="table" data-testid="keys">
            <thead><tr><th>Name</th><th>Prefix</th><th>Privileges</th><th>Created</th><th>Status</th><th /></tr></thead>
            <tbody>{list.map((k) => (
              <tr key={k.key_id} data-key={k.key_id} class={k.revoked ? 'row-muted' : ''}>
                <td>{k.name}{k.key_id === session.key_id && <span class="chip chip-accent">this key</span>}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.privileges.map((p) => <span key={p} class="chip">{p}</span>)}</td>
                <td class="nowrap">{formatTime(k.created)}</td>
                <td>{k.revoked ? <span class="badge badge-cancelled">revoked {formatTime(k.revoked)}</span> : <span class="badge badge-completed">active</span>}</td>
                <td>{!k.revoked && k.key_id !== session.key_id && <button class="button button-small button-danger" type="button" onClick={() => setRevoking(k)}>Revoke</button>}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      </Card>

      <Dialog open={revoking !== null} title="Revoke this key?" onClose={() => setRevoking(null)}>
        {revoking && (
          <>
            <p>Every client using <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>) loses access at once.</p>
            <div class="dialog-actions">
              <button class="button" type="button" onClick={() => setRevoking(null)}>Cancel</button>
              <button class="button button-danger" type="button" onClick={() => void revoke(revoking)}>Revoke</button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}
