import { DeleteOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import {
  CAMPAIGN_KIND_LABELS,
  CampaignInput,
  ChecklistItem as ChecklistItemSchema,
  DEFAULT_CHECKLISTS,
  type CampaignDto,
  type CampaignKind,
  type Category,
  type ChecklistItem,
  type Tier,
  type VisitMethod,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  ConfigProvider,
  DatePicker,
  Flex,
  Form,
  Grid,
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
import { placeIssues, serverIssues, type FieldPath } from '../policies/formIssues';
import { METHOD_OPTIONS } from '../policies/formOptions';
import { campaignsApi } from './campaignsApi';
import { chinaInstant } from '../../lib/format';
import { WITHIN_UNIT_LABELS, chinaNowWallClock } from './campaignText';
import { SelectorFields } from '../policies/SelectorFields';

/** One checklist row as typed: the code may be left empty. */
interface ChecklistRow {
  key?: string;
  label?: string;
}

/** The fields of the campaign form; times are China wall-clock `YYYY-MM-DDTHH:mm`. */
interface CampaignFormValues {
  kind?: CampaignKind;
  name?: string;
  regionCode?: string;
  startsAt?: string;
  endsAt?: string;
  withinValue?: number | null;
  withinUnit?: CampaignDto['within']['unit'];
  tiers?: Tier[];
  categories?: Category[];
  countedMethods?: VisitMethod[];
  checklist?: ChecklistRow[];
  note?: string;
}

const KINDS = Object.keys(CAMPAIGN_KIND_LABELS) as CampaignKind[];
const KIND_OPTIONS = KINDS.map((k) => ({ value: k, label: CAMPAIGN_KIND_LABELS[k] }));
const UNIT_OPTIONS = (['hours', 'days'] as const).map((u) => ({
  value: u,
  label: WITHIN_UNIT_LABELS[u],
}));
const WALL_CLOCK = 'YYYY-MM-DDTHH:mm';

/** Where an issue about the input shows in the form. */
function fieldOf(path: FieldPath): FieldPath | undefined {
  const [top, sub] = path;
  if (top === undefined) return undefined;
  if (top === 'within') return [sub === 'unit' ? 'withinUnit' : 'withinValue'];
  if (top === 'checklist' && typeof sub === 'number') {
    return ['checklist', sub, path[2] === 'key' ? 'key' : 'label'];
  }
  return [top];
}

/** A row's code: the one typed, else one made from its position (item_1, item_2…). */
function checklistOf(rows: readonly ChecklistRow[]): ChecklistItem[] {
  return rows.map((row, i) => ({
    key: row.key?.trim() || `item_${i + 1}`,
    label: row.label ?? '',
  }));
}

/** Whether the typed checklist is still a kind's default (so choosing another kind replaces it). */
function isDefaultChecklist(rows: readonly ChecklistRow[], kind: CampaignKind | undefined) {
  const defaults = kind ? DEFAULT_CHECKLISTS[kind] : [];
  return (
    rows.length === defaults.length &&
    rows.every((row, i) => row.key === defaults[i]?.key && row.label === defaults[i]?.label)
  );
}

/** Date-time form items hold China wall-clock text; the picker shows and returns the same. */
const wallClockProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format(WALL_CLOCK) : undefined),
};

/** Where the form's dropdowns open: in the dialog's scrolling wrapper, so they move with it. */
/** A required date and time to the minute, in China time (开始时间, 结束时间). */
function DateTimeItem({ label, name, extra }: { label: string; name: string; extra: string }) {
  return (
    <Form.Item
      label={label}
      name={name}
      required
      rules={[{ required: true, message: `请选择${label}` }]}
      extra={extra}
      {...wallClockProps}
    >
      <DatePicker
        showTime={{ format: 'HH:mm' }}
        needConfirm={false}
        format="YYYY-MM-DD HH:mm"
        style={{ width: '100%' }}
        placeholder={`请选择${label}`}
      />
    </Form.Item>
  );
}

