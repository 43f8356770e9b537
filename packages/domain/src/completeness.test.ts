import { describe, expect, it } from 'vitest';
import {
  COMPLETENESS_FIELDS,
  completeness,
  completenessFactsOf,
  missingFields,
  COMPLETENESS_FIELD_LABELS,
  COMPLETENESS_FIELD_SOURCES,
  isLedgerComplete,
  missingLedgerFields,
  type LedgerCompletenessFacts,
} from './completeness.js';

/** A record with every field the forms ask of an elder who is not disabled and not 留守 (one child, with a phone). */
function complete(
  data: Record<string, unknown> = {},
  categories: string[] = [],
): LedgerCompletenessFacts {
  return {
    hasPhone: true,
    categories,
    data: {
      name: '王秀英',
      ethnicity: '满族',
      registeredAddress: '辽宁省丹东市宽甸满族自治县灌水镇东岔村',
      villageCode: '210624101201',
      addressDetail: '三组 12 号',
      livesAtRegisteredPlace: true,
      emergencyContact: { name: '李明', phone: 'sealed:abc' },
      disability: { disabled: false },
      health: 'healthy',
      livingSituation: 'fair',
      incomeSources: ['pension'],
      assistance: 'none',
      monthlyHouseholdIncome: 0,
      livingConditions: { safeWater: true, safeElectricity: false, safeHousing: true },
      supporters: [{ kind: 'child', name: '李明', phone: 'sealed:abc' }],
      ...data,
    },
  };
}

describe('ledger completeness (台账完整)', () => {
  it('finds nothing missing in a record with every field the forms ask, counting 0 yuan and 否 as answers', () => {
    expect(missingLedgerFields(complete())).toEqual([]);
    expect(isLedgerComplete(complete())).toBe(true);
  });

  it('names the fields an empty record lacks, in the forms’ order, and not the ones asked only in a case', () => {
    const missing = missingLedgerFields({ data: {}, hasPhone: false, categories: [] });
    expect(missing).toEqual([
      'ethnicity',
      'registeredAddress',
      'addressDetail',
      'livesAtRegisteredPlace',
      'phone',
      'emergencyContact',
      'disability',
      'health',
      'livingSituation',
      'incomeSources',
      'safeWater',
      'safeElectricity',
      'safeHousing',
      'monthlyHouseholdIncome',
      'supporters',
    ]);
  });

  it('treats blank text, an empty list and a contact without a phone as missing', () => {
    expect(
      missingLedgerFields(
        complete({
          registeredAddress: '   ',
          incomeSources: [],
          emergencyContact: { name: '李明' },
        }),
      ),
    ).toEqual(['registeredAddress', 'emergencyContact', 'incomeSources']);
  });

  it('asks a disabled elder for the certificate number and grade', () => {
    expect(missingLedgerFields(complete({ disability: { disabled: true } }))).toEqual([
      'disabilityCertificate',
      'disabilityGrade',
    ]);
    expect(
      missingLedgerFields(
        complete({ disability: { disabled: true, certificateNumber: '2106241948', grade: 2 } }),
      ),
    ).toEqual([]);
  });

  it('asks for the phone of every child and supporter listed', () => {
    const supporters = [
      { kind: 'child', name: '李明', phone: 'sealed:x' },
      { kind: 'other_supporter', name: '李强' },
    ];
    expect(missingLedgerFields(complete({ supporters }))).toEqual(['supporterPhones']);
  });

  it('asks a 留守 elder where and since when each child is away, and the temporary caregiver', () => {
    const away = {
      kind: 'child',
      name: '李明',
      phone: 'x',
      workPlace: '大连市',
      awaySince: '2020-03',
    };
    expect(missingLedgerFields(complete({ supporters: [away] }, ['left_behind']))).toEqual([
      'caregiver',
    ]);
    expect(
      missingLedgerFields(
        complete({ supporters: [{ ...away, workPlace: '' }] }, ['left_behind', 'very_old']),
      ),
    ).toEqual(['childrenAway', 'caregiver']);
    expect(
      isLedgerComplete(
        complete(
          { supporters: [away], caregiver: { name: '张芳', relation: '邻居', phone: 'x' } },
          ['left_behind'],
        ),
      ),
    ).toBe(true);
  });

  it('reads an old or odd record without failing', () => {
    expect(
      missingLedgerFields({
        data: { disability: 'yes', livingConditions: null, supporters: 'none', incomeSources: 'x' },
        hasPhone: true,
        categories: [],
      }),
    ).toContain('disability');
  });

  it('labels every field in Chinese and names its source', () => {
    for (const f of COMPLETENESS_FIELDS) {
      expect(COMPLETENESS_FIELD_LABELS[f]).toMatch(/\p{Script=Han}/u);
      expect(COMPLETENESS_FIELD_SOURCES[f]).toMatch(/海南 2018|丹东 2023/);
    }
  });

  it('asks every elder for at least one child or supporter, except 特困 and 计划生育特殊家庭', () => {
    expect(missingLedgerFields(complete({ supporters: [] }))).toEqual(['supporters']);
    expect(
      missingLedgerFields(complete({ supporters: [], assistance: 'extreme_poverty' })),
    ).toEqual([]);
    expect(missingLedgerFields(complete({ supporters: [] }, ['extreme_poverty']))).toEqual([]);
    expect(missingLedgerFields(complete({ supporters: [] }, ['bereaved_family']))).toEqual([]);
  });

  it('gives the missing fields with the form’s words', () => {
    expect(
      missingFields(complete({ ethnicity: undefined, disability: { disabled: true, grade: 1 } })),
    ).toEqual([
      { field: 'ethnicity', label: '民族' },
      { field: 'disabilityCertificate', label: '残疾人证号' },
    ]);
  });

  it('counts the fields filled of those required of the record', () => {
    // 14 fields of every elder, 子女或其他赡养人 and the phone of the one listed.
    expect(completeness(complete())).toEqual({ filled: 16, required: 16, ratio: 1 });
    // A disabled elder is asked two more; one of the 18 is missing.
    expect(
      completeness(complete({ disability: { disabled: true, certificateNumber: '2106241948' } })),
    ).toEqual({ filled: 17, required: 18, ratio: 17 / 18 });
    expect(completeness({ data: {}, hasPhone: false, categories: [] })).toEqual({
      filled: 0,
      required: 15,
      ratio: 0,
    });
  });

  it('reads a record as entered, with its own phone among its fields', () => {
    const entered = {
      ...complete().data,
      phone: '139****0001',
      categories: ['living_alone'],
    };
    expect(completeness(completenessFactsOf(entered)).ratio).toBe(1);
    const { phone: _phone, ...withoutPhone } = entered;
    expect(missingLedgerFields(completenessFactsOf(withoutPhone))).toEqual(['phone']);
  });
});
