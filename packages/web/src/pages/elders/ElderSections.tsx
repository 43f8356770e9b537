import {
  ASSISTANCE_LABELS,
  BENEFIT_LABELS,
  GENDER_LABELS,
  HEALTH_LABELS,
  HELP_UNIT_LABELS,
  INCOME_SOURCE_LABELS,
  LIVING_SITUATION_LABELS,
  SUPPORTER_KIND_LABELS,
  genderOf,
  type ElderDto,
  type Gender,
} from '@tanfang/domain';
import { Card, Descriptions, Table, Typography, type DescriptionsProps } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import type { ElderReveal } from '../../api';
import { formatTime } from '../../lib/format';
import { yesNoLabel } from './labels';

type Data = ElderDto['data'];
type Member = Data['householdMembers'][number];
type Supporter = Data['supporters'][number];
type Help = Data['help'][number];
type Benefit = Data['benefits'][number];

const GRADE_LABELS = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as const;
const DESCRIPTION_COLUMNS = { xs: 1, sm: 2, xl: 3 };

const dash = (value: string | number | null | undefined): ReactNode =>
  value === undefined || value === null || value === '' ? '—' : value;

/** A personal number: monospace, full when revealed. */
function Num({ value }: { value: string | null | undefined }) {
  if (!value) return <>—</>;
  return (
    <Typography.Text style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
      {value}
    </Typography.Text>
  );
}

/** One section of the record, titled as on the official forms. */
function Section({
  title,
  testId,
  extra,
  children,
}: {
  title: string;
  testId: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card size="small" title={title} extra={extra} data-testid={testId}>
      {children}
    </Card>
  );
}

function Fields({ items }: { items: DescriptionsProps['items'] }) {
  return (
    <Descriptions
      size="small"
      bordered
      column={DESCRIPTION_COLUMNS}
      items={items}
      styles={{ label: { whiteSpace: 'nowrap' } }}
    />
  );
}

/** The full number at an index of a revealed list, when it is the same person. */
export function revealedAt<T extends { name: string }>(
  list: readonly T[] | undefined,
  index: number,
  name: string,
): T | undefined {
  const entry = list?.[index];
  return entry && entry.name === name ? entry : undefined;
}

const genderLabel = (gender: Gender | undefined) => (gender ? GENDER_LABELS[gender] : '—');

