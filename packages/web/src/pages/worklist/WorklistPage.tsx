import { ReloadOutlined } from '@ant-design/icons';
import {
  WORKLIST_BUCKETS,
  WORKLIST_BUCKET_LABELS,
  regionLevelOf,
  type RegionWorklistDto,
  type WorklistBucket,
} from '@tanfang/domain';
import { Alert, Button, Card, Flex, Grid, Result, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { OverdueByVisitor } from './OverdueByVisitor';
import { canReadRegionWorklist, isWorklistRegion } from './permissions';
import { SummaryCard } from './SummaryCard';
import { UnassignedCard } from './UnassignedCard';
import { useLoad } from './useLoad';
import { worklistApi } from './worklistApi';
import { clockTime } from './worklistText';

/** Colours of the count tiles (已逾期 red, 专项任务 orange, 未落实探访人 amber). */
const TILE_COLORS: Partial<Record<WorklistBucket | 'unassigned', string>> = {
  overdue: '#cf1322',
  campaign: '#d46b08',
  unassigned: '#d48806',
};

/** Where visitors are assigned to elders, opened on the elders without one. */
const ASSIGN_PATH = '/assignments?unassigned=true';

function Tile({
  label,
  value,
  color,
  testId,
  span,
}: {
  label: string;
  value: number;
  color?: string;
  testId: string;
  /** Grid columns the tile spans (the last tile fills a phone's row). */
  span?: number;
}) {
  const strong = value > 0 && color;
  return (
    <div
      data-testid={testId}
      style={{
        background: '#fff',
        border: `1px solid ${strong ? color : '#f0f0f0'}`,
        borderRadius: 8,
        padding: '10px 12px',
        gridColumn: span ? `span ${span}` : undefined,
      }}
    >
      <div style={{ fontSize: 14, color: '#595959', whiteSpace: 'nowrap' }}>{label}</div>
      <div style={{ fontSize: 26, fontWeight: 600, color: strong ? color : '#1f1f1f' }}>
        {value}
      </div>
    </div>
  );
}

/** 在册, the five groups and 未落实探访人 of a region. */
function CountTiles({ data, wide }: { data: RegionWorklistDto; wide: boolean }) {
  return (
    <div
      data-testid="worklist-counts"
      style={{
        display: 'grid',
        gridTemplateColumns: wide ? 'repeat(auto-fit, minmax(112px, 1fr))' : 'repeat(3, 1fr)',
        gap: 8,
      }}
    >
      <Tile testId="count-elders" label="在册老年人" value={data.elders} />
      {WORKLIST_BUCKETS.map((b) => (
        <Tile
          key={b}
          testId={`count-${b}`}
          label={WORKLIST_BUCKET_LABELS[b]}
          value={data.counts[b]}
          color={TILE_COLORS[b]}
        />
      ))}
      <Tile
        testId="count-unassigned"
        label="未落实探访人"
        value={data.unassignedTotal}
        color={TILE_COLORS.unassigned}
        span={wide ? undefined : 3}
      />
    </div>
  );
}

/** The region worklist's part of the page: counts, 已逾期 by visitor, 未落实探访人. */
function RegionWorklist({
  region,
  reloadKey,
  wide,
  onReset,
}: {
  region: string;
  reloadKey: number;
  wide: boolean;
  /** Goes back to the user's own jurisdiction (when another region was asked for). */
  onReset?: () => void;
}) {
  const loaded = useLoad(`${region}|${reloadKey}`, () => worklistApi.regionWorklist(region))!;
  if (loaded.state === 'loading') {
    return (
      <Card data-testid="worklist-loading">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  if (loaded.state === 'error') {
    return (
      <Card data-testid="worklist-error">
        <Result
          // The icon, not the 404/403 illustrations: they fill a phone's screen.
          status={loaded.status === 0 || loaded.status >= 500 ? 'error' : 'warning'}
          title={loaded.status === 404 ? '无法查看该区域' : '探访任务加载失败'}
          subTitle={loaded.message}
          extra={
            onReset && (
              <Button type="primary" onClick={onReset}>
                查看本辖区的探访任务
              </Button>
            )
          }
        />
      </Card>
    );
  }
  const data = loaded.data;
  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary" data-testid="worklist-region">
        {data.region.fullName} · 更新于 {clockTime(data.asOf)}
      </Typography.Text>
      <CountTiles data={data} wide={wide} />
      {data.withoutPolicy > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`${data.withoutPolicy} 位在册老年人没有适用的探访规则（探访频次），不会产生定期探访任务。请在“探访规则”中设置。`}
        />
      )}
      <OverdueByVisitor groups={data.overdueByVisitor} today={data.today} wide={wide} />
      <UnassignedCard
        elders={data.unassigned}
        total={data.unassignedTotal}
        wide={wide}
        assignPath={ASSIGN_PATH}
      />
    </Flex>
  );
}

