import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { Me } from './api/types.ts';
import { api, loadSession, onSessionLost, type Session, saveSession } from './api.ts';

/** Who is signed in, and why the last session ended (shown on the sign-in screen). */
interface Auth {
  me: Me | null;
  loading: boolean;
  endedBecause: 'expired' | 'logout' | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Asks who is signed in again (after the user changed something about themselves, e.g. their password). */
  reload(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

// Why the last session ended survives a reload of the sign-in screen (the session itself is gone).
const ENDED_KEY = 'omnihub.sessionEnded';
const endedBefore = (): Auth['endedBecause'] => {
  const v = sessionStorage.getItem(ENDED_KEY);
  return v === 'expired' || v === 'logout' ? v : null;
};
const rememberEnd = (why: Auth['endedBecause']) => {
  if (why) sessionStorage.setItem(ENDED_KEY, why);
  else sessionStorage.removeItem(ENDED_KEY);
};

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [endedBecause, setEndedBecause] = useState<Auth['endedBecause']>(endedBefore);

  const expire = useCallback(() => {
    saveSession(null);
    setMe(null);
    setEndedBecause('expired');
    rememberEnd('expired');
  }, []);

  useEffect(() => {
    onSessionLost(expire);
    const session = loadSession();
    if (!session) {
      setLoading(false);
      return;
    }
    api<Me>('GET', '/api/v1/auth/me')
      .then(setMe)
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
    return () => onSessionLost(undefined);
  }, [expire]);

  // The session's own end: sign the user out at expiresAt rather than at the next failing click.
  useEffect(() => {
    if (!me) return;
    const session = loadSession();
    if (!session) return;
    const ms = new Date(session.expiresAt).getTime() - Date.now();
    const timer = setTimeout(expire, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [me, expire]);

  const login = useCallback(async (email: string, password: string) => {
    const s = await api<Session>('POST', '/api/v1/auth/login', { email, password });
    saveSession({ token: s.token, expiresAt: s.expiresAt });
    setMe(await api<Me>('GET', '/api/v1/auth/me'));
    setEndedBecause(null);
    rememberEnd(null);
  }, []);

  const logout = useCallback(async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => {});
    saveSession(null);
    setMe(null);
    setEndedBecause('logout');
    rememberEnd('logout');
  }, []);

  const reload = useCallback(async () => {
    setMe(await api<Me>('GET', '/api/v1/auth/me'));
  }, []);

  return (
    <AuthContext.Provider value={{ me, loading, endedBecause, login, logout, reload }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** Admins manage parameters, products and integrations; store users act on their store's orders. */
export const isAdmin = (me: Me | null) => me?.actor === 'network_admin' || me?.actor === 'central_admin';
