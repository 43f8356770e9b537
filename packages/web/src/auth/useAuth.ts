import type { UserDto } from '@tanfang/domain';
import { useContext } from 'react';
import { AuthContext, type AuthContextValue } from './AuthContext';

/** The session context. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The logged-in user; only for components rendered behind `<RequireAuth>`. */
export function useCurrentUser(): UserDto {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useCurrentUser needs a logged-in user');
  return state.user;
}
