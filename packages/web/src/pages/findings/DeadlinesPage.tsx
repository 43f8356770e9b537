import {
  DEADLINE_ACTION_LABELS,
  DEFAULT_DEADLINES,
  minutesText,
  type DeadlineAction,
  type DeadlineConfigDto,
  type DeadlineKey,
  type DeadlineRuleDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Grid,
  InputNumber,
  Result,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { findingsApi } from '../visits/findingsApi';
import { useLoad } from '../worklist/useLoad';

const UNITS = { minute: 1, hour: 60, day: 24 * 60 } as const;
type Unit = keyof typeof UNITS;
const UNIT_LABELS: Record<Unit, string> = { minute: '分钟', hour: '小时', day: '天' };

/** One row being edited: its own value (a change makes it the region's own). */
interface Row {
  key: DeadlineKey;
  label: string;
  action: DeadlineAction;
  amount: number;
  unit: Unit;
  own: boolean;
  inherited: DeadlineRuleDto['inherited'];
  source: DeadlineRuleDto['source'];
}

/** The largest unit that divides `minutes`. */
function split(minutes: number): { amount: number; unit: Unit } {
  if (minutes % UNITS.day === 0) return { amount: minutes / UNITS.day, unit: 'day' };
  if (minutes % UNITS.hour === 0) return { amount: minutes / UNITS.hour, unit: 'hour' };
  return { amount: minutes, unit: 'minute' };
}

const rowsOf = (c: DeadlineConfigDto): Row[] =>
  c.rules.map((r) => ({
    key: r.key,
    label: r.label,
    action: r.action,
    ...split(r.minutes),
    own: r.own,
    inherited: r.inherited,
    source: r.source,
  }));

/**
 * `/deadlines` (期限设置): the deadlines of findings in a region — an emergency's response time
 * (escalation runs on it), a hazard's handling, a need's referral, the rest by severity — each from
 * this region, an enclosing one, or the system default. County and city staff change them for
 * their region and the regions within it; findings raised afterwards get the new deadlines.
 */
export default function DeadlinesPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const { get, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const region = get('region') ?? me.jurisdiction.code;
  const loaded = useLoad(region, () => findingsApi.deadlines(region))!;
  const [rows, setRows] = useState<Row[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (loaded.state === 'ok') {
      setRows(rowsOf(loaded.data));
      setErrors({});
    }
  }, [loaded]);

  if (loaded.state === 'error')
    return <Result status="warning" title="处理期限加载失败" subTitle={loaded.message} />;
  if (loaded.state === 'loading' || !rows) return <Skeleton active paragraph={{ rows: 8 }} />;
  const config = loaded.data;
  const canEdit = config.canEdit;

  const change = (key: DeadlineKey, patch: Partial<Row>) =>
    setRows((rs) => rs!.map((r) => (r.key === key ? { ...r, ...patch, own: true } : r)));
  const restore = (key: DeadlineKey) =>
    setRows((rs) =>
      rs!.map((r) =>
        r.key === key
          ? {
              ...r,
              action: r.inherited.action,
              ...split(r.inherited.minutes),
              own: false,
              source: r.inherited.source,
            }
          : r,
      ),
    );

  const save = async () => {
    const own = rows.filter((r) => r.own);
    setSaving(true);
    setErrors({});
    try {
      const saved = await findingsApi.saveDeadlines(region, {
        rules: own.map((r) => ({
          key: r.key,
          action: r.action,
          minutes: r.amount * UNITS[r.unit],
        })),
      });
      setRows(rowsOf(saved));
      message.success(`已保存${config.region.name}的处理期限，此后发现的问题按新期限计算`);
    } catch (e) {
      const m = e instanceof ApiError ? /^rules\.(\d+)/.exec(e.field ?? '') : null;
      if (m) setErrors({ [own[Number(m[1])]!.key]: (e as ApiError).message });
      else message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Card
        title="期限设置"
        extra={
          canEdit && (
            <Button
              type="primary"
              loading={saving}
              onClick={() => void save()}
              data-testid="deadlines-save"
            >
              保存
            </Button>
          )
        }
      >
        <Flex vertical gap={12}>
          <RegionPicker
            value={get('region')}
            onChange={(code) => update({ region: code })}
            placeholder={`本辖区（${me.jurisdiction.name}）`}
            style={{ width: wide ? 320 : '100%' }}
          />
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {config.region.fullName}
            ：发现问题时按此计算处理期限。紧急情况须在期限内响应，否则依次升级至乡镇（街道）、县（区）民政局；
            未单独设置的沿用上级区域的设置或系统默认（紧急情况 30 分钟内响应、安全隐患 7
            天内处置、服务需求 14 天内转介）。已发现的问题保持原期限。
          </Typography.Paragraph>
        </Flex>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Row>
          rowKey="key"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 760 }}
          data-testid="deadlines-table"
          columns={[
            {
              title: '适用的问题',
              dataIndex: 'label',
              width: 200,
              render: (_: unknown, r) => <Typography.Text strong>{r.label}</Typography.Text>,
            },
            {
              title: '要求',
              dataIndex: 'action',
              width: 120,
              render: (_: unknown, r) => (
                <Select<DeadlineAction>
                  value={r.action}
                  disabled={!canEdit || DEFAULT_DEADLINES[r.key].action === 'acknowledge'}
                  onChange={(action) => change(r.key, { action })}
                  options={(Object.keys(DEADLINE_ACTION_LABELS) as DeadlineAction[])
                    .filter(
                      (a) =>
                        a !== 'acknowledge' || DEFAULT_DEADLINES[r.key].action === 'acknowledge',
                    )
                    .map((value) => ({ value, label: DEADLINE_ACTION_LABELS[value] }))}
                  style={{ width: 96 }}
                />
              ),
            },
            {
              title: '期限',
              dataIndex: 'amount',
              width: 220,
              render: (_: unknown, r) => (
                <Flex vertical gap={2}>
                  <Space.Compact>
                    <InputNumber
                      min={1}
                      max={r.unit === 'day' ? 90 : r.unit === 'hour' ? 2160 : 129600}
                      precision={0}
                      value={r.amount}
                      disabled={!canEdit}
                      status={errors[r.key] ? 'error' : undefined}
                      onChange={(v) => v !== null && change(r.key, { amount: v })}
                      style={{ width: 90 }}
                      data-testid={`deadline-amount-${r.key}`}
                    />
                    <Select<Unit>
                      value={r.unit}
                      disabled={!canEdit}
                      onChange={(unit) => change(r.key, { unit })}
                      options={(Object.keys(UNITS) as Unit[]).map((value) => ({
                        value,
                        label: UNIT_LABELS[value],
                      }))}
                      style={{ width: 80 }}
                    />
                  </Space.Compact>
                  {errors[r.key] && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }}>
                      {errors[r.key]}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            {
              title: '来源',
              dataIndex: 'source',
              render: (_: unknown, r) =>
                r.own ? (
                  <Space size={4} wrap>
                    <Tag color="blue">本级设置</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      上级或默认：{minutesText(r.inherited.minutes)}
                    </Typography.Text>
                    {canEdit && (
                      <Button size="small" type="link" onClick={() => restore(r.key)}>
                        恢复
                      </Button>
                    )}
                  </Space>
                ) : r.source ? (
                  <Tag>{r.source.name}设置</Tag>
                ) : (
                  <Tag>系统默认</Tag>
                ),
            },
          ]}
        />
      </Card>
      {!canEdit && (
        <Alert type="info" showIcon title="处理期限由县（区）、市民政局设置，您可以查看。" />
      )}
    </Flex>
  );
}
