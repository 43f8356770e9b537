import { ENTITLEMENT_TOLD_REASON, type EntitlementHintDto } from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { useLoad } from '../worklist/useLoad';
import { canRefer } from './permissions';
import { referralsApi } from './referralsApi';

/**
 * 权益提示 on the elder's page: each rule the ledger suggests (重残 without 残疾人两项补贴, 80 or
 * over without 高龄津贴, 特困 without support…), asking staff to tell the elder to apply. 已告知
 * records that they did; 忽略 asks why. Dismissed hints are listed on request with the reason.
 */
export function EntitlementHintsCard({ elderId }: { elderId: string }) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const [showDismissed, setShowDismissed] = useState(false);
  const [ignoring, setIgnoring] = useState<EntitlementHintDto | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const loaded = useLoad(`${elderId}|${version}|${showDismissed}`, () =>
    referralsApi.entitlementHints(elderId, showDismissed),
  )!;
  const canAct = canRefer(me.role);

  const dismiss = async (rule: EntitlementHintDto['rule'], reason: string) => {
    setBusy(rule);
    try {
      await referralsApi.dismissHint(elderId, { rule, reason });
      message.success(
        reason === ENTITLEMENT_TOLD_REASON ? '已记录：已告知其依法申请' : '已忽略该提示',
      );
      setIgnoring(null);
      setVersion((v) => v + 1);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 2 }} />;
  else if (loaded.state === 'error') body = <Alert type="error" showIcon title={loaded.message} />;
  else
    body = (
      <Flex vertical gap={12}>
        {loaded.data.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="台账中未发现可能未享受的待遇" />
        ) : (
          loaded.data.items.map((h) => (
            <div key={h.rule} data-testid="entitlement-hint">
              <Typography.Text strong>{h.name}</Typography.Text>
              <Typography.Paragraph style={{ margin: '2px 0 4px' }}>
                {h.message}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                依据：{h.basis}
              </Typography.Text>
              {canAct && (
                <Space size={8} style={{ marginTop: 6 }}>
                  <Button
                    size="small"
                    type="primary"
                    loading={busy === h.rule}
                    onClick={() => void dismiss(h.rule, ENTITLEMENT_TOLD_REASON)}
                    data-testid="entitlement-told"
                  >
                    已告知
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      form.resetFields();
                      setIgnoring(h);
                    }}
                    data-testid="entitlement-ignore"
                  >
                    忽略
                  </Button>
                </Space>
              )}
            </div>
          ))
        )}
        {showDismissed &&
          loaded.data.dismissed.map((h) => (
            <div key={h.rule} style={{ opacity: 0.75 }} data-testid="entitlement-dismissed">
              <Typography.Text delete>{h.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {h.dismissed?.reason} · {h.dismissed?.by ?? '—'} · {chinaTime(h.dismissed?.at)}
              </Typography.Text>
            </div>
          ))}
        {loaded.data.dismissedCount > 0 && (
          <Button
            type="link"
            size="small"
            style={{ alignSelf: 'flex-start', paddingInline: 0 }}
            onClick={() => setShowDismissed((s) => !s)}
          >
            {showDismissed
              ? '收起已处理的提示'
              : `查看已处理的提示（${loaded.data.dismissedCount}）`}
          </Button>
        )}
      </Flex>
    );

  return (
    <Card size="small" title="权益提示" data-testid="entitlement-hints">
      {body}
      <Modal
        open={ignoring !== null}
        title={`忽略提示：${ignoring?.name ?? ''}`}
        okText="忽略"
        confirmLoading={busy !== null}
        onOk={() => form.submit()}
        onCancel={() => setIgnoring(null)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: { reason: string }) =>
            ignoring && void dismiss(ignoring.rule, v.reason.trim())
          }
        >
          <Form.Item
            label="忽略原因"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写忽略原因' }]}
          >
            <Input.TextArea
              rows={3}
              maxLength={200}
              showCount
              placeholder="如：已核实，该补贴由其子女代领"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
