import { DownloadOutlined, ReloadOutlined, SettingOutlined } from '@ant-design/icons';
import {
  FIRST_SCORECARD_YEAR,
  SCORECARD_INDICATOR_LABELS,
  percentText,
  regionLevelOf,
  todayIso,
  type IndicatorScoreDto,
  type ScorecardDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Result,
  Select,
  Skeleton,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { saveFile } from '../../lib/download';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { ConfigModal } from './ConfigModal';
import { canConfigureScorecards } from './permissions';
import { scorecardsApi } from './scorecardsApi';

const points = (n: number | null) => (n === null ? '—' : n.toFixed(2));

/** How one indicator was computed: 分子 / 分母 = 比率, weight, points (or 暂无数据 and why). */
function Computation({ i }: { i: IndicatorScoreDto }) {
  if (i.value === null)
    return (
      <Typography.Text type="secondary" data-testid="no-data">
        暂无数据（{i.noData}）
      </Typography.Text>
    );
  return (
    <Typography.Text data-testid="computation">
      {i.numeratorLabel} {i.numerator} ÷ {i.denominatorLabel} {i.denominator} ={' '}
      <b>{percentText(i.value)}</b>
    </Typography.Text>
  );
}

/** A region's scorecard: each indicator's computation, weight and points, and the total. */
function ScorecardCard({ card, narrow }: { card: ScorecardDto; narrow: boolean }) {
  const columns: TableColumnsType<IndicatorScoreDto> = [
    {
      title: '指标',
      dataIndex: 'label',
      width: 130,
      render: (label: string, i) => (
        <Tooltip title={i.definition}>
          <Typography.Text strong style={{ cursor: 'help' }}>
            {label}
          </Typography.Text>
        </Tooltip>
      ),
    },
    { title: '计算', key: 'computation', render: (_, i) => <Computation i={i} /> },
    {
      title: '权重',
      dataIndex: 'weight',
      width: 70,
      align: 'right',
    },
    {
      title: '满分线',
      dataIndex: 'target',
      width: 80,
      align: 'right',
      render: (t: number) => percentText(t),
      responsive: ['md'],
    },
    {
      title: '得分',
      dataIndex: 'points',
      width: 80,
      align: 'right',
      render: (p: number | null) => <span data-testid="points">{points(p)}</span>,
    },
  ];
  return (
    <Card
      size="small"
      data-testid="scorecard"
      title={
        <Flex gap={8} align="center" wrap>
          <span>{card.region.name}</span>
          <Tag>{card.level === 'county' ? '县(区)' : '乡镇(街道)'}</Tag>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {card.year} 年度
          </Typography.Text>
        </Flex>
      }
      extra={
        <Typography.Text data-testid="scorecard-total" style={{ fontSize: 18 }}>
          总分 <b>{card.total === null ? '暂无数据' : card.total.toFixed(1)}</b>
        </Typography.Text>
      }
    >
      {narrow ? (
        <Flex vertical gap={8}>
          {card.indicators.map((i) => (
            <div key={i.key} data-testid={`indicator-${i.key}`}>
              <Flex justify="space-between">
                <Typography.Text strong>{i.label}</Typography.Text>
                <Typography.Text>
                  权重 {i.weight} · 得分 <span data-testid="points">{points(i.points)}</span>
                </Typography.Text>
              </Flex>
              <Computation i={i} />
            </div>
          ))}
        </Flex>
      ) : (
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={card.indicators}
          onRow={(i) => ({ 'data-testid': `indicator-${i.key}` }) as object}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        得分 = 权重 × min(1, 比率 ÷ 满分线)；总分 = 得分合计 {points(card.points)} ÷ 计分权重{' '}
        {card.weightCounted} × 100。暂无数据的指标不计分。
      </Typography.Paragraph>
    </Card>
  );
}

/** The townships of a county, or the counties of a city, ranked. */
function Ranking({ cards, onPick }: { cards: ScorecardDto[]; onPick: (code: string) => void }) {
  const keys = cards[0]?.indicators.map((i) => i.key) ?? [];
  const columns: TableColumnsType<ScorecardDto & { rank: number | null }> = [
    { title: '排名', dataIndex: 'rank', width: 60, render: (r: number | null) => r ?? '—' },
    {
      title: '区域',
      key: 'region',
      render: (_, c) => (
        <Typography.Link onClick={() => onPick(c.region.code)}>{c.region.name}</Typography.Link>
      ),
    },
    {
      title: '总分',
      dataIndex: 'total',
      width: 90,
      align: 'right',
      render: (t: number | null) => (t === null ? '暂无数据' : <b>{t.toFixed(1)}</b>),
    },
    ...keys.map((k) => ({
      title: cards[0]!.indicators.find((i) => i.key === k)!.label,
      key: k,
      responsive: ['md' as const],
      render: (_: unknown, c: ScorecardDto) => {
        const i = c.indicators.find((x) => x.key === k);
        if (!i) return '—';
        return i.value === null ? (
          <Typography.Text type="secondary">暂无数据</Typography.Text>
        ) : (
          <span>
            {percentText(i.value)}{' '}
            <Typography.Text type="secondary">（{points(i.points)} 分）</Typography.Text>
          </span>
        );
      },
    })),
  ];
  let rank = 0;
  const rows = cards.map((c) => ({ ...c, rank: c.total === null ? null : ++rank }));
  return (
    <Table
      rowKey={(c) => c.region.code}
      size="small"
      data-testid="scorecard-ranking"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 'max-content' }}
    />
  );
}

/** The regions with no data for any indicator (no elders registered yet), named in one line. */
function NoData({ cards }: { cards: ScorecardDto[] }) {
  if (cards.length === 0) return null;
  return (
    <Typography.Paragraph
      type="secondary"
      style={{ fontSize: 12, margin: '8px 0 0' }}
      data-testid="scorecard-no-data"
    >
      另有 {cards.length} 个{cards[0]!.level === 'township' ? '乡镇(街道)' : '县(区)'}
      暂无数据（尚未登记老年人）：{cards.map((c) => c.region.name).join('、')}
    </Typography.Paragraph>
  );
}

/**
 * `/scorecards` (绩效考评): a township's or county's yearly score on each indicator with how it
 * was computed, a county's townships (a city's counties) ranked, the .xlsx export, and for county
 * and city staff the indicators and weights.
 */
export default function ScorecardsPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const { get, update } = useQueryState();
  const narrow = !(Grid.useBreakpoint().md ?? true);
  const currentYear = Number(todayIso().slice(0, 4));
  const year = Number(get('year') ?? currentYear);
  const region = get('region') ?? me.jurisdiction.code;
  const [reloadKey, setReloadKey] = useState(0);
  const [configOpen, setConfigOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const loaded = useLoad(`${region}|${year}|${reloadKey}`, () =>
    scorecardsApi.scorecards({ region, year }),
  )!;
  const level = regionLevelOf(region);
  const canConfigure = canConfigureScorecards(me.role) && (level === 'county' || level === 'city');

  const onExport = async () => {
    setExporting(true);
    try {
      const file = await scorecardsApi.export({ region, year });
      saveFile(file.blob, file.fileName ?? `绩效考评-${year}.xlsx`);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setExporting(false);
    }
  };

  const years = [];
  for (let y = currentYear; y >= FIRST_SCORECARD_YEAR && years.length < 6; y--) years.push(y);

  return (
    <Flex vertical gap={12}>
      <Card
        size="small"
        title="绩效考评"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        }
      >
        <Flex wrap gap={8} align="center">
          <Select
            aria-label="考评年度"
            data-testid="scorecard-year"
            value={year}
            onChange={(y) => update({ year: y === currentYear ? undefined : y })}
            options={years.map((y) => ({ value: y, label: `${y} 年度` }))}
            style={{ width: 120 }}
          />
          {me.jurisdiction.code.length < 9 && (
            <RegionPicker
              value={get('region')}
              onChange={(code) => update({ region: code })}
              allowedLevels={['city', 'county', 'township']}
              placeholder="选择县(区)或乡镇(街道)"
              style={{ width: narrow ? '100%' : 300 }}
            />
          )}
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void onExport()}
            loading={exporting}
            data-testid="scorecard-export"
          >
            导出 Excel
          </Button>
          {canConfigure && (
            <Button
              icon={<SettingOutlined />}
              onClick={() => setConfigOpen(true)}
              data-testid="scorecard-config-open"
            >
              指标与权重
            </Button>
          )}
        </Flex>
        {loaded.state === 'ok' && (
          <Typography.Paragraph
            type="secondary"
            style={{ fontSize: 12, margin: '8px 0 0' }}
            data-testid="scorecard-config-source"
          >
            {loaded.data.region.fullName} · 指标与权重：
            {loaded.data.config.from ? `${loaded.data.config.from.name}设置` : '系统默认'}（
            {loaded.data.config.indicators
              .filter((i) => i.weight > 0)
              .map((i) => `${SCORECARD_INDICATOR_LABELS[i.key]} ${i.weight}`)
              .join('、')}
            ）
          </Typography.Paragraph>
        )}
      </Card>

      {loaded.state === 'loading' && (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      )}
      {loaded.state === 'error' && (
        <Card>
          <Result
            status={loaded.status >= 500 || loaded.status === 0 ? 'error' : 'warning'}
            title="绩效考评加载失败"
            subTitle={loaded.message}
          />
        </Card>
      )}
      {loaded.state === 'ok' && (
        <>
          {loaded.data.own?.indicators.some(
            (i) => i.key === 'spot_check_pass' && i.value === null,
          ) && (
            <Alert
              type="info"
              showIcon
              title="抽查核实率暂无数据：考评年度内还没有已核实的抽查，该指标不计分，其余指标按权重折算为百分制。"
            />
          )}
          {loaded.data.own && <ScorecardCard card={loaded.data.own} narrow={narrow} />}
          {loaded.data.children.length > 0 && (
            <Card
              size="small"
              title={
                loaded.data.children[0]!.level === 'township' ? '各乡镇(街道)排名' : '各县(区)排名'
              }
            >
              <Ranking
                cards={loaded.data.children.filter((c) => c.total !== null)}
                onPick={(code) => update({ region: code })}
              />
              <NoData cards={loaded.data.children.filter((c) => c.total === null)} />
            </Card>
          )}
          {!loaded.data.own && loaded.data.children.length === 0 && (
            <Card>
              <Empty description="没有可考评的区域" />
            </Card>
          )}
        </>
      )}
      {canConfigure && (
        <ConfigModal
          open={configOpen}
          region={region}
          year={year}
          onClose={() => setConfigOpen(false)}
          onSaved={() => {
            setConfigOpen(false);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </Flex>
  );
}
