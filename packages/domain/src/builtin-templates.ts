/**
 * The built-in form templates, transcribed from the seed documents' tables:
 * - 鞍山 2020 附件《鞍山市乡镇（街道）村（居）定期巡访情况表》: 12 items under 健康状况, 精神状态,
 *   安全情况, 卫生环境, each 正常/一般/较差; 巡访方式 实地/电话; one block per quarter on one sheet;
 * - 丹东 2023 附件1《特殊困难老年人探访关爱服务记录表》 五、探访情况 (change-based scale, safety,
 *   needs, suggestions, three signatures), with the seven content areas of 二、（二） as optional
 *   sections.
 */
import { FormTemplate } from './templates.js';

const grade3 = (key: string, label: string) => ({
  kind: 'choice' as const,
  key,
  label,
  options: [
    { value: 'normal', label: '正常' },
    { value: 'fair', label: '一般' },
    { value: 'poor', label: '较差' },
  ],
  prefill: 'normal',
});

const change3 = (key: string, label: string) => ({
  kind: 'choice' as const,
  key,
  label,
  options: [
    { value: 'unchanged', label: '无变化' },
    { value: 'better', label: '较好' },
    { value: 'worse', label: '较差' },
  ],
  prefill: 'unchanged',
});

const safety3 = (key: string, label: string) => ({
  kind: 'choice' as const,
  key,
  label,
  options: [
    { value: 'safe', label: '安全' },
    { value: 'fairly_safe', label: '较安全' },
    { value: 'unsafe', label: '不安全' },
  ],
  prefill: 'safe',
});

const note = (key: string, label: string) => ({
  kind: 'text' as const,
  key,
  label,
  maxLength: 500,
});

/** 鞍山 2020 定期巡访情况表. */
export const ANSHAN_2020 = FormTemplate.parse({
  key: 'anshan-2020',
  version: 1,
  name: '鞍山市乡镇（街道）村（居）定期巡访情况表',
  issuer: '鞍山市民政局（鞍民发〔2020〕30号）',
  methods: [
    { value: 'in_person', label: '实地' },
    { value: 'phone', label: '电话' },
  ],
  sections: [
    {
      key: 'health',
      label: '健康状况',
      items: [
        grade3('expression', '表达能力'),
        grade3('mobility', '行动能力'),
        grade3('illness', '疾病状况'),
      ],
    },
    {
      key: 'mental',
      label: '精神状态',
      items: [
        grade3('mood', '情绪状态'),
        grade3('thinking', '思维状态'),
        grade3('stress', '压力状态'),
      ],
    },
    {
      key: 'safety',
      label: '安全情况',
      items: [
        grade3('fire_safety', '用火安全'),
        grade3('heating_water_safety', '水暖安全'),
        grade3('electric_safety', '用电安全'),
      ],
    },
    {
      key: 'hygiene',
      label: '卫生环境',
      items: [
        grade3('personal_hygiene', '个人卫生'),
        grade3('home_hygiene', '家庭卫生'),
        grade3('neighbours', '邻里关系'),
      ],
    },
  ],
  findingRules: [
    {
      item: 'expression',
      values: ['poor'],
      type: 'health_decline',
      severity: 'medium',
      title: '表达能力较差',
    },
    {
      item: 'mobility',
      values: ['poor'],
      type: 'health_decline',
      severity: 'medium',
      title: '行动能力较差',
    },
    {
      item: 'illness',
      values: ['poor'],
      type: 'health_decline',
      severity: 'high',
      title: '疾病状况较差',
    },
    { item: 'mood', values: ['poor'], type: 'mental', severity: 'medium', title: '情绪状态较差' },
    {
      item: 'thinking',
      values: ['poor'],
      type: 'mental',
      severity: 'medium',
      title: '思维状态较差',
    },
    { item: 'stress', values: ['poor'], type: 'mental', severity: 'medium', title: '压力状态较差' },
    {
      item: 'fire_safety',
      values: ['poor'],
      type: 'safety_hazard',
      severity: 'high',
      title: '用火安全较差',
    },
    {
      item: 'heating_water_safety',
      values: ['poor'],
      type: 'safety_hazard',
      severity: 'high',
      title: '水暖安全较差',
    },
    {
      item: 'electric_safety',
      values: ['poor'],
      type: 'safety_hazard',
      severity: 'high',
      title: '用电安全较差',
    },
    {
      item: 'personal_hygiene',
      values: ['poor'],
      type: 'hygiene',
      severity: 'low',
      title: '个人卫生较差',
    },
    {
      item: 'home_hygiene',
      values: ['poor'],
      type: 'hygiene',
      severity: 'low',
      title: '家庭卫生较差',
    },
    {
      item: 'neighbours',
      values: ['poor'],
      type: 'family_crisis',
      severity: 'medium',
      title: '邻里关系较差',
    },
  ],
  print: 'anshan-quarterly',
});

