import {
  Cadence,
  PolicyContent,
  PolicyCreateInput,
  PolicyVersionInput,
  type Category,
  type InPersonEvery,
  type PolicyDto,
  type Tier,
  type VisitMethod,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { schemaRule } from '../../lib/zodForm';
import { placeIssues, serverIssues, type FieldPath } from './formIssues';
import {
  CADENCE_OPTIONS,
  IN_PERSON_OPTIONS,
  METHOD_OPTIONS,
  NO_IN_PERSON,
  TEMPLATE_OPTIONS,
} from './formOptions';
import { policiesApi } from './policiesApi';
import { firstOfNextMonth, nextChangeDate } from './policyText';
import { SelectorFields } from './SelectorFields';

/** The fields of the policy form; the cadence is split into its kind and its N days. */
interface PolicyFormValues {
  regionCode?: string;
  name?: string;
  tiers?: Tier[];
  categories?: Category[];
  cadenceKind?: Cadence['kind'];
  cadenceDays?: number | null;
  countedMethods?: VisitMethod[];
  inPersonEvery?: InPersonEvery | typeof NO_IN_PERSON;
  templateKey?: string;
  entryGraceDays?: number | null;
  effectiveFrom?: string;
  note?: string;
}

/** Where an issue about the input shows in the form (the cadence's parts have their own). */
function fieldOf(path: FieldPath): FieldPath | undefined {
  const [top, sub] = path;
  if (top === undefined) return undefined;
  if (top === 'cadence') return [sub === 'days' ? 'cadenceDays' : 'cadenceKind'];
  return [top];
}

/** The input the form stands for (validated by the caller with the domain schema). */
function inputOf(values: PolicyFormValues) {
  const kind = values.cadenceKind;
  return {
    name: values.name ?? '',
    tiers: values.tiers ?? [],
    categories: values.categories ?? [],
    cadence:
      kind === 'every_n_days'
        ? { kind, days: values.cadenceDays ?? undefined }
        : kind
          ? { kind }
          : undefined,
    countedMethods: values.countedMethods ?? [],
    inPersonEvery:
      !values.inPersonEvery || values.inPersonEvery === NO_IN_PERSON ? null : values.inPersonEvery,
    templateKey: values.templateKey,
    entryGraceDays: values.entryGraceDays ?? undefined,
    effectiveFrom: values.effectiveFrom,
    note: values.note?.trim() ? values.note : undefined,
  };
}

/** Props of `PolicyFormModal`: with `policy`, a new version of it; without, a new policy. */
export interface PolicyFormModalProps {
  open: boolean;
  policy?: PolicyDto;
  /** The form a new policy starts with (the one the rules above use). */
  suggestedTemplate?: string;
  onClose: () => void;
  onSaved: (policy: PolicyDto) => void;
}

/**
 * 新建规则 / 新版本: the whole content of a policy from a date on, validated with the domain's
 * PolicyCreateInput / PolicyVersionInput; the server's refusals show on the field they name.
 */
export function PolicyFormModal({
  open,
  policy,
  suggestedTemplate,
  onClose,
  onSaved,
}: PolicyFormModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<PolicyFormValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const cadenceKind = Form.useWatch('cadenceKind', form);
  const latest = policy?.versions[0];

  const initialValues: PolicyFormValues = latest
    ? {
        name: latest.name,
        tiers: latest.tiers,
        categories: latest.categories,
        cadenceKind: latest.cadence.kind,
        cadenceDays: latest.cadence.kind === 'every_n_days' ? latest.cadence.days : 14,
        countedMethods: latest.countedMethods,
        inPersonEvery: latest.inPersonEvery ?? NO_IN_PERSON,
        templateKey: latest.templateKey,
        entryGraceDays: latest.entryGraceDays,
        effectiveFrom: policy ? nextChangeDate(policy) : firstOfNextMonth(),
      }
    : {
        regionCode: me.jurisdiction.code.length < 12 ? me.jurisdiction.code : undefined,
        name: '',
        tiers: [],
        categories: [],
        cadenceDays: 14,
        countedMethods: ['in_person', 'phone', 'video'],
        inPersonEvery: NO_IN_PERSON,
        templateKey: suggestedTemplate,
        entryGraceDays: 3,
        effectiveFrom: firstOfNextMonth(),
      };

  const onFinish = async (values: PolicyFormValues) => {
    setFormError(null);
    const content = inputOf(values);
    setSaving(true);
    try {
      let saved: PolicyDto;
      if (policy) {
        const parsed = PolicyVersionInput.safeParse(content);
        if (!parsed.success) {
          const rest = placeIssues(form, parsed.error.issues, fieldOf);
          if (rest.length > 0) setFormError(rest.join('；'));
          return;
        }
        saved = await policiesApi.addPolicyVersion(policy.id, parsed.data);
        message.success(
          `已保存“${parsed.data.name}”的新版本，自 ${parsed.data.effectiveFrom} 起生效`,
        );
      } else {
        const parsed = PolicyCreateInput.safeParse({ ...content, regionCode: values.regionCode });
        if (!parsed.success) {
          const rest = placeIssues(form, parsed.error.issues, fieldOf);
          if (rest.length > 0) setFormError(rest.join('；'));
          return;
        }
        saved = await policiesApi.createPolicy(parsed.data);
        message.success(`已制定“${parsed.data.name}”，自 ${parsed.data.effectiveFrom} 起生效`);
      }
      onSaved(saved);
    } catch (error) {
      const rest =
        error instanceof ApiError
          ? placeIssues(form, serverIssues(error), fieldOf)
          : [errorMessage(error)];
      if (rest.length > 0) setFormError(rest.join('；'));
    } finally {
      setSaving(false);
    }
  };

  const half = { xs: 24, md: 12 };

  return (
    <Modal
      open={open}
      title={policy && latest ? `新版本：${latest.name}` : '新建规则'}
      okText={policy ? '保存新版本' : '创建规则'}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={760}
    >
      {policy && latest && (
        <Alert
          type="info"
          showIcon
          style={{ margin: '16px 0' }}
          title={`适用区域：${policy.region.fullName}。新版本（第 ${latest.version + 1} 版）自生效日期起替代第 ${latest.version} 版（${latest.effectiveFrom} 起）；此前的探访周期仍按原规则计算。`}
        />
      )}
      {formError && (
        <Alert
          type="error"
          showIcon
          title={formError}
          style={{ margin: '16px 0' }}
          data-testid="policy-form-error"
        />
      )}
      <Form<PolicyFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        style={{ marginTop: 16 }}
        data-testid="policy-form"
      >
        <Row gutter={16}>
          {!policy && (
            <Col {...half}>
              <Form.Item
                label="适用区域"
                name="regionCode"
                required
                rules={[{ required: true, message: '请选择适用区域' }]}
                extra="规则适用于所选区域内全部村(居)的老年人"
              >
                <RegionPicker
                  allowedLevels={['province', 'city', 'county', 'township']}
                  placeholder="请选择适用区域"
                  allowClear={false}
                />
              </Form.Item>
            </Col>
          )}
          <Col {...half}>
            <Form.Item
              label="规则名称"
              name="name"
              required
              rules={[schemaRule(PolicyContent.shape.name)]}
            >
              <Input maxLength={60} placeholder="如：高风险对象每周探访" autoComplete="off" />
            </Form.Item>
          </Col>
          <SelectorFields />
          <Col {...half}>
            <Form.Item label="探访频次" required style={{ marginBottom: 0 }}>
              <Row gutter={8}>
                <Col flex="auto">
                  <Form.Item
                    name="cadenceKind"
                    rules={[{ required: true, message: '请选择探访频次' }]}
                  >
                    <Select
                      options={CADENCE_OPTIONS}
                      placeholder="请选择探访频次"
                      aria-label="探访频次"
                    />
                  </Form.Item>
                </Col>
                {cadenceKind === 'every_n_days' && (
                  <Col flex="140px">
                    <Form.Item
                      name="cadenceDays"
                      rules={[
                        {
                          validator: async (_rule, value: unknown) => {
                            const result = Cadence.safeParse({ kind: 'every_n_days', days: value });
                            if (!result.success) {
                              throw new Error(result.error.issues[0]?.message ?? '间隔天数不正确');
                            }
                          },
                        },
                      ]}
                    >
                      <InputNumber
                        min={2}
                        max={92}
                        precision={0}
                        prefix="每"
                        suffix="天"
                        aria-label="间隔天数"
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                )}
              </Row>
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label="上门要求"
              name="inPersonEvery"
              extra="在更长的周期内至少有一次须为上门探访"
            >
              <Select options={IN_PERSON_OPTIONS} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              label="计入的探访方式"
              name="countedMethods"
              required
              rules={[schemaRule(PolicyContent.shape.countedMethods)]}
            >
              <Checkbox.Group options={METHOD_OPTIONS} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label="探访表"
              name="templateKey"
              required
              rules={[{ required: true, message: '请选择探访表' }]}
            >
              <Select options={TEMPLATE_OPTIONS} placeholder="请选择探访表" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label="补录宽限天数"
              name="entryGraceDays"
              rules={[schemaRule(PolicyContent.shape.entryGraceDays, true)]}
              extra="周期结束后若干天内补录的探访，仍计入该周期"
            >
              <InputNumber min={0} max={31} precision={0} suffix="天" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label="生效日期"
              name="effectiveFrom"
              required
              rules={[{ required: true, message: '请选择生效日期' }]}
              getValueProps={(value: string | undefined) => ({
                value: value ? dayjs(value) : undefined,
              })}
              normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
              extra={
                policy
                  ? '须晚于最新版本的生效日期，且不早于今天'
                  : '不能早于今天；默认下月 1 日，从一个完整周期开始'
              }
            >
              <DatePicker style={{ width: '100%' }} placeholder="请选择生效日期" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label="说明" name="note">
              <Input.TextArea
                rows={2}
                maxLength={200}
                showCount
                placeholder={policy ? '如：依据某文件调整频次' : '如：依据的文件、适用说明'}
              />
            </Form.Item>
          </Col>
        </Row>
        {!policy && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            规则创建后不能直接修改；如需调整，请添加新版本，或设定停用日期。
          </Typography.Paragraph>
        )}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