function popupInDialog(trigger?: HTMLElement): HTMLElement {
  return trigger?.closest<HTMLElement>('.ant-modal-wrap') ?? document.body;
}

/** Props of `CampaignFormModal`. */
export interface CampaignFormModalProps {
  onClose: () => void;
  onSaved: (campaign: CampaignDto) => void;
}

/**
 * 发起专项探访: kind first (汛期 and 供暖季 bring their checklists), region, China-time window,
 * time limit, who it selects, methods and checklist; validated with the domain's CampaignInput.
 */
export function CampaignFormModal({ onClose, onSaved }: CampaignFormModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignFormValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [kind, setKind] = useState<CampaignKind | undefined>(undefined);
  const wide = Grid.useBreakpoint().md ?? true;

  const chooseKind = (next: CampaignKind) => {
    const rows: ChecklistRow[] = form.getFieldValue('checklist') ?? [];
    // A checklist the user has not changed follows the kind; an edited one stays.
    if (rows.length === 0 || isDefaultChecklist(rows, kind)) {
      form.setFieldValue(
        'checklist',
        DEFAULT_CHECKLISTS[next].map((item) => ({ ...item })),
      );
    }
    setKind(next);
  };

  const onFinish = async (values: CampaignFormValues) => {
    setFormError(null);
    const parsed = CampaignInput.safeParse({
      regionCode: values.regionCode,
      name: values.name ?? '',
      kind: values.kind,
      startsAt: values.startsAt ? chinaInstant(values.startsAt) : undefined,
      endsAt: values.endsAt ? chinaInstant(values.endsAt) : undefined,
      within: { value: values.withinValue ?? undefined, unit: values.withinUnit },
      tiers: values.tiers ?? [],
      categories: values.categories ?? [],
      countedMethods: values.countedMethods ?? [],
      checklist: checklistOf(values.checklist ?? []),
      note: values.note?.trim() ? values.note : undefined,
    });
    if (!parsed.success) {
      const rest = placeIssues(form, parsed.error.issues, fieldOf);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const created = await campaignsApi.createCampaign(parsed.data);
      message.success(`已发起专项探访“${created.name}”`);
      onSaved(created);
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
      open
      title="发起专项探访"
      okText="发起"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={780}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        专项探访在规定时间内为所选对象增加一次探访（时限内未探访即逾期），并在探访表中增加检查项。时间均为北京时间。
      </Typography.Paragraph>
      {formError && (
        <Alert
          type="error"
          showIcon
          title={formError}
          style={{ marginBottom: 16 }}
          data-testid="campaign-form-error"
        />
      )}
      {/* Dropdowns and pickers open inside the dialog: on a phone the page behind may scroll when a
          field takes focus, and a dropdown left on the page would move away from under the finger. */}
      <ConfigProvider getPopupContainer={popupInDialog}>
        <Form<CampaignFormValues>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            regionCode: me.jurisdiction.code,
            name: '',
            startsAt: chinaNowWallClock(),
            withinValue: 7,
            withinUnit: 'days',
            tiers: [],
            categories: [],
            countedMethods: ['in_person', 'phone', 'video'],
            checklist: [],
          }}
          onFinish={(values) => void onFinish(values)}
          data-testid="campaign-form"
        >
          <Row gutter={16}>
            <Col {...half}>
              <Form.Item
                label="专项类型"
                name="kind"
                required
                rules={[{ required: true, message: '请选择专项类型' }]}
                extra="汛期、供暖季等类型自带常用检查项"
              >
                <Select<CampaignKind>
                  options={KIND_OPTIONS}
                  placeholder="请选择专项类型"
                  onChange={chooseKind}
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label="专项名称"
                name="name"
                required
                rules={[schemaRule(CampaignInput.shape.name)]}
              >
                <Input maxLength={60} placeholder="如：2027 年汛期入户走访" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                label="适用区域"
                name="regionCode"
                required
                rules={[{ required: true, message: '请选择适用区域' }]}
              >
                <RegionPicker placeholder="请选择适用区域" allowClear={false} />
              </Form.Item>
            </Col>
            <Col {...half}>
              <DateTimeItem label="开始时间" name="startsAt" extra="最早可追溯 7 天" />
            </Col>
            <Col {...half}>
              <DateTimeItem label="结束时间" name="endsAt" extra="须晚于开始时间，专项最长一年" />
            </Col>
            <Col span={24}>
              <Form.Item
                label="时限"
                required
                style={{ marginBottom: 16 }}
                extra="专项期间按此时限循环：每一轮内都须探访一次"
              >
                <Flex gap={8} align="baseline" wrap>
                  <Typography.Text>开始后</Typography.Text>
                  <Form.Item
                    name="withinValue"
                    rules={[{ required: true, message: '请填写时限' }]}
                    style={{ marginBottom: 8 }}
                  >
                    <InputNumber
                      min={1}
                      max={2160}
                      precision={0}
                      aria-label="时限"
                      style={{ width: 100 }}
                    />
                  </Form.Item>
                  <Form.Item name="withinUnit" style={{ marginBottom: 8 }}>
                    <Select options={UNIT_OPTIONS} aria-label="时限单位" style={{ width: 90 }} />
                  </Form.Item>
                  <Typography.Text>内探访一次</Typography.Text>
                </Flex>
              </Form.Item>
            </Col>
            <SelectorFields />
            <Col span={24}>
              <Form.Item
                label="计入的探访方式"
                name="countedMethods"
                required
                rules={[
                  { required: true, type: 'array', min: 1, message: '请至少选择一种探访方式' },
                ]}
              >
                <Checkbox.Group options={METHOD_OPTIONS} />
              </Form.Item>
            </Col>
          </Row>

          <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text strong>检查项</Typography.Text>
            {kind && DEFAULT_CHECKLISTS[kind].length > 0 && (
              <Button
                size="small"
                icon={<UndoOutlined />}
                onClick={() =>
                  form.setFieldValue(
                    'checklist',
                    DEFAULT_CHECKLISTS[kind].map((item) => ({ ...item })),
                  )
                }
              >
                恢复{CAMPAIGN_KIND_LABELS[kind]}默认检查项
              </Button>
            )}
          </Flex>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            专项期间的探访表增加这些检查项。代码可不填，将按顺序生成（item_1、item_2…）。
          </Typography.Paragraph>
          <Form.List name="checklist">
            {(fields, { add, remove }) => (
              <div data-testid="campaign-checklist">
                {fields.length === 0 && (
                  <Typography.Paragraph type="secondary">
                    暂无检查项{kind ? '' : '：选择专项类型后自动带出常用检查项，也可自行添加'}。
                  </Typography.Paragraph>
                )}
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={8} align="start" wrap={false}>
                    <Typography.Text type="secondary" style={{ lineHeight: '32px', width: 20 }}>
                      {index + 1}.
                    </Typography.Text>
                    <Form.Item
                      name={[field.name, 'label']}
                      rules={[schemaRule(ChecklistItemSchema.shape.label)]}
                      style={{ flex: 1, minWidth: 0, marginBottom: 12 }}
                    >
                      <Input maxLength={40} placeholder="检查项名称" aria-label="检查项名称" />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'key']}
                      style={{ width: wide ? 160 : 96, flex: 'none', marginBottom: 12 }}
                    >
                      <Input
                        maxLength={40}
                        placeholder={`item_${index + 1}`}
                        aria-label="检查项代码"
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label="删除检查项"
                      onClick={() => remove(field.name)}
                    />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ key: '', label: '' })}
                  disabled={fields.length >= 20}
                  block
                  style={{ marginBottom: 16 }}
                >
                  添加检查项
                </Button>
              </div>
            )}
          </Form.List>

          <Form.Item label="说明" name="note">
            <Input.TextArea
              rows={2}
              maxLength={200}
              showCount
              placeholder="如：依据的预警或通知文件"
            />
          </Form.Item>
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </ConfigProvider>
    </Modal>
  );
}
