import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, forgetKey, onUnauthorized, storedKey, storeKey, whoami, type Whoami } from './api.js';
import { Link } from './components.js';
import { forgetAll } from './memory.js';
import { AuditPage } from './pages/audit.js';
import { ConversationPage } from './pages/conversation.js';
import { KeysPage } from './pages/keys.js';
import { LogsPage } from './pages/logs.js';
import { OverviewPage } from './pages/overview.js';
import { SignInPage } from './pages/sign-in.js';
import { SubjectsPage } from './pages/subjects.js';
import { navigate, useRoute } from './router.js';
import { SessionContext, sessionOf, type Session } from './session.js';

interface PageDef {
  path: string;
  label: string;
  /** Shown only to keys holding one of these (admin holds all). */
  privileges: string[];
  component: ComponentType<{ params: string[] }>;
  /** Reached from another page rather than the menu. */
  hidden?: boolean;
  match?: RegExp;
}

const PAGES: PageDef[] = [
  { path: '/', label: 'Overview', privileges: ['logs:read'], component: OverviewPage },
  { path: '/logs', label: 'Log explorer', privileges: ['logs:read'], component: LogsPage },
  { path: '/conversations', label: 'Conversation', privileges: ['logs:read'], component: ConversationPage, hidden: true, match: /^\/conversations\/([^/]+)$/ },
  { path: '/subjects', label: 'Data-subject requests', privileges: ['user_data:read', 'user_data:delete'], component: SubjectsPage },
  { path: '/keys', label: 'API keys', privileges: ['admin'], component: KeysPage },
  { path: '/audit', label: 'Audit trail', privileges: ['admin'], component: AuditPage },
];

const allowed = (session: Session) => PAGES.filter((p) => p.privileges.some((x) => session.can(x)));

function matchPage(pages: PageDef[], route: string): { page: PageDef; params: string[] } | undefined {
  for (const page of pages) {
    if (page.match) {
      const m = page.match.exec(route);
      if (m) return { page, params: m.slice(1).map(decodeURIComponent) };
    } else if (page.path === route) return { page, params: [] };
  }
  return undefined;
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const pages = allowed(session);
  const found = matchPage(pages, route);
  const landing = pages.find((p) => !p.hidden);
  useEffect(() => {
    if (!found && landing) navigate(landing.path);
  }, [found, landing]);
  const Page = found?.page.component;
  const privileges = session.privileges.includes('admin') ? ['admin'] : session.privileges;

  return (
    <div class="shell">
      <aside class="sidebar"><div class="sidebar-inner">
        <div class="brand"><span class="brand-mark">L</span> Lethe</div>
        <nav aria-label="Pages">
          {pages.filter((p) => !p.hidden).map((p) => (
            <Link key={p.path} to={p.path} class={`nav-link ${found?.page.path === p.path || (p.path === '/logs' && found?.page.path === '/conversations') ? 'active' : ''}`}>{p.label}</Link>
          ))}
        </nav>
        <div class="whoami" data-testid="whoami">
          <div class="whoami-name">{session.name ?? session.key_id}</div>
          <div class="muted small">instance <strong>{session.instance}</strong></div>
          <ul class="privileges" aria-label="Privileges of this key">
            {privileges.map((p) => <li key={p} class="chip">{p}</li>)}
          </ul>
          <button class="button button-ghost" type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </div></aside>
      <main class="content">
        {Page ? <Page params={found.params} /> : !landing && (
          <p class="note" role="status">This key holds no privilege that any dashboard page uses ({session.privileges.join(', ')}).</p>
        )}
      </main>
    </div>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [notice, setNotice] = useState<string>();

  const signOut = (why?: string) => {
    forgetKey();
    forgetAll();
    setSession(null);
    setNotice(why);
  };

  useEffect(() => {
    onUnauthorized(() => signOut('The server no longer accepts this API key. Sign in again.'));
    const key = storedKey();
    if (!key) return;
    // A 401 has already signed out (with its notice) through onUnauthorized.
    whoami().then((who) => setSession(sessionOf(who)), (err: unknown) => {
      if (!(err instanceof ApiError && err.status === 401)) signOut(`Could not check the API key: ${err instanceof Error ? err.message : String(err)}`);
    }).finally(() => setChecking(false));
  }, []);

  if (checking) return <p class="boot muted">Loading…</p>;
  if (!session) {
    return <SignInPage notice={notice} onSignedIn={(key: string, who: Whoami) => {
      storeKey(key);
      setNotice(undefined);
      setSession(sessionOf(who));
    }} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} onSignOut={() => signOut()} />
    </SessionContext.Provider>
  );
}
