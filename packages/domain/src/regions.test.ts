import { describe, expect, it } from 'vitest';
import {
  childCodeLength,
  RegionCode,
  isWithinJurisdiction,
  parentRegionCode,
  regionCodePath,
  regionLevelOf,
} from './regions.js';

describe('region codes', () => {
  it('tells the level from the length of the code', () => {
    expect(regionLevelOf('21')).toBe('province');
    expect(regionLevelOf('2106')).toBe('city');
    expect(regionLevelOf('210624')).toBe('county');
    expect(regionLevelOf('210624100')).toBe('township');
    expect(regionLevelOf('210624100201')).toBe('village');
    expect(regionLevelOf('21062')).toBeUndefined();
    expect(regionLevelOf('21a6')).toBeUndefined();
  });

  it('walks up from a village to its province', () => {
    expect(parentRegionCode('210624100201')).toBe('210624100');
    expect(parentRegionCode('21')).toBeUndefined();
    expect(regionCodePath('210624100201')).toEqual([
      '21',
      '2106',
      '210624',
      '210624100',
      '210624100201',
    ]);
  });

  it('tells how many digits name a child region, a village having none', () => {
    expect(childCodeLength('21')).toBe(4);
    expect(childCodeLength('2106')).toBe(6);
    expect(childCodeLength('210624')).toBe(9);
    expect(childCodeLength('210624101')).toBe(12);
    expect(childCodeLength('210624101201')).toBe(12);
  });

  it('treats a jurisdiction as a code prefix', () => {
    expect(isWithinJurisdiction('210624100201', '2106')).toBe(true);
    expect(isWithinJurisdiction('210681100201', '210624')).toBe(false);
  });

  it('refuses malformed codes with a Chinese message', () => {
    const result = RegionCode.safeParse("21'; drop table regions;--");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('区划代码格式不正确');
    expect(RegionCode.safeParse('210624100201').success).toBe(true);
  });
});
