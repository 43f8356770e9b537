import type { Tier } from '@tanfang/domain';

/** Tag colours of the care tiers: 高风险 red, 重点 orange, 一般 plain. */
export const TIER_COLORS: Record<Tier, string | undefined> = {
  high_risk: 'red',
  key: 'orange',
  general: undefined,
};

/** Where a category finding comes from. */
export type FindingSource = 'derived' | 'suggested' | 'entered';
/** Chinese names of the finding sources. */
export const FINDING_SOURCE_LABELS: Record<FindingSource, string> = {
  derived: '自动认定',
  suggested: '建议',
  entered: '录入',
};
/** Tag colours of the finding sources. */
export const FINDING_SOURCE_COLORS: Record<FindingSource, string> = {
  derived: 'blue',
  suggested: 'gold',
  entered: 'default',
};

/** Chinese names of the ledger actions kept in a record's history. */
export const CHANGE_ACTION_LABELS: Record<string, string> = {
  'elder.create': '登记入册',
  'elder.update': '修改信息',
  'elder.status': '状态变更',
  'elder.reveal': '查看完整号码',
  'elder.import': '批量导入',
};

/** The official terms of the record's top-level fields (信息采集表, 记录表 一–四). */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号',
  ethnicity: '民族',
  registeredAddress: '户籍所在地',
  villageCode: '居住地村(居)',
  addressDetail: '详细地址',
  livesAtRegisteredPlace: '是否居住在户籍所在地',
  phone: '联系电话',
  emergencyContact: '紧急联系人',
  disability: '残疾情况',
  categories: '类别',
  health: '健康状况',
  diseases: '患病类型',
  livingSituation: '生活状况',
  incomeSources: '经济来源',
  assistance: '低保/特困',
  monthlyHouseholdIncome: '家庭每月收入',
  benefits: '领取补贴',
  livingConditions: '家庭生活条件',
  householdMembers: '家庭成员',
  supporters: '子女及其他赡养人',
  caregiver: '临时照料人',
  help: '已享受帮扶',
  tierOverride: '分级调整',
  recordDate: '采集日期',
  status: '状态',
  effectiveDate: '生效日期',
  version: '版本',
};

/** The terms of fields inside the record's parts. */
const NESTED_LABELS: Record<string, string> = {
  name: '姓名',
  gender: '性别',
  idNumber: '身份证号',
  phone: '联系电话',
  relation: '关系',
  health: '健康状况',
  assistance: '低保/特困',
  livesWithElder: '是否同住',
  kind: '类别',
  workPlace: '外出地点',
  awaySince: '外出时间',
  returnFrequency: '回家频率',
  address: '地址',
  unitType: '帮扶单位类型',
  unitName: '帮扶单位名称',
  responsiblePerson: '帮扶责任人',
  measures: '帮扶措施',
  monthlyAmount: '每月金额',
  note: '说明',
  disabled: '是否残疾',
  certificateNumber: '残疾人证号',
  grade: '残疾等级',
  safeWater: '饮水是否安全',
  safeElectricity: '生活用电是否安全',
  safeHousing: '住房是否安全',
  tier: '分级',
  reason: '调整原因',
};

/** The Chinese name of a field path such as `supporters.0.awaySince` (子女及其他赡养人第 1 人 外出时间). */
export function fieldLabel(path: string): string {
  const [head = '', ...rest] = path.split('.');
  const parts = [FIELD_LABELS[head] ?? head];
  for (const segment of rest) {
    if (/^\d+$/.test(segment)) parts.push(`第 ${Number(segment) + 1} 项`);
    else parts.push(NESTED_LABELS[segment] ?? segment);
  }
  return parts.join(' ');
}

/** 是 / 否 / 未填 of an optional yes-no answer. */
export function yesNoLabel(value: boolean | undefined): string {
  if (value === undefined) return '未填';
  return value ? '是' : '否';
}
