import { EyeOutlined, SaveOutlined } from '@ant-design/icons';
import {
  ASSISTANCE_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  ETHNICITIES,
  ElderFields,
  HEALTH_LABELS,
  INCOME_SOURCE_LABELS,
  LIVING_SITUATION_LABELS,
  TIERS,
  TIER_LABELS,
  type ElderDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Skeleton,
  Typography,
  theme,
} from 'antd';
import type { FormRule } from 'antd';
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, errorMessage, type ElderPatchInput, type ElderReveal } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import {
  createAnalyser,
  emptyFormValues,
  fromData,
  isMasked,
  issueAt,
  maskedValues,
  patchIssues,
  planPatch,
  serverIssues,
  showIssues,
  standInBirthDate,
  standInIdNumber,
  toInput,
  type AnalysisContext,
  type ElderFormValues,
  type FieldPath,
  type Json,
} from './elderForm';
import { BenefitsList, HelpList, MembersList, SupportersList } from './ElderFormLists';
import { DateItem, GENDER_OPTIONS, YesNoRadio, labelOptions, type RuleFor } from './formControls';
import { FIELD_LABELS } from './labels';
import { RevealModal } from './RevealModal';
import { RulesPanel } from './RulesPanel';

/** Field columns: one on a phone, two on a tablet, three on a desktop. */
const COL = { xs: 24, sm: 12, xl: 8 };

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === 'unknown' ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** A section of the form, titled as on the official forms. */
function Section({
  id,
  title,
  extra,
  children,
}: {
  id: string;
  title: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card id={id} size="small" title={title} extra={extra} style={{ scrollMarginTop: 80 }}>
      {children}
    </Card>
  );
}

/** Replaces masked numbers by full ones wherever they still appear unchanged. */
function unmask<T>(value: T, full: ReadonlyMap<string, string>): T {
  if (isMasked(value)) return (full.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => unmask(v, full)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmask(v, full)])) as T;
  }
  return value;
}

/** Masked number → full number, from the record as shown and the reveal (same people only). */
function revealMap(data: ElderDto['data'], revealed: ElderReveal): Map<string, string> {
  const pairs: [string | undefined, string | null | undefined][] = [
    [data.idNumber, revealed.idNumber],
    [data.phone, revealed.phone],
    [data.emergencyContact?.phone, revealed.emergencyContactPhone],
  ];
  data.householdMembers.forEach((m, i) => {
    const r = revealed.householdMembers[i];
    if (r && r.name === m.name) pairs.push([m.idNumber, r.idNumber]);
  });
  data.supporters.forEach((s, i) => {
    const r = revealed.supporters[i];
    if (r && r.name === s.name) pairs.push([s.idNumber, r.idNumber], [s.phone, r.phone]);
  });
  if (data.caregiver && revealed.caregiver?.name === data.caregiver.name) {
    pairs.push(
      [data.caregiver.idNumber, revealed.caregiver.idNumber],
      [data.caregiver.phone, revealed.caregiver.phone],
    );
  }
  const map = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const [masked, full] of pairs) {
    if (!isMasked(masked) || !full) continue;
    const known = map.get(masked);
    if (known !== undefined && known !== full) ambiguous.add(masked);
    map.set(masked, full);
  }
  // Two people whose masked numbers look alike: leave both masked rather than guess.
  for (const masked of ambiguous) map.delete(masked);
  return map;
}

