import { ReloadOutlined } from '@ant-design/icons';
import type { AuditEntryDto, Page } from '@tanfang/domain';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Flex,
  Grid,
  Input,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../../lib/auditLabels';
import { formatTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';

const columns: TableColumnsType<AuditEntryDto> = [
  {
    title: '时间',
    dataIndex: 'at',
    width: 150,
    render: (at: string) => <span title={at}>{formatTime(at)}</span>,
  },
  {
    title: '操作人',
    key: 'actor',
    width: 130,
    render: (_: unknown, entry) =>
      entry.actor.username ?? <Typography.Text type="secondary">（系统）</Typography.Text>,
  },
  {
    title: '操作',
    dataIndex: 'action',
    width: 170,
    render: (action: string) => (
      <span>
        {AUDIT_ACTION_LABELS[action] && <div>{AUDIT_ACTION_LABELS[action]}</div>}
        <Typography.Text code style={{ fontSize: 12 }}>
          {action}
        </Typography.Text>
      </span>
    ),
  },
  {
    title: '对象',
    key: 'entity',
    render: (_: unknown, entry) => (
      <span>
        {AUDIT_ENTITY_LABELS[entry.entity] ?? entry.entity}
        {entry.entityId && (
          <Typography.Text type="secondary" copyable={{ text: entry.entityId }}>
            {' '}
            {entry.entityId}
          </Typography.Text>
        )}
      </span>
    ),
  },
  { title: '区域', dataIndex: 'regionCode', width: 130, render: (c: string | null) => c ?? '—' },
  {
    title: '请求编号',
    dataIndex: 'requestId',
    width: 140,
    ellipsis: true,
    render: (id: string | null) =>
      id ? <Typography.Text copyable={{ text: id }}>{id}</Typography.Text> : '—',
  },
  { title: 'IP', dataIndex: 'ip', width: 130, render: (ip: string | null) => ip ?? '—' },
];

const actionOptions = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({
  value,
  label: (
    <span>
      {label} <Typography.Text type="secondary">{value}</Typography.Text>
    </span>
  ),
}));

/** Parses a `from`/`to` query value into a day.js instant, or null. */
function instant(value: string | undefined): Dayjs | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d : null;
}

/** `/audit`: the audit log within the user's jurisdiction, newest first, with filters. */
export default function AuditPage() {
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  /** Filter widths: fixed on a desktop, full width on a phone. */
  const fit = (px: number) => (wide ? px : '100%');
  const actor = get('actor') ?? '';
  const action = get('action') ?? '';
  const region = get('region');
  const from = get('from');
  const to = get('to');
  const page = getInt('page', 1);
  const pageSize = getInt('pageSize', 50);

  const [actorInput, setActorInput] = useState(actor);
  const [actionInput, setActionInput] = useState(action);
  // The URL is the source of truth: back/forward or a menu click resets the inputs.
  useEffect(() => setActorInput(actor), [actor]);
  useEffect(() => setActionInput(action), [action]);
  const [data, setData] = useState<Page<AuditEntryDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api
      .listAudit({
        actor: actor || undefined,
        action: action || undefined,
        region,
        from,
        to,
        page,
        pageSize,
      })
      .then(
        (result) => {
          if (cancelled) return;
          setData(result);
          setLoadError(null);
          setLoading(false);
        },
        (error: unknown) => {
          if (cancelled) return;
          setLoadError(errorMessage(error));
          setLoading(false);
        },
      );
    return () => {
      cancelled = true;
    };
  }, [actor, action, region, from, to, page, pageSize, reloadKey]);

  const fromDay = instant(from);
  const toDay = instant(to);

  return (
    <Card title="审计日志">
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="操作人"
          placeholder="操作人（用户名）"
          allowClear
          value={actorInput}
          onChange={(e) => setActorInput(e.target.value)}
          onSearch={(value) => update({ actor: value.trim(), page: undefined })}
          style={{ width: fit(190) }}
        />
        <AutoComplete
          options={actionOptions}
          value={actionInput}
          onChange={(value: string) => setActionInput(value)}
          onSelect={(value: string) => update({ action: value, page: undefined })}
          filterOption={(input, option) =>
            option !== undefined &&
            `${option.value} ${AUDIT_ACTION_LABELS[option.value] ?? ''}`.includes(input.trim())
          }
          style={{ width: fit(200) }}
        >
          <Input.Search
            aria-label="操作"
            placeholder="操作"
            allowClear
            onSearch={(value) => update({ action: value.trim(), page: undefined })}
          />
        </AutoComplete>
        <DatePicker.RangePicker
          aria-label="时间范围"
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          placeholder={['开始时间', '结束时间']}
          value={fromDay || toDay ? [fromDay, toDay] : null}
          allowEmpty={[true, true]}
          style={wide ? undefined : { width: '100%' }}
          onChange={(range) =>
            update({
              from: range?.[0]?.toISOString(),
              to: range?.[1]?.toISOString(),
              page: undefined,
            })
          }
          presets={[
            { label: '今天', value: [dayjs().startOf('day'), dayjs().endOf('day')] },
            { label: '最近 7 天', value: [dayjs().subtract(7, 'day'), dayjs()] },
            { label: '最近 30 天', value: [dayjs().subtract(30, 'day'), dayjs()] },
          ]}
        />
        <RegionPicker
          value={region}
          onChange={(code) => update({ region: code, page: undefined })}
          placeholder="区域"
          style={{ width: fit(220) }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
          刷新
        </Button>
      </Flex>

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      <Table<AuditEntryDto>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1100 }}
        expandable={{
          rowExpandable: (entry) => entry.detail !== null,
          expandedRowRender: (entry) => (
            <pre className="audit-detail" data-testid="audit-detail">
              {JSON.stringify(entry.detail, null, 2)}
            </pre>
          ),
        }}
        pagination={{
          current: data?.page ?? page,
          pageSize: data?.pageSize ?? pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => `共 ${total} 条`,
        }}
        onChange={(pagination) =>
          update({
            page: pagination.current === 1 ? undefined : pagination.current,
            pageSize: pagination.pageSize === 50 ? undefined : pagination.pageSize,
          })
        }
      />
    </Card>
  );
}
