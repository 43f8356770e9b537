import { describe, expect, it } from 'vitest';
import { idCheckCharacter, todayIso } from './idcard.js';
import {
  AssignInput,
  AssignmentListQuery,
  EndAssignmentInput,
  ReassignInput,
  VisitorFields,
  VisitorPatch,
} from './visitors.js';

const ELDER = '019a0000-0000-7000-8000-000000000001';
const VISITOR = '019a0000-0000-7000-8000-000000000002';
const OTHER = '019a0000-0000-7000-8000-000000000003';

/** A valid ID number whose check character is X. */
const ID_X = Array.from({ length: 500 }, (_, i) => `21062419800101${String(i).padStart(3, '0')}`)
  .map((first17) => first17 + idCheckCharacter(first17))
  .find((id) => id.endsWith('X'))!;

/** The field and message of the first issue. */
function firstIssue(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  const issue = result.error!.issues[0]!;
  return { field: issue.path.map(String).join('.'), message: issue.message };
}

describe('visitor fields', () => {
  it('accepts a village cadre with a phone and an ID number, upper-casing the check character', () => {
    const parsed = VisitorFields.parse({
      name: ' 刘春梅 ',
      type: 'cadre',
      phone: '13904150101',
      idNumber: ID_X.toLowerCase(),
      regionCode: '210624101201',
    });
    expect(parsed.name).toBe('刘春梅');
    expect(parsed.idNumber).toBe(ID_X);
  });

  it('asks for the phone by name when it is missing, and rejects a malformed one', () => {
    const base = { name: '刘春梅', type: 'volunteer', regionCode: '210624101' };
    expect(firstIssue(VisitorFields.safeParse(base))).toEqual({
      field: 'phone',
      message: '请填写联系电话',
    });
    expect(firstIssue(VisitorFields.safeParse({ ...base, phone: '12345' })).message).toBe(
      '电话号码格式不正确',
    );
  });

  it('refuses a province or city as the area a visitor covers', () => {
    const r = VisitorFields.safeParse({
      name: '刘春梅',
      type: 'grid_worker',
      phone: '13904150101',
      regionCode: '2106',
    });
    expect(firstIssue(r).field).toBe('regionCode');
  });

  it('lists the visitor types in Chinese when the type is unknown', () => {
    const r = VisitorFields.safeParse({
      name: '刘春梅',
      type: 'police',
      phone: '13904150101',
      regionCode: '210624',
    });
    expect(firstIssue(r).message).toContain('网格员');
  });

  it('needs the version on a change and lets null unlink the account', () => {
    expect(firstIssue(VisitorPatch.safeParse({ name: '新名' })).field).toBe('version');
    expect(VisitorPatch.parse({ version: 2, userId: null })).toEqual({ version: 2, userId: null });
  });
});

describe('assignment inputs', () => {
  it('starts today when no start date is given', () => {
    const parsed = AssignInput.parse({ elderIds: [ELDER], visitorId: VISITOR, role: 'primary' });
    expect(parsed.startDate).toBe(todayIso());
  });

  it('refuses a start date in the future and the same elder twice', () => {
    expect(
      firstIssue(
        AssignInput.safeParse({
          elderIds: [ELDER],
          visitorId: VISITOR,
          role: 'backup',
          startDate: '2999-01-01',
        }),
      ),
    ).toEqual({ field: 'startDate', message: '开始日期不能晚于今天' });
    expect(
      firstIssue(
        AssignInput.safeParse({ elderIds: [ELDER, ELDER], visitorId: VISITOR, role: 'backup' }),
      ).message,
    ).toBe('老年人列表中有重复');
  });

  it('needs a reason to end an assignment', () => {
    expect(
      firstIssue(EndAssignmentInput.safeParse({ endDate: '2026-11-01', reason: ' ' })),
    ).toEqual({ field: 'reason', message: '请填写结束原因' });
  });

  it('reads the unassigned filter from a query string', () => {
    expect(AssignmentListQuery.parse({ unassigned: 'true' }).unassigned).toBe(true);
    expect(AssignmentListQuery.parse({ unassigned: 'false' }).unassigned).toBe(false);
    expect(firstIssue(AssignmentListQuery.safeParse({ unassigned: 'yes' })).field).toBe(
      'unassigned',
    );
  });
});

describe('reassignment input', () => {
  const base = { toVisitorId: OTHER, reason: '原探访人外出务工' };

  it('takes one of three scopes and defaults the effective date to today', () => {
    const parsed = ReassignInput.parse({
      ...base,
      scope: { kind: 'village', villageCode: '210624101201' },
    });
    expect(parsed.effectiveDate).toBe(todayIso());
    const bad = ReassignInput.safeParse({ ...base, scope: { kind: 'county', code: '210624' } });
    expect(firstIssue(bad).message).toContain('village（整村）');
  });

  it('marks a visitor as left only when moving everything that visitor holds', () => {
    const r = ReassignInput.safeParse({
      ...base,
      scope: { kind: 'elder', elderId: ELDER },
      visitorLeaves: true,
    });
    expect(firstIssue(r).field).toBe('visitorLeaves');
    expect(
      ReassignInput.safeParse({
        ...base,
        scope: { kind: 'visitor', visitorId: VISITOR },
        visitorLeaves: true,
      }).success,
    ).toBe(true);
  });

  it('refuses handing a visitor’s elders to that same visitor', () => {
    const r = ReassignInput.safeParse({
      ...base,
      toVisitorId: VISITOR,
      scope: { kind: 'visitor', visitorId: VISITOR },
    });
    expect(firstIssue(r)).toEqual({
      field: 'toVisitorId',
      message: '接替的探访人员不能是原探访人员本人',
    });
  });
});
