/**
 * Export of a jurisdiction's ledger to .xlsx, in the census template's columns (so an export can
 * be edited and imported again), plus columns the system derives. Numbers are masked unless the
 * user asks for full ones, which only roles entitled to see them may; either way the export is
 * audit-logged with who, why, where, how many and whether full, before any row leaves.
 */
import { PassThrough, type Readable } from 'node:stream';
import {
  ELDER_STATUS_LABELS,
  RegionCode,
  isWithinJurisdiction,
  todayIso,
  type Category,
  type ElderData,
  type ElderStatus,
  type Role,
} from '@tanfang/domain';
import { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import type { Vault } from '../../crypto.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import type { ElderRow } from '../elders/elders.repository.js';
import { maskData, openData } from '../elders/elders.sealing.js';
import { rowOf, writeLedgerWorkbook } from '../imports/ledger-sheet.js';
import { withoutEmpty } from '../imports/query-params.js';
import { countLedger, ledgerPage, type LedgerFilter } from './exports.repository.js';

/** Roles that export the ledger (masked). */
const EXPORTERS: readonly Role[] = ['village', 'township', 'county', 'city', 'admin', 'auditor'];
/** Roles that may export full ID and phone numbers. */
const FULL_EXPORTERS: readonly Role[] = ['village', 'township', 'county', 'admin'];

const STATUSES = Object.keys(ELDER_STATUS_LABELS) as [ElderStatus, ...ElderStatus[]];

/** Query of `GET /api/exports/elders`. */
export const ExportQuery = z.strictObject({
  region: RegionCode.optional(),
  status: z
    .enum(STATUSES, { error: '状态应为 active、moved、institution、hospital 或 deceased' })
    .optional(),
  reason: z
    .string({ error: '请填写导出原因（reason）' })
    .trim()
    .min(1, { error: '请填写导出原因（reason）' })
    .max(200, { error: '导出原因最多 200 个字符' }),
  full: z.enum(['true', 'false'], { error: 'full 应为 true 或 false' }).default('false'),
});

const PAGE = 500;

/** Exports of the ledger. */
export class ExportsService {
  constructor(
    private readonly db: Executor,
    private readonly vault: Vault,
  ) {}

  /** The ledger within the actor's jurisdiction as a streamed .xlsx; logged before it is sent. */
  async elders(
    ctx: RequestContext,
    rawQuery: unknown,
  ): Promise<{ fileName: string; count: number; stream: Readable }> {
    if (!EXPORTERS.includes(ctx.actor.role)) throw forbidden('您的角色不能导出台账');
    const query = parseInput(ExportQuery, withoutEmpty(rawQuery), 'query');
    const full = query.full === 'true';
    if (full && !FULL_EXPORTERS.includes(ctx.actor.role)) {
      throw forbidden('您的角色无权导出完整的身份证号和电话，请导出遮盖号码的台账');
    }
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction)) {
      throw notFound('区域');
    }
    const filter: LedgerFilter = {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      status: query.status,
    };
    const count = await countLedger(this.db, filter);
    const region = query.region ?? ctx.actor.jurisdiction;
    await audit(this.db, ctx, {
      action: 'elder.export',
      entity: 'elder',
      regionCode: region,
      detail: {
        reason: query.reason,
        region,
        status: query.status ?? null,
        count,
        full,
        numbers: full ? 'full' : 'masked',
      },
    });
    const stream = new PassThrough();
    writeLedgerWorkbook(stream, this.rows(filter, full), { withFacts: true }).catch(
      (error: unknown) => stream.destroy(error as Error),
    );
    const name = `台账-${region || '全部'}-${todayIso()}${full ? '-完整号码' : ''}.xlsx`;
    return { fileName: name, count, stream };
  }

  /** The rows, page by page, with numbers in full or masked. */
  private async *rows(filter: LedgerFilter, full: boolean) {
    let after: ElderRow | undefined;
    for (;;) {
      const page = await ledgerPage(this.db, filter, after, PAGE);
      for (const row of page) yield rowOf(this.dataOf(row, full), this.factsOf(row, full));
      if (page.length < PAGE) return;
      after = page[page.length - 1];
    }
  }

  private dataOf(row: ElderRow, full: boolean): ElderData {
    const data = full
      ? {
          ...openData(row.data, this.vault),
          idNumber: this.vault.decrypt(row.id_enc),
          ...(row.phone_enc ? { phone: this.vault.decrypt(row.phone_enc) } : {}),
        }
      : {
          ...maskData(row.data, this.vault),
          idNumber: row.id_masked,
          ...(row.phone_masked ? { phone: row.phone_masked } : {}),
        };
    // Defaults for records stored before a field existed; the stored data wins.
    return {
      name: row.name,
      categories: [],
      incomeSources: [],
      benefits: [],
      householdMembers: [],
      supporters: [],
      help: [],
      livingConditions: {},
      assistance: 'none',
      ...data,
      villageCode: row.village_code,
    } as unknown as ElderData;
  }

  private factsOf(row: ElderRow, full: boolean) {
    return {
      gender: row.gender,
      // With the birth date, a masked ID's hidden digits would be readable.
      birthDate: full ? row.birth_date : '（已遮盖）',
      tier: row.tier,
      status: row.status,
      categories: row.categories as Category[],
    };
  }
}
