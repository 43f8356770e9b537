import {
  FindingListQuery,
  isWithinJurisdiction,
  type FindingListItemDto,
  type FindingListPage,
  type Role,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { elderReadableBy, toFindingDto } from '../visits/visits.service.js';
import { findingsOfElder, listFindings, type FindingListRow } from './findings.repository.js';

/** Roles that read the findings of a region. */
export const FINDING_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

/** Findings (发现的问题) visits raised; the next issue follows them to their end. */
export class FindingsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /**
   * `GET /api/findings?region=&status=&severity=&type=`: a page of the findings of a region,
   * 紧急 first, then newest.
   */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<FindingListPage> {
    if (!FINDING_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看辖区的发现问题');
    const query = parseInput(FindingListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total, emergencies } = await listFindings(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      status: query.status,
      severity: query.severity,
      type: query.type,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'finding.list',
      entity: 'finding',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: await this.present(rows),
      total,
      emergencies,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/elders/:id/findings`: an elder's findings, newest first. */
  async ofElder(ctx: RequestContext, elderId: string): Promise<{ items: FindingListItemDto[] }> {
    const elder = await elderReadableBy(this.db, ctx, elderId);
    const rows = await findingsOfElder(this.db, elder.id);
    await audit(this.db, ctx, {
      action: 'finding.list',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { returned: rows.length },
    });
    return { items: await this.present(rows) };
  }

  private async present(rows: FindingListRow[]): Promise<FindingListItemDto[]> {
    const places = await this.regions.fullNames(rows.map((r) => r.village_code));
    return rows.map((r) => ({
      ...toFindingDto(r),
      visitId: r.visit_id,
      visitedAt: r.visited_at.toISOString(),
      createdAt: r.created_at.toISOString(),
      elder: { id: r.elder_id, name: r.elder_name },
      village: { code: r.village_code, ...places.get(r.village_code)! },
    }));
  }
}