/**
 * `/worklist` (探访任务): for a village or a township, the overdue visits by visitor, the elders
 * without a visitor, and the month's visits per child region. County and city staff pick a
 * township first; roles the region lists are not served to see the month's counts only.
 */
export default function WorklistPage() {
  const me = useCurrentUser();
  const { get, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const [reloadKey, setReloadKey] = useState(0);

  const own = me.jurisdiction.code;
  const asked = get('region');
  const period = get('period');
  const listsAllowed = canReadRegionWorklist(me.role);
  // A village or township sees its own lists at once; above that a township must be picked.
  const worklistRegion = asked ?? (isWorklistRegion(own) ? own : undefined);
  const summaryRegion = asked ?? own;
  const canPick = regionLevelOf(own) !== 'village';

  let lists;
  if (!listsAllowed) {
    lists = (
      <Alert
        type="info"
        showIcon
        title="逾期未访名单和未落实探访人由县(区)、乡镇(街道)、村(居)查看；下面是各地的探访情况。"
      />
    );
  } else if (!isWorklistRegion(worklistRegion)) {
    lists = (
      <Alert
        type="info"
        showIcon
        data-testid="pick-township"
        title="探访任务按乡镇(街道)或村(居)查看，请先在上方选择一个乡镇(街道)。"
        description="下面是辖区各地的探访情况；选择区域或点击表中的乡镇(街道)名称，可查看该地的逾期未访名单和未落实探访人。"
      />
    );
  } else {
    lists = (
      <RegionWorklist
        region={worklistRegion}
        reloadKey={reloadKey}
        wide={wide}
        onReset={asked ? () => update({ region: undefined }) : undefined}
      />
    );
  }

  return (
    <Flex vertical gap={16}>
      <Card
        title="探访任务"
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setReloadKey((k) => k + 1)}
            data-testid="worklist-reload"
          >
            刷新
          </Button>
        }
        styles={{ body: canPick ? (wide ? undefined : { padding: 12 }) : { display: 'none' } }}
      >
        {canPick && (
          <Flex wrap gap={12} align="center">
            <Typography.Text>区域：</Typography.Text>
            <RegionPicker
              value={asked}
              onChange={(code) => update({ region: code })}
              allowedLevels={listsAllowed ? ['township', 'village'] : undefined}
              placeholder="选择区域"
              style={{ width: wide ? 360 : '100%' }}
            />
            {asked && (
              <Button type="link" onClick={() => update({ region: undefined })}>
                回到本辖区
              </Button>
            )}
          </Flex>
        )}
      </Card>
      {lists}
      <SummaryCard
        region={summaryRegion}
        period={period}
        onPeriodChange={(p) => update({ period: p })}
        onPick={listsAllowed ? (code) => update({ region: code }) : undefined}
        wide={wide}
        reloadKey={reloadKey}
      />
    </Flex>
  );
}