/** The gender a masked ID number still shows (210302********123X): its 17th character. */
function genderOfMasked(id: string | undefined): Gender | undefined {
  if (!id || !/^\d{6}\*{8}\d{3}[\dX]$/i.test(id)) return undefined;
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** A person's gender: from the full ID number, else the masked one as shown, else as entered. */
export function shownGender(
  person: { gender?: Gender | undefined; idNumber?: string | undefined },
  fullIdNumber: string | null | undefined,
): Gender | undefined {
  return (
    genderOf({ gender: undefined, idNumber: fullIdNumber ?? undefined }) ??
    genderOfMasked(person.idNumber) ??
    person.gender
  );
}

/** Props of `ElderSections`. */
export interface ElderSectionsProps {
  elder: ElderDto;
  /** Full numbers after 查看完整号码; masked ones otherwise. */
  revealed: ElderReveal | null;
  /** The 查看完整号码 control (or nothing for roles not allowed). */
  revealControl: ReactNode;
}

/**
 * The record's sections in the order of the official forms: 基本信息, 居住地与户籍, 联系方式与紧急联系人,
 * 残疾情况, 健康与生活, 家庭生活条件, 家庭成员, 子女及其他赡养人, 临时照料人, 已享受帮扶.
 */
export function ElderSections({ elder, revealed, revealControl }: ElderSectionsProps) {
  const { data } = elder;
  const disability = data.disability;
  const contact = data.emergencyContact;
  const caregiver = data.caregiver;
  const revealedCaregiver =
    revealed?.caregiver && caregiver && revealed.caregiver.name === caregiver.name
      ? revealed.caregiver
      : undefined;

  const memberColumns: TableColumnsType<Member> = [
    { title: '序号', key: 'index', width: 60, render: (_: unknown, _m, i) => i + 1 },
    { title: '姓名', dataIndex: 'name', width: 90 },
    {
      title: '性别',
      key: 'gender',
      width: 60,
      render: (_: unknown, m, i) =>
        genderLabel(shownGender(m, revealedAt(revealed?.householdMembers, i, m.name)?.idNumber)),
    },
    {
      title: '公民身份号码',
      key: 'idNumber',
      width: 190,
      render: (_: unknown, m, i) => (
        <Num value={revealedAt(revealed?.householdMembers, i, m.name)?.idNumber ?? m.idNumber} />
      ),
    },
    { title: '与被探访人关系', dataIndex: 'relation', width: 120 },
    {
      title: '健康状况',
      dataIndex: 'health',
      width: 90,
      render: (_: unknown, m) => (m.health ? HEALTH_LABELS[m.health] : '—'),
    },
    {
      title: '低保/特困',
      dataIndex: 'assistance',
      width: 90,
      render: (_: unknown, m) => (m.assistance ? ASSISTANCE_LABELS[m.assistance] : '—'),
    },
    {
      title: '是否同住',
      dataIndex: 'livesWithElder',
      width: 80,
      render: (_: unknown, m) => (m.livesWithElder ? '同住' : '不同住'),
    },
  ];

  const supporterColumns: TableColumnsType<Supporter> = [
    {
      title: '类别',
      dataIndex: 'kind',
      width: 120,
      render: (_: unknown, s) => SUPPORTER_KIND_LABELS[s.kind],
    },
    { title: '姓名', dataIndex: 'name', width: 90 },
    {
      title: '性别',
      key: 'gender',
      width: 60,
      render: (_: unknown, s, i) =>
        genderLabel(shownGender(s, revealedAt(revealed?.supporters, i, s.name)?.idNumber)),
    },
    {
      title: '身份证号',
      key: 'idNumber',
      width: 190,
      render: (_: unknown, s, i) => (
        <Num value={revealedAt(revealed?.supporters, i, s.name)?.idNumber ?? s.idNumber} />
      ),
    },
    {
      title: '联系电话',
      key: 'phone',
      width: 130,
      render: (_: unknown, s, i) => (
        <Num value={revealedAt(revealed?.supporters, i, s.name)?.phone ?? s.phone} />
      ),
    },
    { title: '外出地点', dataIndex: 'workPlace', width: 140, render: dash },
    { title: '外出时间', dataIndex: 'awaySince', width: 90, render: dash },
    { title: '回家频率', dataIndex: 'returnFrequency', width: 110, render: dash },
  ];

  const helpColumns: TableColumnsType<Help> = [
    {
      title: '帮扶单位(组织)',
      dataIndex: 'unitType',
      width: 180,
      render: (_: unknown, h) => HELP_UNIT_LABELS[h.unitType],
    },
    { title: '单位名称', dataIndex: 'unitName', width: 150, render: dash },
    { title: '帮扶责任人', dataIndex: 'responsiblePerson', width: 100, render: dash },
    { title: '帮扶措施', dataIndex: 'measures', render: dash },
  ];

  const benefitColumns: TableColumnsType<Benefit> = [
    {
      title: '补贴类型',
      dataIndex: 'kind',
      width: 160,
      render: (_: unknown, b) => BENEFIT_LABELS[b.kind],
    },
    {
      title: '每月金额(元)',
      dataIndex: 'monthlyAmount',
      width: 120,
      render: (amount: number | undefined) => dash(amount),
    },
    { title: '说明', dataIndex: 'note', render: dash },
  ];

  const table = <T extends object>(
    testId: string,
    columns: TableColumnsType<T>,
    rows: T[],
    empty: string,
    width: number,
  ) => (
    <Table<T>
      data-testid={testId}
      size="small"
      rowKey={(_row, index) => String(index)}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: width }}
      locale={{ emptyText: empty }}
    />
  );

  return (
    <>
      <Section title="基本信息" testId="elder-basic" extra={revealControl}>
        <Fields
          items={[
            { key: 'name', label: '姓名', children: data.name },
            { key: 'gender', label: '性别', children: GENDER_LABELS[elder.gender] },
            { key: 'ethnicity', label: '民族', children: dash(data.ethnicity) },
            {
              key: 'idNumber',
              label: '身份证号',
              children: (
                <span data-testid="elder-id-number">
                  <Num value={revealed?.idNumber ?? elder.idNumberMasked} />
                </span>
              ),
            },
            // The birth date comes only with the full numbers (it is the masked ID's hidden part).
            ...(revealed?.birthDate
              ? [{ key: 'birthDate', label: '出生日期', children: revealed.birthDate }]
              : []),
            { key: 'age', label: '年龄', children: `${elder.age} 周岁` },
            { key: 'recordDate', label: '采集日期', children: dash(data.recordDate) },
            { key: 'createdAt', label: '登记时间', children: formatTime(elder.createdAt) },
            { key: 'updatedAt', label: '最近修改', children: formatTime(elder.updatedAt) },
          ]}
        />
      </Section>

      <Section title="居住地与户籍" testId="elder-residence">
        <Fields
          items={[
            {
              key: 'village',
              label: '居住地',
              span: { xs: 1, sm: 2, xl: 2 },
              children: <span title={elder.village.code}>{elder.village.fullName}</span>,
            },
            { key: 'detail', label: '详细地址', children: dash(data.addressDetail) },
            { key: 'registered', label: '户籍所在地', children: dash(data.registeredAddress) },
            {
              key: 'atRegistered',
              label: '是否居住在户籍所在地',
              children: yesNoLabel(data.livesAtRegisteredPlace),
            },
          ]}
        />
      </Section>

      <Section title="联系方式与紧急联系人" testId="elder-contacts">
        <Fields
          items={[
            {
              key: 'phone',
              label: '联系电话',
              children: <Num value={revealed ? revealed.phone : elder.phoneMasked} />,
            },
            { key: 'contact', label: '紧急联系人', children: dash(contact?.name) },
            { key: 'relation', label: '与老人关系', children: dash(contact?.relation) },
            {
              key: 'contactPhone',
              label: '紧急联系人电话',
              children: <Num value={revealed?.emergencyContactPhone ?? contact?.phone} />,
            },
          ]}
        />
      </Section>

      <Section title="残疾情况" testId="elder-disability">
        <Fields
          items={[
            { key: 'disabled', label: '是否残疾', children: yesNoLabel(disability?.disabled) },
            {
              key: 'certificate',
              label: '残疾人证号',
              children: dash(disability?.certificateNumber),
            },
            {
              key: 'grade',
              label: '残疾等级',
              children: disability?.grade ? GRADE_LABELS[disability.grade] : '—',
            },
          ]}
        />
      </Section>

      <Section title="健康与生活" testId="elder-health">
        <Fields
          items={[
            {
              key: 'health',
              label: '健康状况',
              children: data.health ? HEALTH_LABELS[data.health] : '—',
            },
            { key: 'diseases', label: '患病类型', children: dash(data.diseases) },
            {
              key: 'living',
              label: '生活状况',
              children: data.livingSituation ? LIVING_SITUATION_LABELS[data.livingSituation] : '—',
            },
            {
              key: 'income',
              label: '经济来源',
              children:
                data.incomeSources.length > 0
                  ? data.incomeSources.map((s) => INCOME_SOURCE_LABELS[s]).join('、')
                  : '—',
            },
            {
              key: 'assistance',
              label: '是否享受低保/特困',
              children: ASSISTANCE_LABELS[data.assistance],
            },
            {
              key: 'monthly',
              label: '家庭每月收入(元)',
              children: dash(data.monthlyHouseholdIncome),
            },
          ]}
        />
        <Typography.Text strong style={{ display: 'block', margin: '12px 0 8px' }}>
          家庭每月领取养老保险、社会救助和社会福利补贴等情况
        </Typography.Text>
        {table('elder-benefits', benefitColumns, data.benefits, '未登记领取补贴', 480)}
      </Section>

      <Section title="家庭生活条件" testId="elder-conditions">
        <Fields
          items={[
            {
              key: 'water',
              label: '饮水是否安全',
              children: yesNoLabel(data.livingConditions.safeWater),
            },
            {
              key: 'electricity',
              label: '生活用电是否安全',
              children: yesNoLabel(data.livingConditions.safeElectricity),
            },
            {
              key: 'housing',
              label: '住房是否安全',
              children: yesNoLabel(data.livingConditions.safeHousing),
            },
          ]}
        />
      </Section>

      <Section title="家庭基本情况（家庭成员）" testId="elder-members">
        {table('elder-members-table', memberColumns, data.householdMembers, '未登记家庭成员', 780)}
      </Section>

      <Section title="子女及其他赡养人" testId="elder-supporters">
        {table(
          'elder-supporters-table',
          supporterColumns,
          data.supporters,
          '未登记子女或其他赡养人',
          930,
        )}
      </Section>

      <Section title="临时照料人" testId="elder-caregiver">
        {caregiver ? (
          <Fields
            items={[
              { key: 'name', label: '姓名', children: caregiver.name },
              {
                key: 'gender',
                label: '性别',
                children: genderLabel(shownGender(caregiver, revealedCaregiver?.idNumber)),
              },
              {
                key: 'idNumber',
                label: '身份证号',
                children: <Num value={revealedCaregiver?.idNumber ?? caregiver.idNumber} />,
              },
              { key: 'relation', label: '与老年人关系', children: caregiver.relation },
              { key: 'address', label: '地址', children: dash(caregiver.address) },
              {
                key: 'phone',
                label: '联系电话',
                children: <Num value={revealedCaregiver?.phone ?? caregiver.phone} />,
              },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">未登记临时照料人</Typography.Text>
        )}
      </Section>

      <Section title="已享受帮扶情况" testId="elder-help">
        {table('elder-help-table', helpColumns, data.help, '未登记帮扶情况', 640)}
      </Section>
    </>
  );
}
