/**
 * The outbox against local receivers the tests start: a webhook delivered once with a valid
 * signature; a receiver that is down (retried and shown as pending with the error, delivered once
 * when it is back on the same port); an SMS gateway that gets the on-duty phones and Chinese text.
 */
import { createHmac } from 'node:crypto';
import {
  SMS_MAX_LENGTH,
  type AlertPayload,
  type ChannelDto,
  type OutboundAlertDto,
} from '@tanfang/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildElder, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { raiseAlert } from './alerts.repository.js';
import { OutboxDispatcher } from './dispatcher.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const SECRET = 'webhook-secret-for-tests-2026';
const SMS_KEY = 'gateway-key-778899';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Runs the dispatcher step by step until `done` holds (each step waits for due retries). */
async function until(
  dispatcher: OutboxDispatcher,
  done: () => Promise<boolean> | boolean,
  steps = 200,
): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await dispatcher.runOnce();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}

describeEachDatabase('alert deliveries through the outbox', (env) => {
  let county: Client;
  let receiver: Receiver;
  let dispatcher: OutboxDispatcher;
  let elderId: string;
  let webhook: ChannelDto;

  beforeAll(async () => {
    receiver = await startReceiver();
    county = await env().signIn('county', COUNTY);
    const village = await env().signIn('village', DONGCHA);
    const r = await village.post(
      '/api/elders',
      buildElder({ name: '王秀英', idNumber: idNumber() }),
    );
    expect(r.statusCode, r.body).toBe(201);
    elderId = r.json().id;
    // The on-duty staff of 东岔村 (one with a phone, one off duty, one without a phone).
    await env().createUser('village', DONGCHA, { phone: '13904150201', display_name: '值班甲' });
    const off = await env().createUser('village', DONGCHA, { phone: '13904150202' });
    await env()
      .database.db.updateTable('users')
      .set({ on_duty: false })
      .where('id', '=', off.id)
      .execute();
    await env().createUser('village', DONGCHA);
    const res = await county.post('/api/notification-channels', {
      regionCode: TOWNSHIP,
      kind: 'webhook',
      name: '灌水镇值班系统',
      config: { url: `${receiver.url}/hook`, secret: SECRET },
      alertKinds: ['emergency'],
    });
    expect(res.statusCode, res.body).toBe(201);
    webhook = res.json();
    dispatcher = new OutboxDispatcher(
      env().database.db,
      { intervalMs: 20, leaseMs: 5_000, backoffMs: 20, backoffMaxMs: 80, sendTimeoutMs: 2_000 },
      quiet,
    );
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.stop();
  });

  /** An emergency alert as the emergencies module raises it, committed. */
  const raise = (title: string, kind: 'emergency' | 'finding_overdue' = 'emergency') =>
    env()
      .database.db.transaction()
      .execute((trx) =>
        raiseAlert(trx, {
          kind,
          regionCode: DONGCHA,
          elderId,
          countyCode: COUNTY,
          subjectType: 'finding',
          subjectId: crypto.randomUUID(),
          title,
          body: '探访人员报告：老人在家中摔倒，已拨打 120',
        }),
      );

  const outbound = async (): Promise<OutboundAlertDto[]> => {
    const res = await county.get(`/api/alerts?channel=${webhook.id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const stateOf = async (alertId: string) =>
    (await outbound()).find((a) => a.id === alertId)!.deliveries[0]!;

  it('delivers a webhook once, signed, with the alert id as its idempotency key', async () => {
    const alertId = (await raise('摔倒'))!;
    expect(alertId).toBeTruthy();
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    expect(req!.path).toBe('/hook');
    expect(req!.headers['idempotency-key']).toBe(alertId);
    expect(req!.headers['content-type']).toContain('application/json');
    const expected = `sha256=${createHmac('sha256', SECRET).update(req!.body).digest('hex')}`;
    expect(req!.headers['x-tanfang-signature']).toBe(expected);
    const payload = JSON.parse(req!.body) as AlertPayload;
    expect(payload).toMatchObject({
      id: alertId,
      kind: 'emergency',
      regionCode: DONGCHA,
      elderId,
      elderName: '王秀英',
      place: '宽甸满族自治县灌水镇东岔村委会',
      title: '摔倒',
      phones: ['13904150201'],
    });
    const d = await stateOf(alertId);
    expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(d.deliveredAt).not.toBeNull();
    // A kind the channel does not carry queues nothing on it.
    await raise('燃气隐患逾期', 'finding_overdue');
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it('keeps retrying while the receiver is down, shows it pending with the error, and delivers once when it is back', async () => {
    await receiver.stop();
    const alertId = (await raise('联系不上'))!;
    expect(await dispatcher.runOnce()).toBe(1);
    let d = await stateOf(alertId);
    expect(d).toMatchObject({ state: 'retrying', attempts: 1, deliveredAt: null });
    expect(d.lastError).toMatch(/^无法连接接收方/);
    const channels: ChannelDto[] = (await county.get('/api/notification-channels')).json();
    const stats = channels.find((c) => c.id === webhook.id)!.deliveries;
    expect(stats).toMatchObject({ retrying: 1, delivered: 1 });
    expect(stats.lastError).toMatch(/^无法连接接收方/);
    // Still down after many attempts: flagged as failing, never dropped.
    await until(dispatcher, async () => (await stateOf(alertId)).state === 'failed');
    d = await stateOf(alertId);
    expect(d.attempts).toBeGreaterThanOrEqual(6);
    expect(d.nextAttemptAt).not.toBeNull();
    const before = receiver.requests.length;
    await receiver.start();
    await until(dispatcher, async () => (await stateOf(alertId)).state === 'delivered');
    const arrived = receiver.requests.slice(before);
    expect(arrived.map((r) => r.headers['idempotency-key'])).toEqual([alertId]);
    expect(receiver.unique().filter((r) => r.headers['idempotency-key'] === alertId)).toHaveLength(
      1,
    );
    for (let i = 0; i < 3; i++) await dispatcher.runOnce();
    expect(receiver.requests.length).toBe(before + 1);
  });

  it('retries a receiver that answers 503, with the status in the error', async () => {
    receiver.mode = { status: 503 };
    const alertId = (await raise('煤气味'))!;
    await dispatcher.runOnce();
    expect((await stateOf(alertId)).lastError).toMatch(/^接收方返回 HTTP 503/);
    receiver.mode = 'accept';
    await until(dispatcher, async () => (await stateOf(alertId)).state === 'delivered');
  });

  it('holds what was queued on a channel switched off until it is switched on again', async () => {
    const alertId = (await raise('走失'))!;
    const path = `/api/notification-channels/${webhook.id}`;
    expect((await county.patch(path, { active: false })).statusCode).toBe(200);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await stateOf(alertId)).toMatchObject({ state: 'pending', attempts: 0 });
    // While it is off, new alerts are not queued on it.
    const meanwhile = (await raise('又走失'))!;
    expect((await outbound()).map((a) => a.id)).not.toContain(meanwhile);
    expect((await county.patch(path, { active: true })).statusCode).toBe(200);
    expect(await dispatcher.runOnce()).toBe(1);
    expect((await stateOf(alertId)).state).toBe('delivered');
  });

  it('sends an SMS gateway the on-duty phones and a Chinese text of at most 300 characters', async () => {
    const res = await county.post('/api/notification-channels', {
      regionCode: COUNTY,
      kind: 'sms',
      name: '宽甸县短信平台',
      config: {
        url: `${receiver.url}/sms/send`,
        apiKey: SMS_KEY,
        apiKeyHeader: 'X-Gateway-Key',
        signName: '宽甸民政',
        templateCode: 'SMS_0001',
        extraPhones: ['0415-5123456'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const before = receiver.requests.length;
    const alertId = (await raise('老人摔倒后无法起身'))!;
    await until(dispatcher, () => receiver.requests.some((r) => r.path === '/sms/send'));
    const sms = receiver.requests.slice(before).find((r) => r.path === '/sms/send')!;
    expect(sms.headers['x-gateway-key']).toBe(SMS_KEY);
    const body = JSON.parse(sms.body);
    expect(body).toMatchObject({
      phones: ['13904150201', '0415-5123456'],
      signName: '宽甸民政',
      templateCode: 'SMS_0001',
      outId: alertId,
    });
    expect(body.content).toMatch(
      /^【宽甸民政】紧急情况：宽甸满族自治县灌水镇东岔村委会 王秀英 老人摔倒后无法起身/,
    );
    expect(body.content).toMatch(/请立即处置。$/);
    expect(body.content.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
  });

  it('keeps a long alert within 300 characters', async () => {
    const before = receiver.requests.length;
    await raise('情况'.repeat(200));
    await until(dispatcher, () =>
      receiver.requests.slice(before).some((r) => r.path === '/sms/send'),
    );
    const sms = receiver.requests.slice(before).find((r) => r.path === '/sms/send')!;
    const { content } = JSON.parse(sms.body) as { content: string };
    expect(content.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(content).toContain('…');
    expect(content).toMatch(/请立即处置。$/);
  });
});
