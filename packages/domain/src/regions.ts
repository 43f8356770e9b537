import { z } from 'zod';

/** Administrative levels of the national statistical division codes (统计用区划代码). */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
/** One administrative level. */
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Chinese name of each level, as on the official forms. */
export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  county: '县(市、区)',
  township: '乡镇(街道)',
  village: '村(居)',
};

/** Code length of each level: province 2, city 4, county 6, township 9, village 12 digits. */
export const REGION_CODE_LENGTH: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

const LEVEL_BY_LENGTH = new Map<number, RegionLevel>(
  REGION_LEVELS.map((level) => [REGION_CODE_LENGTH[level], level]),
);

/** The level a code denotes by its length, or undefined if the length is not a level's. */
export function regionLevelOf(code: string): RegionLevel | undefined {
  return /^\d+$/.test(code) ? LEVEL_BY_LENGTH.get(code.length) : undefined;
}

/** The code of the enclosing region one level up, or undefined for a province. */
export function parentRegionCode(code: string): string | undefined {
  const level = regionLevelOf(code);
  if (!level || level === 'province') return undefined;
  const up = REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1]!;
  return code.slice(0, REGION_CODE_LENGTH[up]);
}

/**
 * How many leading digits of a village code name a child region of `code` (its cities, counties,
 * townships or villages); a village's own length for a village, which has no children.
 */
export function childCodeLength(code: string): number {
  const level = regionLevelOf(code);
  if (!level || level === 'village') return code.length;
  return REGION_CODE_LENGTH[REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1]!];
}

/** Codes of every enclosing region, outermost first, ending with the code itself. */
export function regionCodePath(code: string): string[] {
  const path: string[] = [];
  for (let c: string | undefined = code; c; c = parentRegionCode(c)) path.unshift(c);
  return path;
}

/** Whether `code` lies within (or is) the jurisdiction given by the prefix `jurisdiction`. */
export function isWithinJurisdiction(code: string, jurisdiction: string): boolean {
  return code.startsWith(jurisdiction);
}

/** A well-formed region code: 2, 4, 6, 9 or 12 digits. Existence is checked against the database. */
export const RegionCode = z
  .string({ error: '区划代码必须是字符串' })
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, {
    error: '区划代码格式不正确：应为 2、4、6、9 或 12 位数字',
  });
/** A well-formed region code. */
export type RegionCode = z.infer<typeof RegionCode>;

/** A region as the API presents it. */
export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** Whether it has child regions loaded in this installation. */
  hasChildren: boolean;
}

/** A region with the chain of enclosing regions, outermost first (the region itself last). */
export interface RegionWithPath extends Region {
  path: { code: string; name: string; level: RegionLevel }[];
  /** Full name, e.g. 辽宁省丹东市宽甸满族自治县. */
  fullName: string;
}
