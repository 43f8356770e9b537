import { SpotCheckDrawInput, currentMonth, type SpotCheckDetailDto } from '@tanfang/domain';
import { Alert, App, Button, DatePicker, Form, InputNumber, Modal, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { spotChecksApi } from './spotChecksApi';
import { monthText } from './spotCheckText';

interface DrawValues {
  townshipCode?: string;
  month?: Dayjs;
  sizing: 'rate' | 'perVisitor';
  ratePercent?: number | null;
  perVisitor?: number | null;
  minPerVisitor?: number | null;
  seed?: number | null;
}

const FIELDS = [
  'townshipCode',
  'month',
  'ratePercent',
  'perVisitor',
  'minPerVisitor',
  'seed',
] as const;

/** Props of `DrawSampleModal`. */
export interface DrawSampleModalProps {
  onClose: () => void;
  onDrawn: (sample: SpotCheckDetailDto) => void;
  /** Opens a sample drawn before (the township's month already has one). */
  onOpenExisting: (sampleId: string) => void;
}

/**
 * 抽取样本: a township (a township account: its own) and a past or the current month; each
 * visitor's visits are sampled by a percent or a number, at least N each; the seed may be given
 * (to draw again a sample drawn elsewhere) or left to the server, which stores it.
 */
export function DrawSampleModal({ onClose, onDrawn, onOpenExisting }: DrawSampleModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<DrawValues>();
  const [saving, setSaving] = useState(false);
  const [existing, setExisting] = useState<{ id: string; text: string } | null>(null);
  const sizing = Form.useWatch('sizing', form);
  const ownTownship = me.role === 'township' ? me.jurisdiction.code : undefined;

  const submit = async (values: DrawValues) => {
    setExisting(null);
    const body = {
      townshipCode: ownTownship ?? values.townshipCode,
      month: values.month?.format('YYYY-MM'),
      ...(values.sizing === 'rate'
        ? { ratePercent: values.ratePercent ?? undefined }
        : { perVisitor: values.perVisitor ?? undefined }),
      minPerVisitor: values.minPerVisitor ?? 1,
      ...(values.seed !== null && values.seed !== undefined ? { seed: values.seed } : {}),
    };
    const parsed = SpotCheckDrawInput.safeParse(body);
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FIELDS);
      form.setFields(fields);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const sample = await spotChecksApi.draw(parsed.data);
      message.success(`已抽取 ${sample.items.length} 条探访记录`);
      onDrawn(sample);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'spot_check_exists') {
        const found = await spotChecksApi
          .list({ region: parsed.data.townshipCode, period: parsed.data.month })
          .catch(() => null);
        const id = found?.items[0]?.id;
        if (id) setExisting({ id, text: error.message });
        else message.error(error.message);
      } else if (!(error instanceof ApiError && applyServerError(form, FIELDS, error))) {
        message.error(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  const lastMonth = dayjs(`${currentMonth()}-01`).subtract(1, 'month');
  return (
    <Modal
      open
      title="抽取抽查样本"
      okText="抽取"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'draw-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        从该乡镇（街道）当月的探访记录中按探访人员分层随机抽取，每名有探访记录的探访人员至少抽取 1
        条。抽样种子和探访记录清单一并保存，任何人都可按种子重新抽样核对。
      </Typography.Paragraph>
      {existing && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={existing.text}
          action={
            <Button size="small" onClick={() => onOpenExisting(existing.id)}>
              查看该样本
            </Button>
          }
          data-testid="draw-exists"
        />
      )}
      <Form<DrawValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          sizing: 'rate',
          ratePercent: 10,
          perVisitor: 2,
          minPerVisitor: 1,
          month: lastMonth,
        }}
        onFinish={(values) => void submit(values)}
      >
        {ownTownship ? (
          <Form.Item label="乡镇（街道）">
            <Typography.Text data-testid="draw-township">
              {me.jurisdiction.fullName}
            </Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item label="乡镇（街道）" name="townshipCode" required>
            <RegionPicker allowedLevels={['township']} placeholder="请选择乡镇（街道）" />
          </Form.Item>
        )}
        <Form.Item label="抽查月份" name="month" required extra="可选本月及以前的月份">
          <DatePicker
            picker="month"
            allowClear={false}
            format={(d) => monthText(d.format('YYYY-MM'))}
            disabledDate={(d) => d.format('YYYY-MM') > currentMonth()}
            style={{ width: 180 }}
            data-testid="draw-month"
          />
        </Form.Item>
        <Form.Item label="抽样方式" name="sizing">
          <Radio.Group
            options={[
              { value: 'rate', label: '按比例' },
              { value: 'perVisitor', label: '每名探访人员固定条数' },
            ]}
            data-testid="draw-sizing"
          />
        </Form.Item>
        {sizing === 'perVisitor' ? (
          <Form.Item label="每名探访人员抽取" name="perVisitor" required>
            <InputNumber min={1} max={100} precision={0} suffix="条" style={{ width: 160 }} />
          </Form.Item>
        ) : (
          <Form.Item
            label="抽样比例"
            name="ratePercent"
            required
            extra="每名探访人员的探访记录按比例抽取，向上取整"
          >
            <InputNumber
              min={1}
              max={100}
              precision={0}
              suffix="%"
              style={{ width: 160 }}
              data-testid="draw-rate"
            />
          </Form.Item>
        )}
        <Form.Item label="每名探访人员至少抽取" name="minPerVisitor">
          <InputNumber min={1} max={100} precision={0} suffix="条" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          label="抽样种子（可选）"
          name="seed"
          extra="留空则随机生成并保存；填写已知种子可重现同一样本"
        >
          <InputNumber
            min={0}
            max={4294967295}
            precision={0}
            placeholder="0 – 4294967295"
            style={{ width: 220 }}
            data-testid="draw-seed"
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
