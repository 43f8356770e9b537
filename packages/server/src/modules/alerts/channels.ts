/**
 * Outbound channels behind one interface: a webhook (JSON, HMAC-signed, `Idempotency-Key` = the
 * alert's id) and a generic HTTP SMS gateway. A send resolves when the receiver answered 2xx and
 * throws otherwise; the outbox decides what to do next.
 */
import { createHmac } from 'node:crypto';
import {
  SmsChannelConfig,
  WebhookChannelConfig,
  smsContent,
  type AlertPayload,
  type ChannelKind,
} from '@tanfang/domain';
import { VERSION } from '../../config.js';

/** One delivery as a channel sends it. */
export interface OutboundDelivery {
  payload: AlertPayload;
  /** The on-duty phones of the alerted region now (used when the payload has none). */
  currentPhones: readonly string[];
}

/** An outbound channel: resolves once the receiver accepted the alert, throws otherwise. */
export interface AlertChannel {
  send(delivery: OutboundDelivery): Promise<void>;
}

/** Raised when a receiver refused or could not be reached; the message is shown to staff. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** Options every HTTP channel shares. */
export interface ChannelOptions {
  /** Give up on a receiver that has not answered within this time. */
  timeoutMs: number;
}

/** The header that carries the webhook's signature: `sha256=<hex HMAC-SHA256 of the body>`. */
export const SIGNATURE_HEADER = 'X-Tanfang-Signature';

/** The signature of a webhook body with the channel's secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': `tanfang/${VERSION}`,
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new DeliveryError(`接收方 ${Math.round(timeoutMs / 1000)} 秒内未响应`);
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, bad port…).
    throw new DeliveryError(`无法连接接收方：${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const text = (await response.text().catch(() => '')).slice(0, 200);
  throw new DeliveryError(`接收方返回 HTTP ${response.status}${text ? `：${text}` : ''}`);
}

/** A webhook: POSTs the alert as JSON, signed, with the alert's id as the idempotency key. */
export class WebhookChannel implements AlertChannel {
  constructor(
    private readonly config: WebhookChannelConfig,
    private readonly options: ChannelOptions,
  ) {}

  async send({ payload }: OutboundDelivery): Promise<void> {
    const body = JSON.stringify(payload);
    await post(
      this.config.url,
      body,
      {
        'Idempotency-Key': payload.id,
        [SIGNATURE_HEADER]: signBody(body, this.config.secret),
      },
      this.options.timeoutMs,
    );
  }
}

/** The body a generic SMS gateway receives. */
export interface SmsGatewayRequest {
  phones: string[];
  /** Chinese text, at most 300 characters. */
  content: string;
  signName?: string;
  templateCode?: string;
  /** The alert's id: a gateway that deduplicates can use it. */
  outId: string;
}

/** An SMS gateway: POSTs {phones, content, signName?, templateCode?} with an API key header. */
export class SmsChannel implements AlertChannel {
  constructor(
    private readonly config: SmsChannelConfig,
    private readonly options: ChannelOptions,
  ) {}

  async send({ payload, currentPhones }: OutboundDelivery): Promise<void> {
    const onDuty = payload.phones.length > 0 ? payload.phones : currentPhones;
    const phones = [...new Set([...onDuty, ...this.config.extraPhones])];
    if (phones.length === 0)
      throw new DeliveryError(
        '没有可发送的手机号：被提醒区域的值班人员未登记手机号，也未设固定接收号码',
      );
    const request: SmsGatewayRequest = {
      phones,
      content: smsContent(payload, this.config.signName),
      ...(this.config.signName ? { signName: this.config.signName } : {}),
      ...(this.config.templateCode ? { templateCode: this.config.templateCode } : {}),
      outId: payload.id,
    };
    await post(
      this.config.url,
      JSON.stringify(request),
      { [this.config.apiKeyHeader]: this.config.apiKey, 'Idempotency-Key': payload.id },
      this.options.timeoutMs,
    );
  }
}

/**
 * The channel of a stored configuration. A configuration that no longer parses (edited by hand)
 * throws a DeliveryError naming the problem, so the delivery shows it and is retried.
 */
export function channelOf(
  kind: ChannelKind,
  config: unknown,
  options: ChannelOptions,
): AlertChannel {
  switch (kind) {
    case 'webhook': {
      const parsed = WebhookChannelConfig.safeParse(config);
      if (!parsed.success)
        throw new DeliveryError(`渠道配置无效：${parsed.error.issues[0]?.message}`);
      return new WebhookChannel(parsed.data, options);
    }
    case 'sms': {
      const parsed = SmsChannelConfig.safeParse(config);
      if (!parsed.success)
        throw new DeliveryError(`渠道配置无效：${parsed.error.issues[0]?.message}`);
      return new SmsChannel(parsed.data, options);
    }
  }
}
