import {
  type RegionRef,
  RegionCode,
  isWithinJurisdiction,
  regionCodePath,
  type Region,
  type RegionWithPath,
} from '@tanfang/domain';
import { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import { notFound, parseInput } from '../../http/errors.js';
import {
  findChildren,
  findRegion,
  findRegions,
  searchRegions,
  type RegionRecord,
} from './regions.repository.js';

/** Query of `GET /api/regions`. */
export const RegionSearchQuery = z.strictObject({
  q: z
    .string({ error: '请输入要查找的名称' })
    .trim()
    .min(1, { error: '请输入要查找的名称' })
    .max(30, { error: '名称最多 30 个字符' }),
  limit: z.coerce.number({ error: 'limit 必须是数字' }).int().min(1).max(100).default(20),
});

function present(r: RegionRecord): Region {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    hasChildren: Boolean(r.has_children),
  };
}

/**
 * A user sees the regions within their jurisdiction, and the regions enclosing it (to name it);
 * everything else is "not found".
 */
export function canSeeRegion(jurisdiction: string, code: string): boolean {
  return isWithinJurisdiction(code, jurisdiction) || jurisdiction.startsWith(code);
}

/** Reads of the region tree, limited to what the user may see. */
export class RegionsService {
  constructor(private readonly db: Executor) {}

  /** One region with its path, e.g. for `GET /api/regions/:code`. */
  async get(ctx: RequestContext, rawCode: unknown): Promise<RegionWithPath> {
    const code = parseInput(RegionCode, rawCode, 'params');
    if (!canSeeRegion(ctx.actor.jurisdiction, code)) throw notFound('区域');
    const region = await findRegion(this.db, code);
    if (!region) throw notFound('区域');
    return this.withPath(region);
  }

  /** The children of a region within the jurisdiction. */
  async children(ctx: RequestContext, rawCode: unknown): Promise<{ items: Region[] }> {
    const code = parseInput(RegionCode, rawCode, 'params');
    if (!isWithinJurisdiction(code, ctx.actor.jurisdiction)) throw notFound('区域');
    const region = await findRegion(this.db, code);
    if (!region) throw notFound('区域');
    return { items: (await findChildren(this.db, code)).map(present) };
  }

  /** Regions within the jurisdiction whose name contains `q`. */
  async search(ctx: RequestContext, rawQuery: unknown): Promise<{ items: RegionWithPath[] }> {
    const query = parseInput(RegionSearchQuery, rawQuery, 'query');
    const rows = await searchRegions(this.db, ctx.actor.jurisdiction, query.q, query.limit);
    return { items: await Promise.all(rows.map((r) => this.withPath(r))) };
  }

  /** A region as responses carry it (code, name, full name); 404 when the code is unknown. */
  async ref(code: string): Promise<RegionRef> {
    const name = (await this.fullNames([code])).get(code);
    // fullNames falls back to the code itself for a code it does not know.
    if (!name || name.name === code) throw notFound('区域');
    return { code, ...name };
  }

  /** Full names (e.g. 辽宁省丹东市宽甸满族自治县) of several codes, in one query. */
  async fullNames(codes: string[]): Promise<Map<string, { name: string; fullName: string }>> {
    const all = [...new Set(codes.flatMap((c) => regionCodePath(c)))];
    const names = new Map((await findRegions(this.db, all)).map((r) => [r.code, r.name]));
    return new Map(
      codes.map((c) => [
        c,
        {
          name: names.get(c) ?? c,
          fullName: fullName(regionCodePath(c).flatMap((p) => names.get(p) ?? [])),
        },
      ]),
    );
  }

  /** Adds the chain of enclosing regions and the full name. */
  async withPath(region: RegionRecord): Promise<RegionWithPath> {
    const codes = regionCodePath(region.code);
    const found = new Map((await findRegions(this.db, codes)).map((r) => [r.code, r]));
    const path = codes.flatMap((c) => {
      const r = found.get(c);
      return r ? [{ code: r.code, name: r.name, level: r.level }] : [];
    });
    return { ...present(region), path, fullName: fullName(path.map((p) => p.name)) };
  }
}

/** Joins names into a full name, leaving out the placeholder 市辖区 / 省直辖县级行政区划 levels. */
export function fullName(names: string[]): string {
  return names.filter((n) => n !== '市辖区' && n !== '省直辖县级行政区划' && n !== '县').join('');
}
