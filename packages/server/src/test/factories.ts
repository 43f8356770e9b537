import {
  DANDONG_2023,
  idCheckCharacter,
  prefilledAnswers,
  uuidv7,
  type ElderInput,
  type ProviderInput,
  type VisitInput,
  type VisitorInput,
} from '@tanfang/domain';
import type { z } from 'zod';

let sequence = 100;

/** A valid ID number registered in `county`, born on `birth` (YYYYMMDD); a fresh sequence each call. */
export function idNumber(
  birth = '19480315',
  county = '210624',
  gender: 'male' | 'female' = 'female',
): string {
  sequence = (sequence + 2) % 998;
  const seq = String(sequence + (gender === 'male' ? 1 : 0)).padStart(3, '0');
  const first17 = `${county}${birth}${seq}`;
  return first17 + idCheckCharacter(first17);
}

/** The demo village 东岔村 and a village of another county. */
export const DONGCHA = '210624101201';
export const GUJIATUN = '210681101201';

/** An elder as the census would enter one, with overrides. */
export function buildElder(overrides: Partial<ElderInput> = {}): ElderInput {
  return {
    name: '王秀英',
    idNumber: idNumber(),
    ethnicity: '满族',
    registeredAddress: '辽宁省丹东市宽甸满族自治县灌水镇东岔村',
    villageCode: DONGCHA,
    addressDetail: '三组 12 号',
    livesAtRegisteredPlace: true,
    phone: '13904150001',
    emergencyContact: { name: '李明', phone: '13904150002', relation: '儿子' },
    disability: { disabled: false },
    categories: [],
    health: 'healthy',
    livingSituation: 'fair',
    incomeSources: ['pension'],
    assistance: 'none',
    monthlyHouseholdIncome: 1200,
    benefits: [{ kind: 'pension', monthlyAmount: 180 }],
    livingConditions: { safeWater: true, safeElectricity: true, safeHousing: true },
    householdMembers: [],
    supporters: [
      {
        kind: 'child',
        name: '李明',
        gender: 'male',
        phone: '13904150002',
        workPlace: '大连市',
        awaySince: '2020-03',
        returnFrequency: '每年春节',
      },
    ],
    help: [],
    recordDate: '2026-11-01',
    ...overrides,
  };
}

/** A visitor (探访人员) of 东岔村, a village cadre, with overrides. */
export function buildVisitor(overrides: Partial<VisitorInput> = {}): VisitorInput {
  return {
    name: '刘春梅',
    type: 'cadre',
    phone: '13904150101',
    regionCode: DONGCHA,
    ...overrides,
  };
}

/** The body of a visit recorded with the 丹东 2023 form, prefilled as 无变化, an hour ago. */
export function buildVisit(
  elderId: string,
  overrides: Partial<z.input<typeof VisitInput>> = {},
): z.input<typeof VisitInput> {
  return {
    id: uuidv7(),
    elderId,
    visitedAt: new Date(Date.now() - 3_600_000).toISOString(),
    deviceTime: new Date().toISOString(),
    method: 'in_person',
    template: { key: DANDONG_2023.key, version: DANDONG_2023.version },
    answers: prefilledAnswers(DANDONG_2023),
    ...overrides,
  };
}

/** A service provider (服务机构) of 宽甸县 as a county registers one, with overrides. */
export function buildProvider(overrides: Partial<ProviderInput> = {}): ProviderInput {
  return {
    name: '宽甸县居家养老服务中心',
    kinds: ['daily_care', 'rehab_nursing'],
    regionCode: '210624',
    contactName: '张丽',
    phone: '0415-5123456',
    address: '宽甸镇新华路 8 号',
    ...overrides,
  };
}
