import { useEffect, useState } from 'preact/hooks';

/** Pages are real paths under /dashboard/ (the server answers index.html for each), moved between with pushState. */
const BASE = '/dashboard';

const current = (): string => location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/';
const listeners = new Set<() => void>();

export function navigate(path: string): void {
  history.pushState(null, '', BASE + path);
  listeners.forEach((l) => l());
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** The page's path below /dashboard, e.g. `/logs`; re-renders on every navigation. */
export function useRoute(): string {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => setPath(current());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}

export const href = (path: string): string => BASE + path;
