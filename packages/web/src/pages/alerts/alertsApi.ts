import type {
  AlertQueueDto,
  ChannelCreateBody,
  ChannelDto,
  ChannelPatchInput,
  OutboundAlertDto,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of the alert queue (提醒) and the outbound channels (通知渠道). */
export const alertsApi = {
  /** The signed-in user's queue, most urgent first. */
  queue: () => request<AlertQueueDto>('GET', '/api/alerts/queue'),
  channels: () => request<ChannelDto[]>('GET', '/api/notification-channels'),
  createChannel: (input: ChannelCreateBody) =>
    request<ChannelDto>('POST', '/api/notification-channels', { body: input }),
  updateChannel: (channelId: string, patch: ChannelPatchInput) =>
    request<ChannelDto>('PATCH', `/api/notification-channels/${id(channelId)}`, { body: patch }),
  /** Queues a test message on the channel (sent by the outbox within seconds). */
  testChannel: (channelId: string) =>
    request<{ alertId: string }>('POST', `/api/notification-channels/${id(channelId)}/test`),
  /** The latest alerts sent out, with each delivery's state. */
  outbound: (params: { channel?: string; limit?: number }) =>
    request<OutboundAlertDto[]>('GET', '/api/alerts', { query: { ...params } }),
};
