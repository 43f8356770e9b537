import { DutyInput, PasswordResetInput, UserCreateInput, UserUpdateInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/users`: account management for admins. */
export function usersRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['用户 users'];
  app.get('/api/users', { schema: { tags, summary: '辖区内的用户' } }, (req) =>
    services.users.list(req.ctx(), req.query),
  );
  app.get('/api/users/:id', { schema: { tags, summary: '一个用户' } }, (req) =>
    services.users.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/users',
    { schema: { tags, summary: '新建用户', body: doc(UserCreateInput) } },
    async (req, reply) => reply.status(201).send(await services.users.create(req.ctx(), req.body)),
  );
  app.patch(
    '/api/users/:id',
    { schema: { tags, summary: '修改用户', body: doc(UserUpdateInput) } },
    (req) => services.users.update(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    { schema: { tags, summary: '重置密码', body: doc(PasswordResetInput) } },
    async (req, reply) => {
      await services.users.resetPassword(req.ctx(), id(req), req.body);
      return reply.status(204).send();
    },
  );
  app.patch(
    '/api/users/me/duty',
    { schema: { tags, summary: '本人值班状态（值班人员即时接收紧急情况）', body: doc(DutyInput) } },
    (req) => services.users.setOwnDuty(req.ctx(), req.body),
  );
  app.post('/api/users/:id/unlock', { schema: { tags, summary: '解锁账户' } }, (req) =>
    services.users.unlock(req.ctx(), id(req)),
  );
}
