import { describe, expect, it } from 'vitest';
import {
  ChannelCreateInput,
  SMS_MAX_LENGTH,
  deliveryStateOf,
  isMaskedSecret,
  maskSecret,
  smsContent,
  type AlertPayload,
} from './alerts.js';

const payload = (over: Partial<AlertPayload> = {}): AlertPayload => ({
  id: '01a24c06-52d4-762c-955c-70de151802ee',
  kind: 'emergency',
  regionCode: '210624101201',
  elderId: null,
  elderName: '王秀英',
  place: '宽甸满族自治县灌水镇东岔村委会',
  subjectType: 'finding',
  subjectId: '01a24c06-52d4-762c-955c-70de151802ef',
  title: '摔倒在家',
  body: '已拨打 120',
  urgency: 0,
  createdAt: '2026-12-06T08:00:00Z',
  phones: [],
  ...over,
});

describe('smsContent', () => {
  it('says what, where and who, and asks to act at once on an emergency', () => {
    expect(smsContent(payload())).toBe(
      '【探访关爱】紧急情况：宽甸满族自治县灌水镇东岔村委会 王秀英 摔倒在家，已拨打 120。请立即处置。',
    );
    expect(smsContent(payload({ kind: 'finding_overdue', elderName: null }), '宽甸民政')).toBe(
      '【宽甸民政】问题已逾期：宽甸满族自治县灌水镇东岔村委会 摔倒在家，已拨打 120。请及时处理。',
    );
  });

  it('never exceeds 300 characters, cutting the detail and keeping the call to act', () => {
    const text = smsContent(payload({ body: '情况说明'.repeat(200) }));
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(text).toMatch(/…。请立即处置。$/);
  });
});

describe('delivery states and secrets', () => {
  it('tells a first try from a retry', () => {
    expect(deliveryStateOf({ status: 'pending', attempts: 0 })).toBe('pending');
    expect(deliveryStateOf({ status: 'pending', attempts: 2 })).toBe('retrying');
    expect(deliveryStateOf({ status: 'failed', attempts: 7 })).toBe('failed');
    expect(deliveryStateOf({ status: 'delivered', attempts: 1 })).toBe('delivered');
  });

  it('masks a secret to its last four characters, and knows a mask sent back', () => {
    expect(maskSecret('hook-secret-0123456789')).toBe('••••••6789');
    expect(isMaskedSecret(maskSecret('abcdefgh'))).toBe(true);
    expect(isMaskedSecret('abcdefgh')).toBe(false);
  });

  it('fills in the SMS gateway defaults', () => {
    const parsed = ChannelCreateInput.parse({
      regionCode: '210624',
      kind: 'sms',
      name: '县短信平台',
      config: { url: 'https://sms.example.cn/send', apiKey: 'k-12345678' },
    });
    expect(parsed).toMatchObject({
      alertKinds: [],
      active: true,
      config: { apiKeyHeader: 'X-Api-Key', extraPhones: [] },
    });
  });
});