/** The form of one record: new (no `elder`) or an edit of the loaded `elder`. */
function ElderForm({ elder, onReload }: { elder?: ElderDto; onReload: () => void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const wide = Grid.useBreakpoint().lg ?? true;
  const [form] = Form.useForm<ElderFormValues>();
  const editing = elder !== undefined;

  const [initialValues] = useState<ElderFormValues>(() =>
    elder ? fromData(elder.data) : emptyFormValues(),
  );
  /** The loaded record as API input: an edit sends the fields that differ from it. */
  const [baseline, setBaseline] = useState<Json>(() => toInput(initialValues));
  /** Masked numbers of the loaded record, kept unchanged unless the user retypes them. */
  const [kept, setKept] = useState<ReadonlySet<string>>(() =>
    elder ? maskedValues(elder.data) : new Set(),
  );
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<ReactNode>(null);
  const [conflict, setConflict] = useState(false);
  const [revealOpen, setRevealOpen] = useState(false);
  const [revealed, setRevealed] = useState(false);

  // The record shows the age, not the birth date: the rules run on a stand-in ID number with the
  // earliest birth date of that age (after 载入完整号码 the real number is in the form).
  const context = useMemo<AnalysisContext>(
    () => ({
      kept,
      standIn: elder
        ? {
            idNumber: standInIdNumber(standInBirthDate(elder.age), elder.gender),
            age: elder.age,
          }
        : undefined,
    }),
    [kept, elder],
  );
  const analyse = useMemo(() => createAnalyser(context), [context]);

  const watched = Form.useWatch([], form);
  const deferred = useDeferredValue(watched);
  const analysis = useMemo(
    () => analyse(deferred ?? initialValues),
    [analyse, deferred, initialValues],
  );

  /** The live rule of a field: issues the schema or the rules report at its path. */
  const rule: RuleFor = useCallback(
    (path: FieldPath, emptyMessage?: string): FormRule =>
      ({ getFieldsValue }) => ({
        validator: async (_rule, value: unknown) => {
          const values: ElderFormValues = getFieldsValue(true);
          const issue = issueAt(analyse(values).issues, path);
          if (!issue) return;
          throw new Error(emptyMessage && isEmpty(value) ? emptyMessage : issue.message);
        },
      }),
    [analyse],
  );

  // `/elders/:id/edit#tier` (from 调整分级) opens at that section.
  useEffect(() => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    target?.scrollIntoView({ block: 'start' });
  }, [location.hash]);

  const onRevealed = (full: ElderReveal) => {
    if (!elder) return;
    const map = revealMap(elder.data, full);
    form.setFieldsValue(unmask(form.getFieldsValue(true) as ElderFormValues, map));
    setBaseline((prev) => unmask(prev, map));
    setKept((prev) => new Set([...prev].filter((m) => !map.has(m))));
    setRevealed(true);
    setRevealOpen(false);
    setFormError(null);
    message.success('已载入完整号码');
  };

  const fail = (messages: string[]) => {
    if (messages.length > 0) setFormError(messages.join('；'));
  };

  const save = async () => {
    const values: ElderFormValues = form.getFieldsValue(true);
    const result = analyse(values);
    if (result.issues.length > 0) {
      fail(showIssues(form, result.issues));
      return;
    }
    if (!elder) {
      const parsed = ElderFields.safeParse(result.input);
      if (!parsed.success) {
        fail(showIssues(form, parsed.error.issues));
        return;
      }
      const created = await api.createElder(parsed.data);
      message.success(`已登记“${created.name}”`);
      navigate(`/elders/${created.id}`, { replace: true });
      return;
    }

    // Masked numbers left as they were go back unchanged: the server keeps the stored numbers.
    const plan = planPatch(result.input, baseline);
    if (plan.cleared.length > 0) {
      setFormError(
        `不能清空已填写的${plan.cleared.map((k) => `“${FIELD_LABELS[k] ?? k}”`).join('、')}，如需更正请填写新的内容`,
      );
      return;
    }
    if (Object.keys(plan.patch).length === 0) {
      message.info('未作任何修改');
      navigate(`/elders/${elder.id}`);
      return;
    }
    const problems = patchIssues(plan.patch, kept);
    if (problems.length > 0) {
      fail(showIssues(form, problems));
      return;
    }
    // Send only the changed fields as entered: the parsed patch would add every default.
    const patch = { ...(plan.patch as Omit<ElderPatchInput, 'version'>), version: elder.version };
    const updated = await api.updateElder(elder.id, patch);
    message.success(`已保存“${updated.name}”的信息`);
    navigate(`/elders/${elder.id}`, { replace: true });
  };

  const onFinish = async () => {
    setFormError(null);
    setConflict(false);
    setSaving(true);
    try {
      await save();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'version_conflict') {
        setConflict(true);
      } else if (error instanceof ApiError && error.code === 'duplicate_id_number') {
        form.setFields([{ name: ['idNumber'], errors: ['该身份证号已登记'] }]);
        setFormError(error.message);
      } else if (error instanceof ApiError) {
        const rest = showIssues(form, serverIssues(error));
        const fieldsTook = serverIssues(error).length > rest.length;
        fail(rest.length > 0 ? rest : fieldsTook ? [] : [error.message]);
        if (fieldsTook) message.error('保存失败，请按提示修改');
      } else {
        setFormError(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  const hasMasked = kept.size > 0;
  const title = elder ? `编辑：${elder.name}` : '新增老年人';

  const formBody = (
    <Flex vertical gap={16}>
      {editing && hasMasked && !revealed && (
        <Alert
          type="info"
          showIcon
          title="身份证号和电话以脱敏方式显示"
          description="未修改的号码保存时保持不变，无需载入完整号码即可修改其他内容。如需核对或更正号码，可载入完整号码（将记入审计日志），或直接重新填写完整号码。"
          action={
            <Button size="small" icon={<EyeOutlined />} onClick={() => setRevealOpen(true)}>
              载入完整号码
            </Button>
          }
        />
      )}

      <Section id="basic" title="基本信息">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item label="姓名" name="name" required rules={[rule(['name'], '请填写姓名')]}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="身份证号"
              name="idNumber"
              required={!editing}
              dependencies={['recordDate']}
              rules={editing ? [] : [rule(['idNumber'], '请填写身份证号')]}
              extra={
                editing
                  ? '身份证号登记后不可修改（不同的人应另行登记）'
                  : '出生日期、性别、年龄按身份证号自动确定'
              }
            >
              <Input
                maxLength={18}
                autoComplete="off"
                disabled={editing}
                data-testid="elder-id-input"
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="民族" name="ethnicity" rules={[rule(['ethnicity'])]}>
              <Select
                showSearch
                allowClear
                placeholder="请选择"
                options={ETHNICITIES.map((e) => ({ value: e, label: e }))}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="联系电话" name="phone" rules={[rule(['phone'])]}>
              <Input maxLength={20} autoComplete="off" placeholder="手机号或固定电话" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <DateItem
              name={['recordDate']}
              label="采集日期"
              rules={[rule(['recordDate'])]}
              extra="摸底排查、信息采集的日期，年龄按此日期计算"
            />
          </Col>
        </Row>
      </Section>

      <Section id="residence" title="居住地与户籍">
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            <Form.Item
              label="居住地所在村(居)"
              name="villageCode"
              required
              rules={[rule(['villageCode'], '请选择居住地所在村(居)')]}
              extra={
                editing ? '居住地变更请在记录页使用“状态变更—迁出”，以保留迁移历史' : undefined
              }
            >
              <RegionPicker
                allowedLevels={['village']}
                placeholder="请选择村(居)"
                disabled={editing}
                allowClear={!editing}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="详细地址" name="addressDetail" rules={[rule(['addressDetail'])]}>
              <Input maxLength={200} placeholder="组、门牌号等" />
            </Form.Item>
          </Col>
          <Col xs={24} xl={16}>
            <Form.Item
              label="户籍所在地"
              name="registeredAddress"
              rules={[rule(['registeredAddress'])]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="是否居住在户籍所在地"
              name="livesAtRegisteredPlace"
              rules={[rule(['livesAtRegisteredPlace'])]}
            >
              <YesNoRadio />
            </Form.Item>
          </Col>
        </Row>
      </Section>

      <Section id="contacts" title="紧急联系人">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item
              label="紧急联系人"
              name={['emergencyContact', 'name']}
              dependencies={[
                ['emergencyContact', 'phone'],
                ['emergencyContact', 'relation'],
              ]}
              rules={[rule(['emergencyContact', 'name'], '请填写紧急联系人姓名')]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="紧急联系人电话"
              name={['emergencyContact', 'phone']}
              dependencies={[
                ['emergencyContact', 'name'],
                ['emergencyContact', 'relation'],
              ]}
              rules={[rule(['emergencyContact', 'phone'], '请填写紧急联系人电话')]}
            >
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="与老人关系"
              name={['emergencyContact', 'relation']}
              rules={[rule(['emergencyContact', 'relation'])]}
            >
              <Input maxLength={20} placeholder="如：儿子、邻居" />
            </Form.Item>
          </Col>
        </Row>
      </Section>

      <Section id="disability" title="残疾情况">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item
              label="是否残疾"
              name={['disability', 'disabled']}
              dependencies={[
                ['disability', 'certificateNumber'],
                ['disability', 'grade'],
              ]}
              rules={[rule(['disability', 'disabled'], '填写残疾人证号或等级的，请选择是否残疾')]}
            >
              <YesNoRadio />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="残疾人证号"
              name={['disability', 'certificateNumber']}
              rules={[rule(['disability', 'certificateNumber'])]}
            >
              <Input maxLength={30} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="残疾等级"
              name={['disability', 'grade']}
              rules={[rule(['disability', 'grade'])]}
              extra="一级、二级为重残，自动认定"
            >
              <Select
                allowClear
                placeholder="请选择"
                options={[
                  { value: 1, label: '一级' },
                  { value: 2, label: '二级' },
                  { value: 3, label: '三级' },
                  { value: 4, label: '四级' },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
      </Section>

      <Section id="categories" title="老年人类别">
        <Form.Item
          name="categories"
          rules={[rule(['categories'])]}
          extra="请勾选经核实的类别。高龄、重残、失能、留守、低保、特困可由系统根据填写的信息自动认定；独居、空巢会给出建议，请核实后勾选。"
        >
          <Checkbox.Group
            options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          />
        </Form.Item>
      </Section>

      <Section id="health" title="健康与生活">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item label="健康状况" name="health" rules={[rule(['health'])]}>
              <Select allowClear placeholder="请选择" options={labelOptions(HEALTH_LABELS)} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="患病类型" name="diseases" rules={[rule(['diseases'])]}>
              <Input maxLength={200} placeholder="如：高血压、糖尿病" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="生活状况" name="livingSituation" rules={[rule(['livingSituation'])]}>
              <Select
                allowClear
                placeholder="请选择"
                options={labelOptions(LIVING_SITUATION_LABELS)}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="经济来源" name="incomeSources" rules={[rule(['incomeSources'])]}>
              <Select
                mode="multiple"
                allowClear
                placeholder="可多选"
                options={labelOptions(INCOME_SOURCE_LABELS)}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="是否享受低保/特困" name="assistance" rules={[rule(['assistance'])]}>
              <Select options={labelOptions(ASSISTANCE_LABELS)} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="家庭每月收入(元)"
              name="monthlyHouseholdIncome"
              rules={[rule(['monthlyHouseholdIncome'])]}
            >
              <InputNumber min={0} max={1_000_000} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
          家庭每月领取养老保险、社会救助和社会福利补贴等情况
        </Typography.Text>
        <BenefitsList rule={rule} />
      </Section>

      <Section id="conditions" title="家庭生活条件">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item label="饮水是否安全" name={['livingConditions', 'safeWater']}>
              <YesNoRadio />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="生活用电是否安全" name={['livingConditions', 'safeElectricity']}>
              <YesNoRadio />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="住房是否安全" name={['livingConditions', 'safeHousing']}>
              <YesNoRadio />
            </Form.Item>
          </Col>
        </Row>
      </Section>

      <Section id="members" title="家庭基本情况（家庭成员）">
        <MembersList rule={rule} />
      </Section>

      <Section id="supporters" title="子女及其他赡养义务人（扶养人）">
        <SupportersList rule={rule} />
      </Section>

      <Section id="caregiver" title="临时照料人">
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item
              label="姓名"
              name={['caregiver', 'name']}
              dependencies={[['caregiver', 'relation']]}
              rules={[rule(['caregiver', 'name'], '请填写临时照料人姓名')]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item label="性别" name={['caregiver', 'gender']}>
              <Select allowClear placeholder="请选择" options={GENDER_OPTIONS} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="身份证号"
              name={['caregiver', 'idNumber']}
              rules={[rule(['caregiver', 'idNumber'])]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="与老年人关系"
              name={['caregiver', 'relation']}
              dependencies={[['caregiver', 'name']]}
              rules={[rule(['caregiver', 'relation'], '请填写与老年人关系')]}
            >
              <Input maxLength={20} placeholder="如：邻居、侄子" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="联系电话"
              name={['caregiver', 'phone']}
              rules={[rule(['caregiver', 'phone'])]}
            >
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              label="地址"
              name={['caregiver', 'address']}
              rules={[rule(['caregiver', 'address'])]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
      </Section>

      <Section id="help" title="已享受帮扶情况">
        <HelpList rule={rule} />
      </Section>

      <Section id="tier" title="分级调整">
        <Form.Item name={['tierOverride', 'enabled']} valuePropName="checked">
          <Checkbox>人工调整分级（不采用按规则计算的分级）</Checkbox>
        </Form.Item>
        <Form.Item noStyle dependencies={[['tierOverride', 'enabled']]}>
          {({ getFieldValue }) =>
            getFieldValue(['tierOverride', 'enabled']) === true && (
              <Row gutter={16}>
                <Col {...COL}>
                  <Form.Item
                    label="调整为"
                    name={['tierOverride', 'tier']}
                    required
                    rules={[rule(['tierOverride', 'tier'], '请选择调整后的分级')]}
                  >
                    <Select
                      placeholder="请选择"
                      options={TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} xl={16}>
                  <Form.Item
                    label="调整原因"
                    name={['tierOverride', 'reason']}
                    required
                    rules={[rule(['tierOverride', 'reason'], '请填写调整原因')]}
                  >
                    <Input.TextArea rows={2} maxLength={200} showCount />
                  </Form.Item>
                </Col>
              </Row>
            )
          }
        </Form.Item>
      </Section>
    </Flex>
  );

  return (
    <Form<ElderFormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={() => void onFinish()}
      onFinishFailed={() => message.error('请按提示修改后再保存')}
      scrollToFirstError={{ block: 'center' }}
    >
      <Flex vertical gap={16}>
        <Card
          size="small"
          title={
            <Typography.Title level={4} style={{ margin: 0 }}>
              {title}
            </Typography.Title>
          }
          extra={
            <Link to={elder ? `/elders/${elder.id}` : '/elders'}>
              {elder ? '返回记录' : '返回台账'}
            </Link>
          }
        >
          <Typography.Text type="secondary">
            依据《农村留守老年人信息采集表》和《特殊困难老年人探访关爱服务记录表》一至四部分填写。
          </Typography.Text>
        </Card>

        {conflict && (
          <Alert
            type="error"
            showIcon
            data-testid="elder-form-conflict"
            title="该记录已被他人修改"
            description="您打开编辑后，其他人保存了这条记录。请重新载入最新内容后再修改（本次未保存的修改将丢失）。"
            action={
              <Button size="small" danger onClick={onReload}>
                重新载入
              </Button>
            }
          />
        )}
        {formError && (
          <Alert type="error" showIcon title={formError} data-testid="elder-form-error" />
        )}

        {wide ? (
          <Row gutter={16} align="top">
            <Col span={16}>{formBody}</Col>
            <Col span={8} style={{ position: 'sticky', top: 80 }}>
              <RulesPanel analysis={analysis} narrow={false} />
            </Col>
          </Row>
        ) : (
          <>
            <div style={{ position: 'sticky', top: 64, zIndex: 5 }}>
              <RulesPanel analysis={analysis} narrow />
            </div>
            {formBody}
          </>
        )}

        <Card
          size="small"
          style={{
            position: 'sticky',
            bottom: 0,
            zIndex: 5,
            boxShadow: token.boxShadowSecondary,
          }}
        >
          <Flex justify="flex-end" gap={8}>
            <Button onClick={() => navigate(elder ? `/elders/${elder.id}` : '/elders')}>
              取消
            </Button>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={saving}
              data-testid="elder-form-submit"
            >
              {editing ? '保存' : '登记'}
            </Button>
          </Flex>
        </Card>
      </Flex>

      {elder && (
        <RevealModal
          open={revealOpen}
          elderId={elder.id}
          elderName={elder.name}
          defaultReason="修改台账信息"
          onClose={() => setRevealOpen(false)}
          onRevealed={onRevealed}
        />
      )}
    </Form>
  );
}

/** `/elders/new` and `/elders/:id/edit`: the record form with live checks and rules. */
export default function ElderFormPage() {
  const { id } = useParams();
  const [elder, setElder] = useState<ElderDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadKey, setLoadKey] = useState(0);

  useEffect(() => {
    if (id === undefined) return;
    let cancelled = false;
    setElder(null);
    setLoadError(null);
    api.elder(id).then(
      (result) => {
        if (!cancelled) setElder(result);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(errorMessage(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, loadKey]);

  if (id === undefined) return <ElderForm key="new" onReload={() => undefined} />;
  if (loadError) {
    return (
      <Result
        status="error"
        title="记录加载失败"
        subTitle={loadError}
        extra={
          <Link to="/elders">
            <Button type="primary">返回台账</Button>
          </Link>
        }
      />
    );
  }
  if (!elder) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return (
    <ElderForm
      key={`${elder.id}-${elder.version}-${loadKey}`}
      elder={elder}
      onReload={() => setLoadKey((k) => k + 1)}
    />
  );
}
