import { describe, expect, it } from 'vitest';
import {
  COMPLETENESS_FIELDS,
  COMPLETENESS_FIELD_LABELS,
  COMPLETENESS_FIELD_SOURCES,
  isLedgerComplete,
  missingLedgerFields,
  type LedgerCompletenessFacts,
} from './completeness.js';

/** A record with every field the forms ask of an elder who is not disabled and not 留守. */
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
      supporters: [],
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
});
