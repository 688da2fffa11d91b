import { useState } from 'preact/hooks';
import { ApiError, whoami, type Whoami } from '../api.js';
import { ErrorNote } from '../components.js';

/** The only thing shown without a valid key. The key is checked with the server before it is kept. */
export function SignInPage({ onSignedIn, notice }: { onSignedIn: (key: string, who: Whoami) => void; notice?: string | undefined }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(key.trim(), await whoami(key.trim()));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new Error('This API key is not valid (unknown or revoked).') : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form class="signin-card" onSubmit={submit}>
        <div class="brand brand-large"><span class="brand-mark">L</span> Lethe</div>
        <h1>Sign in</h1>
        <p class="muted">Paste an API key of your instance. It is kept in this tab only and sent to this server alone.</p>
        {notice && <p class="note">{notice}</p>}
        <label class="field">
          <span>API key</span>
          <input name="api-key" type="password" autocomplete="off" spellcheck={false} required value={key}
            onInput={(e) => setKey(e.currentTarget.value)} placeholder="lethe_…" />
        </label>
        <ErrorNote error={error} />
        <button class="button button-primary" type="submit" disabled={busy || !key.trim()}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
