import {
  SCORECARD_INDICATORS,
  SCORECARD_INDICATOR_DEFINITIONS,
  SCORECARD_INDICATOR_LABELS,
  type ScorecardIndicator,
} from '@tanfang/domain';
import { Alert, App, Flex, InputNumber, Modal, Skeleton, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useLoad } from '../worklist/useLoad';
import { scorecardsApi } from './scorecardsApi';

interface Row {
  key: ScorecardIndicator;
  weight: number;
  /** 满分线 in percent. */
  target: number;
}

/**
 * 指标与权重: a county or city sets, for a year, each indicator's weight (0 leaves it out) and
 * 满分线; the weights must add up to 100, which the server checks again (400 naming the field).
 */
export function ConfigModal({
  open,
  region,
  year,
  onClose,
  onSaved,
}: {
  open: boolean;
  region: string;
  year: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const loaded = useLoad(open ? `${region}|${year}` : null, () =>
    scorecardsApi.config({ region, year }),
  );
  const [rows, setRows] = useState<Row[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);

  useEffect(() => {
    if (loaded?.state !== 'ok') return;
    setRows(
      SCORECARD_INDICATORS.map((key) => {
        const c = loaded.data.indicators.find((i) => i.key === key);
        return { key, weight: c?.weight ?? 0, target: Math.round((c?.target ?? 1) * 100) };
      }),
    );
    setError(null);
  }, [loaded]);

  const sum = rows.reduce((s, r) => s + r.weight, 0);
  const set = (key: ScorecardIndicator, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await scorecardsApi.setConfig(
        { region, year },
        {
          indicators: rows
            .filter((r) => r.weight > 0)
            .map((r) => ({ key: r.key, weight: r.weight, target: r.target / 100 })),
        },
      );
      void message.success('已保存考评指标与权重');
      onSaved();
    } catch (e) {
      setError({
        message: errorMessage(e),
        ...(e instanceof ApiError && e.field ? { field: e.field } : {}),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`${year} 年度考评指标与权重`}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      confirmLoading={saving}
      width={640}
      destroyOnHidden
    >
      {loaded?.state !== 'ok' ? (
        loaded?.state === 'error' ? (
          <Alert type="error" showIcon title={loaded.message} />
        ) : (
          <Skeleton active />
        )
      ) : (
        <Flex vertical gap={12} data-testid="scorecard-config">
          <Typography.Text type="secondary">
            当前：
            {loaded.data.from ? `${loaded.data.from.fullName}设置` : '系统默认'}
            。权重为 0 的指标不参加考评；各项权重合计须为 100。比率达到满分线即得该项全部权重。
          </Typography.Text>
          <Table<Row>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              {
                title: '指标',
                dataIndex: 'key',
                render: (k: ScorecardIndicator) => (
                  <>
                    <Typography.Text strong>{SCORECARD_INDICATOR_LABELS[k]}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {SCORECARD_INDICATOR_DEFINITIONS[k].definition}
                    </Typography.Text>
                  </>
                ),
              },
              {
                title: '权重',
                dataIndex: 'weight',
                width: 96,
                render: (w: number, r) => (
                  <InputNumber
                    aria-label={`${SCORECARD_INDICATOR_LABELS[r.key]}权重`}
                    data-testid={`weight-${r.key}`}
                    min={0}
                    max={100}
                    precision={0}
                    value={w}
                    onChange={(v) => set(r.key, { weight: v ?? 0 })}
                    style={{ width: 80 }}
                  />
                ),
              },
              {
                title: '满分线',
                dataIndex: 'target',
                width: 110,
                render: (t: number, r) => (
                  <InputNumber
                    aria-label={`${SCORECARD_INDICATOR_LABELS[r.key]}满分线`}
                    min={50}
                    max={100}
                    precision={0}
                    suffix="%"
                    value={t}
                    onChange={(v) => set(r.key, { target: v ?? 100 })}
                    style={{ width: 96 }}
                  />
                ),
              },
            ]}
          />
          <Typography.Text data-testid="weight-sum" type={sum === 100 ? 'success' : 'danger'}>
            权重合计 {sum}
            {sum === 100 ? '' : '（须为 100）'}
          </Typography.Text>
          {error && (
            <Alert
              type="error"
              showIcon
              data-testid="scorecard-config-error"
              title={error.message}
              description={error.field ? `字段：${error.field}` : undefined}
            />
          )}
        </Flex>
      )}
    </Modal>
  );
}
