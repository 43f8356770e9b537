import { ChannelCreateInput, ChannelPatchInput, OutboundAlertQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../http/session.js';
import type { Services } from '../../services.js';
import { AlertStreams, type StreamOptions } from './alert-stream.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;

/**
 * `/api/alerts`: the user's alert queue (提醒) and its live stream; `/api/notification-channels`:
 * the outbound channels (通知渠道) and what was sent on them.
 */
export function alertsRoutes(
  app: FastifyInstance,
  services: Services,
  streamOptions: Partial<StreamOptions> = {},
): void {
  const tags = ['提醒 alerts'];
  const streams = new AlertStreams(services.alertBus, services.database.db, streamOptions);
  // Open streams never end on their own: close them first, or app.close() would wait forever.
  app.addHook('preClose', (done) => {
    streams.closeAll();
    done();
  });

  app.get(
    '/api/alerts/queue',
    {
      schema: {
        tags,
        summary:
          '本人的提醒：紧急情况、即将或已超期的问题、逾期探访、专项探访任务、转介，按紧急程度排序',
      },
    },
    (req) => services.alerts.queue(req.ctx()),
  );
  app.get(
    '/api/alerts/stream',
    {
      schema: {
        tags,
        summary:
          '提醒实时推送（Server-Sent Events）：辖区内有变化时发送 queue 事件，客户端随即重新读取提醒；每 25 秒一次心跳',
      },
    },
    (req, reply) => {
      // Authenticated and authorized before the response is taken over: errors are plain JSON.
      const actor = services.alerts.assertCanStream(req.ctx());
      reply.hijack();
      streams.open(reply.raw, actor, req.cookies[SESSION_COOKIE] ?? '', req.id);
    },
  );
  app.get(
    '/api/alerts',
    {
      schema: {
        tags,
        summary: '辖区内最近发出的提醒及其在各通知渠道的送达情况（?channel=&limit=）',
        querystring: doc(OutboundAlertQuery),
      },
    },
    (req) => services.alerts.outbound(req.ctx(), req.query),
  );

  const channelTags = ['通知渠道 notification channels'];
  app.get(
    '/api/notification-channels',
    {
      schema: {
        tags: channelTags,
        summary:
          '辖区内的通知渠道（Webhook、短信网关），含待发送、重试、已送达数量与最近的错误；密钥只显示末 4 位',
      },
    },
    (req) => services.alerts.listChannels(req.ctx()),
  );
  app.post(
    '/api/notification-channels',
    {
      schema: {
        tags: channelTags,
        summary: '新增通知渠道（县、市、系统管理员）',
        body: doc(ChannelCreateInput),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await services.alerts.createChannel(req.ctx(), req.body)),
  );
  app.patch(
    '/api/notification-channels/:id',
    {
      schema: {
        tags: channelTags,
        summary: '修改通知渠道：名称、提醒类型、启用，或整个配置（不填或原样回传的密钥保持不变）',
        body: doc(ChannelPatchInput),
      },
    },
    (req) => services.alerts.updateChannel(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/notification-channels/:id/test',
    { schema: { tags: channelTags, summary: '向此渠道发送一条测试消息（经发送队列）' } },
    async (req, reply) =>
      reply.status(202).send(await services.alerts.testChannel(req.ctx(), id(req))),
  );
}
