import {
  PresetApplyInput,
  VISIT_METHOD_LABELS,
  cadenceLabel,
  type PolicyDto,
  type PolicyPreset,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Modal,
  Radio,
  Row,
  Spin,
  Tag,
  Typography,
  theme,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { placeIssues, samePath, serverIssues } from './formIssues';
import { TargetTags } from './PolicyTags';
import { policiesApi } from './policiesApi';
import { firstOfNextMonth, inPersonLabel, templateLabel } from './policyText';

interface PresetValues {
  regionCode?: string;
  effectiveFrom?: string;
}

/** One preset as a choice: its name, source and policies (cadence per tier). */
function PresetChoice({
  preset,
  selected,
  onSelect,
}: {
  preset: PolicyPreset;
  selected: boolean;
  onSelect: (key: string) => void;
}) {
  const { token } = theme.useToken();
  return (
    <div
      onClick={() => onSelect(preset.key)}
      data-testid="preset-choice"
      style={{
        cursor: 'pointer',
        border: `1px solid ${selected ? token.colorPrimary : token.colorBorderSecondary}`,
        background: selected ? token.colorPrimaryBg : undefined,
        borderRadius: token.borderRadiusLG,
        padding: '10px 12px',
      }}
    >
      <Radio value={preset.key} style={{ fontWeight: 600 }}>
        {preset.name}
      </Radio>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 8px' }}>
        {preset.source}
      </Typography.Paragraph>
      <Flex vertical gap={6}>
        {preset.policies.map((p) => (
          <Flex key={p.name} wrap gap={6} align="center">
            <Typography.Text>{p.name}</Typography.Text>
            <TargetTags tiers={p.tiers} categories={p.categories} />
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {cadenceLabel(p.cadence)}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {inPersonLabel(p.inPersonEvery)}；计入：
              {p.countedMethods.map((m) => VISIT_METHOD_LABELS[m]).join('、')}；
              {templateLabel(p.templateKey)}
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </div>
  );
}

/** Props of `PresetModal`. */
export interface PresetModalProps {
  onClose: () => void;
  onApplied: (policies: PolicyDto[]) => void;
}

/** 套用预设: adopts one of the built-in rule sets for a region from a date, all or nothing. */
export function PresetModal({ onClose, onApplied }: PresetModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<PresetValues>();
  const [presets, setPresets] = useState<PolicyPreset[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    policiesApi.presets().then(
      (items) => {
        if (cancelled) return;
        setPresets(items);
        setSelected((prev) => prev ?? items[0]?.key);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(errorMessage(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const preset = presets?.find((p) => p.key === selected);

  const onFinish = async (values: PresetValues) => {
    setFormError(null);
    if (!preset) {
      setFormError('请选择要套用的预设');
      return;
    }
    const parsed = PresetApplyInput.safeParse(values);
    if (!parsed.success) {
      const rest = placeIssues(form, parsed.error.issues, samePath);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const created = await policiesApi.applyPreset(preset.key, parsed.data);
      message.success(
        `已套用“${preset.name}”：${created.length} 条规则，自 ${parsed.data.effectiveFrom} 起生效`,
      );
      onApplied(created);
    } catch (error) {
      const rest =
        error instanceof ApiError
          ? placeIssues(form, serverIssues(error), samePath)
          : [errorMessage(error)];
      if (rest.length > 0) setFormError(rest.join('；'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title="套用预设规则"
      okText="套用"
      okButtonProps={{ disabled: !preset }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={760}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        预设依据国家和地方文件，一次为所选区域制定一组规则；套用后可像其他规则一样添加新版本或停用。
      </Typography.Paragraph>
      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}
      {!presets && !loadError && (
        <div style={{ padding: 32, textAlign: 'center' }}>
          <Spin />
        </div>
      )}
      {presets && presets.length === 0 && <Empty description="暂无可套用的预设规则，请新建规则" />}
      {presets && presets.length > 0 && (
        <Radio.Group
          value={selected}
          onChange={(e) => setSelected(e.target.value as string)}
          style={{ width: '100%', marginBottom: 16 }}
          data-testid="preset-list"
        >
          <Flex vertical gap={8}>
            {presets.map((p) => (
              <PresetChoice
                key={p.key}
                preset={p}
                selected={p.key === selected}
                onSelect={setSelected}
              />
            ))}
          </Flex>
        </Radio.Group>
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<PresetValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          regionCode: me.jurisdiction.code.length < 12 ? me.jurisdiction.code : undefined,
          effectiveFrom: firstOfNextMonth(),
        }}
        onFinish={(values) => void onFinish(values)}
      >
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              label="适用区域"
              name="regionCode"
              required
              rules={[{ required: true, message: '请选择适用区域' }]}
            >
              <RegionPicker
                allowedLevels={['province', 'city', 'county', 'township']}
                placeholder="请选择适用区域"
                allowClear={false}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item
              label="生效日期"
              name="effectiveFrom"
              required
              rules={[{ required: true, message: '请选择生效日期' }]}
              getValueProps={(value: string | undefined) => ({
                value: value ? dayjs(value) : undefined,
              })}
              normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
              extra="不能早于今天；默认下月 1 日"
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