/** 丹东 2023 探访关爱服务记录表 五、探访情况. */
export const DANDONG_2023 = FormTemplate.parse({
  key: 'dandong-2023',
  version: 1,
  name: '特殊困难老年人探访关爱服务记录表（五、探访情况）',
  issuer: '丹东市民政局等 10 部门（丹民发〔2023〕61号）',
  methods: [
    { value: 'phone', label: '电话问候' },
    { value: 'in_person', label: '上门探访' },
    { value: 'video', label: '互联网音(视)频探访' },
    { value: 'other', label: '其他' },
  ],
  sections: [
    {
      key: 'family',
      label: '家庭状况',
      items: [
        {
          kind: 'choice',
          key: 'household_size',
          label: '家庭人口',
          options: [
            { value: 'unchanged', label: '无变化' },
            { value: 'increased', label: '增加', withNumber: '人' },
            { value: 'decreased', label: '减少', withNumber: '人' },
          ],
          prefill: 'unchanged',
        },
      ],
    },
    {
      key: 'health',
      label: '健康状况',
      items: [
        change3('expression', '表达能力'),
        change3('mobility', '行动能力'),
        {
          kind: 'choice',
          key: 'illness',
          label: '疾病状况',
          options: [
            { value: 'unchanged', label: '无变化' },
            { value: 'serious', label: '严重疾病', withText: '疾病名称' },
            { value: 'improved', label: '转好' },
          ],
          prefill: 'unchanged',
        },
      ],
    },
    { key: 'mental', label: '精神状态', items: [change3('mood', '情绪状态')] },
    {
      key: 'safety',
      label: '安全情况',
      items: [
        safety3('gas_safety', '燃气安全'),
        safety3('heating_water_safety', '水暖安全'),
        safety3('electric_safety', '用电安全'),
        safety3('fire_safety', '消防安全'),
      ],
    },
    {
      key: 'hygiene',
      label: '卫生状况',
      items: [change3('personal_hygiene', '个人卫生'), change3('home_hygiene', '家庭卫生')],
    },
    { key: 'living', label: '居住环境', items: [change3('indoor_environment', '室内环境')] },
    {
      key: 'needs',
      label: '需求与建议',
      items: [
        note('service_needs', '老年人服务需求'),
        note('care_suggestions', '实施关爱服务建议'),
      ],
    },
    // 丹东 2023 二、（二） 探访内容: the seven content areas (optional).
    {
      key: 'content_areas',
      label: '探访内容（七个方面，选填）',
      optional: true,
      items: [
        note('living_security', '生活保障'),
        note('family_care', '亲情关怀'),
        note('production_help', '生产帮助'),
        note('other_situation', '其他情况（邻里、家庭变故、灾害）'),
      ],
    },
    {
      key: 'signatures',
      label: '签字',
      items: [
        { kind: 'signature', key: 'visitor_signature', label: '探访人员(签字)', signer: 'visitor' },
        { kind: 'signature', key: 'elder_signature', label: '被探访人(签字)', signer: 'elder' },
        { kind: 'signature', key: 'clerk_signature', label: '信息录入人(签字)', signer: 'clerk' },
      ],
    },
  ],
  findingRules: [
    {
      item: 'household_size',
      values: ['decreased'],
      type: 'family_crisis',
      severity: 'medium',
      title: '家庭人口减少',
    },
    {
      item: 'expression',
      values: ['worse'],
      type: 'health_decline',
      severity: 'medium',
      title: '表达能力变差',
    },
    {
      item: 'mobility',
      values: ['worse'],
      type: 'health_decline',
      severity: 'medium',
      title: '行动能力变差',
    },
    {
      item: 'illness',
      values: ['serious'],
      type: 'health_decline',
      severity: 'high',
      title: '患严重疾病',
    },
    { item: 'mood', values: ['worse'], type: 'mental', severity: 'medium', title: '情绪状态变差' },
    {
      item: 'gas_safety',
      values: ['unsafe'],
      type: 'safety_hazard',
      severity: 'high',
      title: '燃气不安全',
    },
    {
      item: 'heating_water_safety',
      values: ['unsafe'],
      type: 'safety_hazard',
      severity: 'high',
      title: '水暖不安全',
    },
    {
      item: 'electric_safety',
      values: ['unsafe'],
      type: 'safety_hazard',
      severity: 'high',
      title: '用电不安全',
    },
    {
      item: 'fire_safety',
      values: ['unsafe'],
      type: 'safety_hazard',
      severity: 'high',
      title: '消防不安全',
    },
    {
      item: 'personal_hygiene',
      values: ['worse'],
      type: 'hygiene',
      severity: 'low',
      title: '个人卫生变差',
    },
    {
      item: 'home_hygiene',
      values: ['worse'],
      type: 'hygiene',
      severity: 'low',
      title: '家庭卫生变差',
    },
    {
      item: 'indoor_environment',
      values: ['worse'],
      type: 'hygiene',
      severity: 'low',
      title: '室内环境变差',
    },
    { item: 'service_needs', type: 'need', severity: 'low', title: '提出服务需求' },
    {
      item: 'other_situation',
      type: 'family_crisis',
      severity: 'medium',
      title: '家庭变故或其他困难',
    },
  ],
  print: 'dandong-record',
});

/** The built-in templates. */
export const BUILTIN_TEMPLATES: readonly FormTemplate[] = [ANSHAN_2020, DANDONG_2023];
