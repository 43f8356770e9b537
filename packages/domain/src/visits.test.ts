import { describe, expect, it } from 'vitest';
import { distanceKm, proofFlags } from './visits.js';

const home = { lat: 40.73, lng: 124.78 };
const base = {
  visitedAt: '2026-11-20T09:00:00+08:00',
  enteredAt: '2026-11-20T01:05:00Z',
  deviceTime: '2026-11-20T01:05:30Z',
  location: { ...home, accuracy: 12, capturedAt: '2026-11-20T01:00:00Z' },
  earlierLocations: [home, home],
};

describe('proofFlags', () => {
  it('raises nothing for a visit sent on time, from home, with a good fix', () => {
    expect(proofFlags(base)).toEqual({ clockSkewMinutes: 1, flags: [] });
  });

  it('flags a device clock, a late entry, a far place and a weak fix, in Chinese', () => {
    const { flags } = proofFlags({
      ...base,
      enteredAt: '2026-11-25T01:00:00Z',
      deviceTime: '2026-11-25T00:20:00Z',
      location: { lat: 40.82, lng: 124.78, accuracy: 900, capturedAt: '2026-11-20T01:00:00Z' },
    });
    expect(flags.map((f) => f.message)).toEqual([
      '设备时间与服务器接收时间相差 40 分钟',
      '探访 5 天后补录',
      '定位距以往上门探访位置约 10 公里',
      '定位精度较差（约 900 米）',
    ]);
  });

  it('never calls the first located visit far (there is nothing to compare with)', () => {
    expect(proofFlags({ ...base, earlierLocations: [] }).flags).toEqual([]);
    expect(distanceKm(home, { lat: 40.74, lng: 124.78 })).toBeCloseTo(1.11, 1);
  });
});
