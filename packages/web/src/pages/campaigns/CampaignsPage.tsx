import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  CAMPAIGN_KIND_LABELS,
  VISIT_METHOD_LABELS,
  regionLevelOf,
  type CampaignDto,
  type CampaignKind,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Grid,
  Skeleton,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { formatTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { TargetTags } from '../policies/PolicyTags';
import { canWriteCampaigns } from '../policies/permissions';
import { CampaignFormModal } from './CampaignFormModal';
import { CancelCampaignModal } from './CancelCampaignModal';
import { campaignsApi, type CampaignState } from './campaignsApi';
import { chinaTime } from '../../lib/format';
import { CAMPAIGN_STATE_LABELS, withinText } from './campaignText';

const STATES: CampaignState[] = ['in_force', 'scheduled', 'ended', 'cancelled'];
const isState = (value: string | undefined): value is CampaignState =>
  value !== undefined && (STATES as readonly string[]).includes(value);

const KIND_COLORS: Record<CampaignKind, string> = {
  extreme_weather: 'volcano',
  public_health: 'magenta',
  festival: 'gold',
  flood_season: 'blue',
  heating_season: 'orange',
  major_event: 'purple',
  other: 'default',
};

const STATE_COLORS: Record<CampaignState, string> = {
  in_force: 'success',
  scheduled: 'processing',
  ended: 'default',
  cancelled: 'default',
};

const EMPTY_TEXT: Record<CampaignState, string> = {
  in_force:
    '当前没有进行中的专项探访。遇极端天气、公共卫生事件、节日或汛期、供暖季时，可发起专项探访。',
  scheduled: '没有未开始的专项探访。',
  ended: '没有已结束的专项探访。',
  cancelled: '没有已取消的专项探访。',
};

/** One campaign: kind, state, region, window, time limit, whom it selects and its checklist. */
function CampaignCard({
  campaign,
  above,
  onCancel,
}: {
  campaign: CampaignDto;
  /** Set by a region above the user's jurisdiction. */
  above: boolean;
  onCancel: (campaign: CampaignDto) => void;
}) {
  const items: DescriptionsProps['items'] = [
    { key: 'region', label: '适用区域', children: campaign.region.fullName },
    {
      key: 'window',
      label: '起止时间',
      children: `${chinaTime(campaign.startsAt)} 至 ${chinaTime(campaign.endsAt)}`,
    },
    {
      key: 'within',
      label: '时限',
      children: <span data-testid="campaign-within">{withinText(campaign.within)}</span>,
    },
    {
      key: 'target',
      label: '适用对象',
      children: <TargetTags tiers={campaign.tiers} categories={campaign.categories} />,
    },
    {
      key: 'methods',
      label: '计入的探访方式',
      children: campaign.countedMethods.map((m) => VISIT_METHOD_LABELS[m]).join('、'),
    },
    {
      key: 'checklist',
      label: '检查项',
      span: 'filled',
      children:
        campaign.checklist.length > 0 ? (
          <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid="campaign-checklist-items">
            {campaign.checklist.map((item) => (
              <li key={item.key}>{item.label}</li>
            ))}
          </ol>
        ) : (
          '无（使用常规探访表）'
        ),
    },
    ...(campaign.note ? [{ key: 'note', label: '说明', children: campaign.note }] : []),
    { key: 'created', label: '发起时间', children: formatTime(campaign.createdAt) },
  ];

  return (
    <Card size="small" data-testid="campaign-card" styles={{ body: { padding: 16 } }}>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <Flex wrap gap={6} align="center" style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {campaign.name}
          </Typography.Text>
          <Tag color={KIND_COLORS[campaign.kind]} style={{ marginInlineEnd: 0 }}>
            {CAMPAIGN_KIND_LABELS[campaign.kind]}
          </Tag>
          <Tag color={STATE_COLORS[campaign.status]} style={{ marginInlineEnd: 0 }}>
            {CAMPAIGN_STATE_LABELS[campaign.status]}
          </Tag>
          {above && <Tag style={{ marginInlineEnd: 0 }}>上级部署</Tag>}
        </Flex>
        {campaign.editable && (
          <Button
            size="small"
            danger
            onClick={() => onCancel(campaign)}
            data-testid="campaign-cancel"
          >
            取消
          </Button>
        )}
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={items}
      />
    </Card>
  );
}

/** The form being shown, if any. */
type Editing = { kind: 'none' } | { kind: 'create' } | { kind: 'cancel'; campaign: CampaignDto };

/**
 * `/campaigns` (专项探访): time-boxed extra visits in force, scheduled, ended or cancelled in the
 * jurisdiction (and those set above it); townships and above launch and cancel them.
 */
export default function CampaignsPage() {
  const me = useCurrentUser();
  const { get, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const region = get('region');
  const stateParam = get('state');
  const state: CampaignState = isState(stateParam) ? stateParam : 'in_force';
  const writer = canWriteCampaigns(me.role);

  const [campaigns, setCampaigns] = useState<CampaignDto[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [seq, setSeq] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    campaignsApi.listCampaigns({ region, state }).then(
      (items) => {
        if (cancelled) return;
        setCampaigns(items);
        setLoadError(null);
        setLoading(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        setCampaigns(null);
        setLoadError(errorMessage(error));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [region, state, reloadKey]);

  const open = (next: Editing) => {
    setSeq((n) => n + 1);
    setEditing(next);
  };
  const close = () => setEditing({ kind: 'none' });

  const jurisdiction = me.jurisdiction.code;
  const isAbove = (code: string) =>
    code.length < jurisdiction.length && jurisdiction.startsWith(code);

  const actions = writer ? (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => open({ kind: 'create' })}
      data-testid="campaign-create"
    >
      发起专项探访
    </Button>
  ) : null;

  return (
    <Card title="专项探访" extra={wide ? actions : undefined}>
      {!wide && actions && <div style={{ marginBottom: 16 }}>{actions}</div>}
      <Typography.Paragraph type="secondary">
        专项探访是在极端天气、公共卫生事件、传统节日、汛期、供暖季等期间，对所选对象在规定时限内加做的探访，与日常探访规则同时适用。
        {writer ? '' : '专项探访由乡镇(街道)及以上民政部门发起。'}
      </Typography.Paragraph>
      <Flex wrap gap={12} align="center" style={{ marginBottom: 8 }}>
        {/* A village has nothing below it to look at. */}
        {regionLevelOf(me.jurisdiction.code) !== 'village' && (
          <>
            <Typography.Text type="secondary">查看区域</Typography.Text>
            <RegionPicker
              value={region}
              onChange={(code) => update({ region: code })}
              placeholder={`本辖区（${me.jurisdiction.name}）`}
              style={{ width: wide ? 320 : '100%' }}
            />
          </>
        )}
        <Button
          icon={<ReloadOutlined />}
          onClick={() => setReloadKey((k) => k + 1)}
          aria-label="刷新"
        >
          刷新
        </Button>
      </Flex>
      <Tabs
        activeKey={state}
        onChange={(key) => update({ state: key === 'in_force' ? undefined : key })}
        items={STATES.map((s) => ({ key: s, label: CAMPAIGN_STATE_LABELS[s] }))}
      />

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}
      {loading && !campaigns && <Skeleton active paragraph={{ rows: 5 }} />}
      {campaigns && campaigns.length === 0 && (
        <Empty style={{ padding: '32px 0' }} description={EMPTY_TEXT[state]} />
      )}
      <Flex
        vertical
        gap={12}
        style={{ opacity: loading && campaigns ? 0.6 : 1 }}
        data-testid="campaign-list"
      >
        {campaigns?.map((c) => (
          <CampaignCard
            key={c.id}
            campaign={c}
            above={isAbove(c.region.code)}
            onCancel={(campaign) => open({ kind: 'cancel', campaign })}
          />
        ))}
      </Flex>

      {editing.kind === 'create' && (
        <CampaignFormModal
          key={seq}
          onClose={close}
          onSaved={(created) => {
            close();
            // Show the new campaign under its own tab.
            if (created.status !== state)
              update({ state: created.status === 'in_force' ? undefined : created.status });
            else setReloadKey((k) => k + 1);
          }}
        />
      )}
      {editing.kind === 'cancel' && (
        <CancelCampaignModal
          key={seq}
          campaign={editing.campaign}
          onClose={close}
          onCancelled={() => {
            close();
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </Card>
  );
}
