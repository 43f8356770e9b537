import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import type { ResolvedSession } from '../modules/auth/auth.service.js';
import type { Services } from '../services.js';
import { AppError, unauthenticated } from './errors.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'tf_session';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    /** The request context of the signed-in user; throws 401 when there is none. */
    ctx(): RequestContext;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the session of every API request and checks the CSRF header on writes. */
export function installSession(app: FastifyInstance, services: Services): void {
  app.decorateRequest('session', null);
  app.decorateRequest('ctx', function (this: FastifyRequest): RequestContext {
    if (!this.session) throw unauthenticated();
    return { actor: this.session.actor, requestId: this.id, ip: this.ip };
  });
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    request.session = (await services.auth.resolve(request.cookies[SESSION_COOKIE])) ?? null;
    if (request.session && WRITE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (header !== request.session.csrfToken) {
        throw new AppError(
          403,
          'csrf_failed',
          '请求缺少或带有错误的 x-csrf-token 请求头，请刷新页面后重试',
          'x-csrf-token',
        );
      }
    }
  });
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure on HTTPS. */
export function setSessionCookie(
  reply: FastifyReply,
  secret: string,
  hours: number,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: hours * 3600,
  });
}
