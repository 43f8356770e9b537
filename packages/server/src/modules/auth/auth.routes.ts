import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, setSessionCookie } from '../../http/session.js';
import type { Services } from '../../services.js';

function meta(req: FastifyRequest) {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id };
}

/** `/api/auth`: login, logout, me. */
export function authRoutes(
  app: FastifyInstance,
  services: Services,
  cookie: { hours: number; secure: (req: FastifyRequest) => boolean },
): void {
  const tags = ['登录 auth'];
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '登录，返回用户与 CSRF 令牌',
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string' }, password: { type: 'string' } },
        },
      },
    },
    async (req, reply) => {
      const { secret, session } = await services.auth.login(req.body, meta(req));
      setSessionCookie(reply, secret, cookie.hours, cookie.secure(req));
      return session;
    },
  );
  app.post('/api/auth/logout', { schema: { tags, summary: '退出登录' } }, async (req, reply) => {
    const ctx = req.ctx();
    await services.auth.logout(req.cookies[SESSION_COOKIE]!, ctx.actor, meta(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
  app.get('/api/auth/me', { schema: { tags, summary: '当前用户' } }, async (req) => {
    req.ctx();
    const session = req.session!;
    return { user: await services.users.present(session.user), csrfToken: session.csrfToken };
  });
}
