import { DownloadOutlined } from '@ant-design/icons';
import { ELDER_STATUS_LABELS, todayIso, type ElderStatus } from '@tanfang/domain';
import { Alert, App, Button, Checkbox, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { saveFile } from '../../lib/download';
import { loadRegion } from '../../lib/regions';
import { canExportFullNumbers } from './permissions';
import { RegionName } from './RegionName';

/** Props of `ExportModal`. */
export interface ExportModalProps {
  open: boolean;
  /** The list's region filter; the whole jurisdiction when absent. */
  region: string | undefined;
  /** The list's status filter; every status when absent. */
  status: ElderStatus | undefined;
  onClose: () => void;
}

interface ExportValues {
  reason: string;
  full: boolean;
}

/** A file-name part without characters file systems refuse. */
const safeName = (name: string) => name.replace(/[\\/:*?"<>|]/g, '_');

/**
 * 导出台账: the ledger of the list's region and status as .xlsx, with a reason (audit-logged).
 * Numbers are masked unless a role allowed to see them asks for full ones.
 */
export function ExportModal({ open, region, status, onClose }: ExportModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<ExportValues>();
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const full = Form.useWatch('full', form) === true;
  const mayExportFull = canExportFullNumbers(me.role);
  const scope = region ?? me.jurisdiction.code;

  const onFinish = async (values: ExportValues) => {
    setExporting(true);
    setError(null);
    try {
      const file = await api.exportElders({
        region,
        status,
        reason: values.reason.trim(),
        full: mayExportFull && values.full,
      });
      // The region's name when known (cached), else its code.
      const place = await loadRegion(scope).then(
        (r) => r.name,
        () => scope,
      );
      saveFile(file.blob, `台账导出-${safeName(place)}-${todayIso()}.xlsx`);
      const count = file.headers.get('x-record-count');
      message.success(count ? `已导出 ${count} 条记录` : '已导出');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Modal
      open={open}
      title="导出台账"
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="submit"
          type="primary"
          icon={<DownloadOutlined />}
          loading={exporting}
          onClick={() => form.submit()}
          data-testid="export-submit"
        >
          导出
        </Button>,
      ]}
    >
      <Descriptions
        size="small"
        column={1}
        bordered
        style={{ margin: '16px 0' }}
        styles={{ label: { whiteSpace: 'nowrap', width: 72 } }}
        items={[
          {
            key: 'region',
            label: '范围',
            children: region ? (
              <RegionName code={region} />
            ) : (
              <span>
                <RegionName code={me.jurisdiction.code} />
                （全部辖区）
              </span>
            ),
          },
          {
            key: 'status',
            label: '状态',
            children: status ? ELDER_STATUS_LABELS[status] : '全部状态',
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        按台账列表当前的区域和状态导出，列与摸底登记模板相同；类别、分级和搜索条件不影响导出范围。
      </Typography.Paragraph>
      <Form<ExportValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ reason: '', full: false }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="导出原因"
          name="reason"
          required
          rules={[
            { required: true, whitespace: true, message: '请填写导出原因' },
            { max: 200, message: '导出原因最多 200 个字符' },
          ]}
          extra="导出人、原因、范围和条数将记入审计日志"
        >
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder="如：年度摸底排查核对、上报县民政局"
            data-testid="export-reason"
          />
        </Form.Item>
        {mayExportFull && (
          <Form.Item name="full" valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox data-testid="export-full">包含完整身份证号和电话</Checkbox>
          </Form.Item>
        )}
        {full && (
          <Alert
            type="warning"
            showIcon
            title="导出文件将包含完整的身份证号和电话，属于敏感个人信息，请妥善保管，用后及时删除。"
            style={{ marginBottom: 8 }}
          />
        )}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="export-error" />}
    </Modal>
  );
}
