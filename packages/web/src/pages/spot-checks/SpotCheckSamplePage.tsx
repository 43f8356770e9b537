import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  EyeOutlined,
  HistoryOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import {
  VISIT_METHOD_LABELS,
  type SpotCheckCheckerDto,
  type SpotCheckDetailDto,
  type SpotCheckItemDto,
  type SpotCheckPhoneDto,
  type SpotCheckReproductionDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Result,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { elderVisitPath } from '../visits/visitText';
import { ItemHistoryModal } from './ItemHistoryModal';
import { PhoneRevealModal } from './PhoneRevealModal';
import { ResultModal } from './ResultModal';
import { canRecordResult, canRunSpotChecks } from './permissions';
import { spotChecksApi } from './spotChecksApi';
import { RESULT_COLORS, monthText, passRateText, resultLabel, sizingText } from './spotCheckText';

type Filter = 'all' | 'mine' | 'pending' | 'checked' | 'not_verified';

const ROLE_WORDS: Record<string, string> = { county: '县民政局', township: '乡镇民政办' };

/**
 * `/spot-checks/:id`: one sample — its seed and how it was drawn (复核抽样 draws it again), the
 * progress and pass rate, and its visits: assign them to checkers, phone the elder (full number
 * on a logged request), record 电话核实 / 实地核实 / 未能核实, and read each item's history.
 */
export default function SpotCheckSamplePage() {
  const { id = '' } = useParams();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [sample, setSample] = useState<SpotCheckDetailDto | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [checkers, setCheckers] = useState<SpotCheckCheckerDto[]>([]);
  const [checkerId, setCheckerId] = useState<string | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const [assigning, setAssigning] = useState(false);
  const [filter, setFilter] = useState<Filter>('all');
  const [recording, setRecording] = useState<SpotCheckItemDto | null>(null);
  const [revealing, setRevealing] = useState<SpotCheckItemDto | null>(null);
  const [history, setHistory] = useState<SpotCheckItemDto | null>(null);
  const [phones, setPhones] = useState<ReadonlyMap<string, SpotCheckPhoneDto>>(new Map());
  const [reproduced, setReproduced] = useState<SpotCheckReproductionDto | null>(null);
  const staff = canRunSpotChecks(me.role);

  useEffect(() => {
    let cancelled = false;
    spotChecksApi.sample(id).then(
      (s) => {
        if (cancelled) return;
        setSample(s);
        // Township staff open on their own work.
        if (s.mineToCheck > 0) setFilter('mine');
      },
      (e: unknown) => {
        if (!cancelled)
          setError({
            status: (e as { status?: number }).status ?? 0,
            message: errorMessage(e),
          });
      },
    );
    if (staff)
      spotChecksApi.checkers(id).then(
        (r) => !cancelled && setCheckers(r.items),
        () => undefined,
      );
    return () => {
      cancelled = true;
    };
  }, [id, staff]);

  if (error)
    return error.status === 404 ? (
      <Result
        status="404"
        title="抽查样本不存在或不在您的辖区内"
        extra={<Button onClick={() => navigate('/spot-checks')}>返回抽查</Button>}
      />
    ) : (
      <Alert type="error" showIcon title="抽查样本加载失败" description={error.message} />
    );
  if (!sample) return <Skeleton active paragraph={{ rows: 10 }} />;

  const replaceItem = (item: SpotCheckItemDto) =>
    setSample((s) => {
      if (!s) return s;
      const items = s.items.map((i) => (i.id === item.id ? item : i));
      const count = (f: (i: SpotCheckItemDto) => boolean) => items.filter(f).length;
      const checked = count((i) => i.result !== 'pending');
      const verified = count(
        (i) => i.result === 'verified_phone' || i.result === 'verified_in_person',
      );
      return {
        ...s,
        items,
        mineToCheck: count((i) => i.checker?.id === me.id && i.result === 'pending'),
        progress: {
          ...s.progress,
          checked,
          verifiedPhone: count((i) => i.result === 'verified_phone'),
          verifiedInPerson: count((i) => i.result === 'verified_in_person'),
          notVerified: count((i) => i.result === 'not_verified'),
          passRate: checked === 0 ? null : verified / checked,
        },
      };
    });

  const assign = async (to: string | undefined) => {
    if (!to || selected.length === 0) return;
    setAssigning(true);
    try {
      const r = await spotChecksApi.assign(sample.id, { checkerId: to, itemIds: selected });
      setSample(r.sample);
      setSelected([]);
      message.success(`已分配 ${r.assigned} 条`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setAssigning(false);
    }
  };

  const reproduce = async () => {
    try {
      setReproduced(await spotChecksApi.reproduce(sample.id));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const visible = sample.items.filter((i) => {
    switch (filter) {
      case 'all':
        return true;
      case 'mine':
        return i.checker?.id === me.id && i.result === 'pending';
      case 'pending':
        return i.result === 'pending';
      case 'checked':
        return i.result !== 'pending';
      case 'not_verified':
        return i.result === 'not_verified';
    }
  });

  const columns: TableColumnsType<SpotCheckItemDto> = [
    {
      title: '老年人',
      key: 'elder',
      fixed: 'left',
      width: 110,
      render: (_, i) => (
        <Flex vertical>
          <Link to={elderVisitPath(i.elder.id, i.visit.id, i.visit.visitedAt)}>{i.elder.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.village.name}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '探访',
      key: 'visit',
      width: 170,
      render: (_, i) => (
        <Flex vertical gap={2}>
          <span>{chinaTime(i.visit.visitedAt)}</span>
          <Space size={4} wrap>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {VISIT_METHOD_LABELS[i.visit.method]}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {i.visitor?.name ?? '未记录探访人员'}
            </Typography.Text>
          </Space>
        </Flex>
      ),
    },
    {
      title: '凭证提示',
      key: 'proof',
      width: 150,
      render: (_, i) =>
        i.visit.proof.flags.length === 0 ? (
          <Typography.Text type="secondary">无</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {i.visit.proof.flags.map((f) => (
              <Tag key={f.code} color="orange" style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
                {f.message}
              </Tag>
            ))}
          </Flex>
        ),
    },
    {
      title: '联系电话',
      key: 'phone',
      width: 180,
      render: (_, i) => {
        const full = phones.get(i.id);
        const contact = i.elder.emergencyContact;
        return (
          <Flex vertical gap={2}>
            <span>本人：{full ? (full.phone ?? '无') : (i.elder.phoneMasked ?? '无')}</span>
            {contact && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {contact.name}：
                {full ? (full.emergencyContact?.phone ?? '无') : (contact.phoneMasked ?? '无')}
              </Typography.Text>
            )}
            {staff && !full && (
              <Button
                size="small"
                type="link"
                icon={<EyeOutlined />}
                style={{ padding: 0, height: 'auto', alignSelf: 'flex-start' }}
                onClick={() => setRevealing(i)}
                data-testid="item-phone-reveal"
              >
                查看完整电话
              </Button>
            )}
          </Flex>
        );
      },
    },
    {
      title: '核实人员',
      key: 'checker',
      width: 100,
      render: (_, i) =>
        i.checker?.name ?? <Typography.Text type="secondary">未分配</Typography.Text>,
    },
    {
      title: '核实结果',
      key: 'result',
      render: (_, i) => (
        <Flex vertical gap={2} style={{ minWidth: 160 }}>
          <Tag
            color={RESULT_COLORS[i.result]}
            style={{ marginInlineEnd: 0, alignSelf: 'flex-start' }}
            data-testid="item-result"
          >
            {resultLabel(i.result)}
          </Tag>
          {i.checkedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {i.checkedBy?.name} · {chinaTime(i.checkedAt)}
            </Typography.Text>
          )}
          {i.note && <Typography.Text style={{ fontSize: 13 }}>{i.note}</Typography.Text>}
        </Flex>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      width: 110,
      render: (_, i) => (
        <Flex vertical gap={4} align="flex-start">
          {canRecordResult(me, i) && (
            <Button
              size="small"
              type={i.result === 'pending' ? 'primary' : 'default'}
              icon={<CheckCircleOutlined />}
              onClick={() => setRecording(i)}
              data-testid="item-record"
            >
              {i.result === 'pending' ? '记录核实' : '修改结果'}
            </Button>
          )}
          {(i.checker || i.changes > 0) && (
            <Button
              size="small"
              type="link"
              icon={<HistoryOutlined />}
              style={{ padding: 0 }}
              onClick={() => setHistory(i)}
            >
              核实记录
            </Button>
          )}
        </Flex>
      ),
    },
  ];

  const p = sample.progress;
  return (
    <Flex vertical gap={16}>
      <Card
        title={
          <Space>
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate('/spot-checks')}
              aria-label="返回抽查"
            />
            <span>
              {sample.township.name} {monthText(sample.month)} 抽查
            </span>
          </Space>
        }
        extra={
          <Button
            icon={<SafetyCertificateOutlined />}
            onClick={() => void reproduce()}
            data-testid="sample-reproduce"
          >
            复核抽样
          </Button>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'township', label: '乡镇（街道）', children: sample.township.fullName },
            { key: 'month', label: '抽查月份', children: monthText(sample.month) },
            {
              key: 'seed',
              label: '抽样种子',
              children: (
                <Typography.Text code copyable data-testid="sample-seed">
                  {sample.seed}
                </Typography.Text>
              ),
            },
            { key: 'sizing', label: '抽样方式', children: sizingText(sample) },
            {
              key: 'population',
              label: '抽样范围',
              children: `当月探访记录 ${sample.populationSize} 条，探访人员 ${sample.strata} 名`,
            },
            {
              key: 'drawn',
              label: '抽取',
              children: `${sample.drawnBy.name} · ${chinaTime(sample.drawnAt)}`,
            },
          ]}
        />
        {reproduced && (
          <Alert
            style={{ marginTop: 12 }}
            type={reproduced.matches ? 'success' : 'error'}
            showIcon
            closable
            onClose={() => setReproduced(null)}
            data-testid="sample-reproduced"
            title={
              reproduced.matches
                ? `按种子 ${reproduced.seed} 和保存的 ${reproduced.populationSize} 条探访记录重新抽样，结果与本样本一致`
                : `按种子 ${reproduced.seed} 重新抽样的结果与本样本不一致，请联系系统管理员`
            }
          />
        )}
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title="抽查记录" value={p.total} suffix="条" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="已核实" value={p.checked} suffix={`/ ${p.total}`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title="电话 / 实地 / 未能核实"
              value={`${p.verifiedPhone} / ${p.verifiedInPerson} / ${p.notVerified}`}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="通过率" value={passRateText(p)} data-testid="sample-pass-rate" />
          </Col>
        </Row>
      </Card>
      <Card
        title="抽查记录"
        extra={
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: `全部 ${sample.items.length}` },
              ...(staff
                ? [{ value: 'mine' as const, label: `待我核实 ${sample.mineToCheck}` }]
                : []),
              { value: 'pending', label: '待核实' },
              { value: 'checked', label: '已核实' },
              { value: 'not_verified', label: '未能核实' },
            ]}
          />
        }
      >
        {staff && (
          <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
            <Typography.Text>已选 {selected.length} 条，分配给</Typography.Text>
            <Select
              style={{ width: 240 }}
              placeholder="选择核实人员"
              value={checkerId}
              onChange={setCheckerId}
              options={checkers.map((c) => ({
                value: c.id,
                label: `${c.name}（${ROLE_WORDS[c.role] ?? c.role}）`,
              }))}
              data-testid="assign-checker"
            />
            <Button
              type="primary"
              disabled={!checkerId || selected.length === 0}
              loading={assigning}
              onClick={() => void assign(checkerId)}
              data-testid="assign-submit"
            >
              分配
            </Button>
            <Tooltip title="先勾选抽查记录">
              <Button
                disabled={selected.length === 0 || !checkers.some((c) => c.id === me.id)}
                loading={assigning}
                onClick={() => void assign(me.id)}
              >
                分配给我
              </Button>
            </Tooltip>
          </Flex>
        )}
        <Table<SpotCheckItemDto>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={visible}
          pagination={false}
          scroll={{ x: 1060 }}
          onRow={(i) => ({ 'data-testid': 'spot-check-item', 'data-item': i.id }) as object}
          rowSelection={
            staff
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys.map(String)),
                  getCheckboxProps: (i) => ({ disabled: i.result !== 'pending' }),
                }
              : undefined
          }
          locale={{ emptyText: '没有符合条件的抽查记录' }}
        />
      </Card>
      {recording && (
        <ResultModal
          item={recording}
          onClose={() => setRecording(null)}
          onSaved={(item) => {
            setRecording(null);
            replaceItem(item);
          }}
        />
      )}
      {revealing && (
        <PhoneRevealModal
          item={revealing}
          onClose={() => setRevealing(null)}
          onRevealed={(full) => {
            setPhones((m) => new Map(m).set(revealing.id, full));
            setRevealing(null);
          }}
        />
      )}
      {history && <ItemHistoryModal item={history} onClose={() => setHistory(null)} />}
    </Flex>
  );
}
