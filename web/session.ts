import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Whoami } from './api.js';

export interface Session extends Whoami {
  /** Whether the key may use a route needing `privilege` (admin may use every route of its instance). */
  can(privilege: string): boolean;
}

export function sessionOf(who: Whoami): Session {
  return { ...who, can: (p) => who.privileges.includes('admin') || who.privileges.includes(p) };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}
