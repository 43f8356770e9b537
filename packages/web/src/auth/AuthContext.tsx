import type { LoginInput, UserDto } from '@tanfang/domain';
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from '../api';
import { clearRegionCache } from '../lib/regions';

/** Where the session stands. */
export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; user: UserDto }
  | { status: 'unreachable'; message: string };

/** What `useAuth()` returns. */
export interface AuthContextValue {
  state: AuthState;
  /** Logs in; throws `ApiError` with the server's message on failure. */
  login: (input: LoginInput) => Promise<UserDto>;
  /** Ends the session on the server and locally. */
  logout: () => Promise<void>;
  /** Probes `/api/auth/me` again (after the server was unreachable). */
  refresh: () => Promise<void>;
  /** Replaces the signed-in user as the server now presents it (e.g. after going on duty). */
  updateUser: (user: UserDto) => void;
}

/** The session context; use `useAuth()`. */
export const AuthContext = createContext<AuthContextValue | null>(null);

/** Holds the session: probes `/api/auth/me` on load, keeps the CSRF token in memory. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    setState({ status: 'loading' });
    try {
      const session = await api.me();
      setCsrfToken(session.csrfToken);
      setState({ status: 'authenticated', user: session.user });
    } catch (error) {
      setCsrfToken(null);
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) {
        setState({ status: 'unreachable', message: error.message });
      } else {
        setState({ status: 'anonymous', expired: false });
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState((prev) =>
        prev.status === 'authenticated' ? { status: 'anonymous', expired: true } : prev,
      );
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const login = useCallback(async (input: LoginInput) => {
    const session = await api.login(input);
    clearRegionCache();
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', user: session.user });
    return session.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The local session ends regardless; a failed server call only leaves a cookie that expires.
    }
    setCsrfToken(null);
    clearRegionCache();
    setState({ status: 'anonymous', expired: false });
  }, []);

  const updateUser = useCallback((user: UserDto) => {
    setState((prev) =>
      prev.status === 'authenticated' ? { status: 'authenticated', user } : prev,
    );
  }, []);

  const value = useMemo(
    () => ({ state, login, logout, refresh, updateUser }),
    [state, login, logout, refresh, updateUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
