import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { type SpotCheckSampleDto } from '@tanfang/domain';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { chinaYear } from '../visits/visitText';
import { useLoad } from '../worklist/useLoad';
import { DrawSampleModal } from './DrawSampleModal';
import { canRunSpotChecks } from './permissions';
import { spotChecksApi } from './spotChecksApi';
import { monthText, passRateText, sizingText } from './spotCheckText';

/**
 * `/spot-checks` (抽查): the samples of the jurisdiction's townships in a year, with how far the
 * checks went and the pass rate; township and county staff draw a month's sample here.
 */
export default function SpotChecksPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { get, getInt, update } = useQueryState();
  const thisYear = chinaYear();
  const year = getInt('year', thisYear);
  const page = getInt('page', 1);
  const region = get('region') ?? me.jurisdiction.code;
  const [drawing, setDrawing] = useState(false);
  const [reload, setReload] = useState(0);
  const loaded = useLoad(`${region}|${year}|${page}|${reload}`, () =>
    Promise.all([
      spotChecksApi.list({ region, period: String(year), page, pageSize: 20 }),
      spotChecksApi.passRate({ region, period: String(year) }),
    ]),
  )!;

  const columns: TableColumnsType<SpotCheckSampleDto> = [
    {
      title: '乡镇（街道）',
      key: 'township',
      render: (_, s) => (
        <Space size={6}>
          <Typography.Link onClick={() => navigate(`/spot-checks/${s.id}`)}>
            {s.township.name}
          </Typography.Link>
          {s.mineToCheck > 0 && (
            <Badge count={`待我核实 ${s.mineToCheck}`} style={{ backgroundColor: '#fa8c16' }} />
          )}
        </Space>
      ),
    },
    { title: '抽查月份', key: 'month', render: (_, s) => monthText(s.month) },
    {
      title: '抽样',
      key: 'size',
      render: (_, s) => (
        <Flex vertical>
          <span>
            {s.progress.total} 条 / 共 {s.populationSize} 条
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {sizingText(s)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '核实进度',
      key: 'progress',
      width: 180,
      render: (_, s) => (
        <Flex vertical gap={2}>
          <Progress
            percent={
              s.progress.total ? Math.round((s.progress.checked / s.progress.total) * 100) : 0
            }
            size="small"
            format={() => `${s.progress.checked}/${s.progress.total}`}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            已分配 {s.progress.assigned} 条
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '通过率',
      key: 'pass',
      render: (_, s) => (
        <Space size={6}>
          <span>{passRateText(s.progress)}</span>
          {s.progress.notVerified > 0 && (
            <Tag color="red" style={{ marginInlineEnd: 0 }}>
              未能核实 {s.progress.notVerified}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: '抽样种子',
      key: 'seed',
      render: (_, s) => <Typography.Text code>{s.seed}</Typography.Text>,
    },
    {
      title: '抽取',
      key: 'drawn',
      render: (_, s) => (
        <Flex vertical>
          <span>{s.drawnBy.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {chinaTime(s.drawnAt)}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  const total = loaded.state === 'ok' ? loaded.data[1].total : null;
  return (
    <Flex vertical gap={16}>
      <Card
        title="抽查"
        extra={
          <Space wrap>
            {me.role !== 'township' && (
              <RegionPicker
                value={region}
                onChange={(code) => update({ region: code, page: undefined })}
                allowedLevels={['province', 'city', 'county', 'township']}
                allowClear={false}
                style={{ width: 220 }}
              />
            )}
            <DatePicker
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              disabledDate={(d) => d.year() > thisYear}
              onChange={(d) => d && update({ year: d.year(), page: undefined })}
              style={{ width: 104 }}
              aria-label="选择年份"
            />
            <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
              刷新
            </Button>
            {canRunSpotChecks(me.role) && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDrawing(true)}
                data-testid="spot-check-draw"
              >
                抽取样本
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>
          {'每月按乡镇（街道）从已录入的探访记录中按探访人员分层随机抽取样本，由县、乡镇民政工作人员电话或实地核实。' +
            '未能核实的探访标记为“未核实”，不再计入探访率。通过率 = 核实通过 ÷ 已核实。'}
        </Typography.Paragraph>
        {total && (
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="spot-check-summary">
            <Col xs={12} md={6}>
              <Statistic title={`${year} 年抽查记录`} value={total.total} suffix="条" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="已核实" value={total.checked} suffix="条" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="未能核实" value={total.notVerified} suffix="条" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="通过率" value={passRateText(total)} />
            </Col>
          </Row>
        )}
        {loaded.state === 'error' ? (
          <Alert type="error" showIcon title="抽查样本加载失败" description={loaded.message} />
        ) : (
          <Table<SpotCheckSampleDto>
            rowKey="id"
            size="middle"
            loading={loaded.state === 'loading'}
            columns={columns}
            dataSource={loaded.state === 'ok' ? loaded.data[0].items : []}
            scroll={{ x: 900 }}
            onRow={(s) => ({ 'data-testid': 'spot-check-row', 'data-month': s.month }) as object}
            locale={{ emptyText: `${year} 年还没有抽查样本` }}
            pagination={{
              current: page,
              pageSize: 20,
              total: loaded.state === 'ok' ? loaded.data[0].total : 0,
              onChange: (p) => update({ page: p }),
              showSizeChanger: false,
            }}
          />
        )}
      </Card>
      {drawing && (
        <DrawSampleModal
          onClose={() => setDrawing(false)}
          onDrawn={(s) => navigate(`/spot-checks/${s.id}`)}
          onOpenExisting={(id) => navigate(`/spot-checks/${id}`)}
        />
      )}
    </Flex>
  );
}
