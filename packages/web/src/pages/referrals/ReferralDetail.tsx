import {
  PROVIDER_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  type ReferralDetailDto,
  type ReferralDto,
  type ReferralStatus,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Grid,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { FindingStatusTag } from '../visits/FindingTags';
import { useLoad } from '../worklist/useLoad';
import { CareServiceModal } from './CareServiceModal';
import { ACTION_LABELS, ReferralStatusTag, SatisfactionTag } from './referralText';
import { referralsApi } from './referralsApi';
import { TransitionModal } from './TransitionModal';

/** Referral statuses in which its provider records the care service given. */
const SERVING: readonly ReferralStatus[] = ['accepted', 'in_progress', 'completed'];

/** A step's words: 已转介, 已接收 → 服务中, or 服务进展 (a report while in service). */
function stepText(from: ReferralStatus | null, to: ReferralStatus | null): string {
  if (!to) return '备注';
  if (from === to) return '服务进展';
  return REFERRAL_STATUS_LABELS[to];
}

/**
 * The buttons of what the viewer may do now: the provider 接收 / 拒绝 / 报告进展 / 完成服务 and
 * 记录关爱服务; staff 撤回转介.
 */
export function ReferralActions({
  referral,
  onChanged,
  size,
}: {
  referral: ReferralDto;
  onChanged: () => void;
  size?: 'small' | 'middle';
}) {
  const me = useCurrentUser();
  const [moving, setMoving] = useState<Exclude<ReferralStatus, 'sent'> | null>(null);
  const [recording, setRecording] = useState(false);
  const canRecord = me.role === 'provider' && SERVING.includes(referral.status);
  if (referral.actions.length === 0 && !canRecord) return null;
  return (
    <>
      <Space wrap size={8}>
        {referral.actions.map((to) =>
          to === 'sent' ? null : (
            <Button
              key={to}
              size={size}
              type={to === 'accepted' || to === 'completed' ? 'primary' : 'default'}
              danger={to === 'declined' || to === 'cancelled'}
              onClick={() => setMoving(to)}
              data-testid={`referral-action-${to}`}
            >
              {ACTION_LABELS[to]}
            </Button>
          ),
        )}
        {canRecord && (
          <Button
            size={size}
            onClick={() => setRecording(true)}
            data-testid="referral-record-service"
          >
            记录关爱服务
          </Button>
        )}
      </Space>
      {moving && (
        <TransitionModal
          referral={referral}
          to={moving}
          onClose={() => setMoving(null)}
          onDone={() => {
            setMoving(null);
            onChanged();
          }}
        />
      )}
      {recording && (
        <CareServiceModal
          referral={referral}
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            onChanged();
          }}
        />
      )}
    </>
  );
}

/** A referral's facts, its history (every step with who and when) and its care services. */
function DetailBody({
  referral,
  onChanged,
}: {
  referral: ReferralDetailDto;
  onChanged: () => void;
}) {
  const me = useCurrentUser();
  const staff = me.role !== 'provider';
  return (
    <Flex vertical gap={16} data-testid="referral-detail">
      <Flex wrap gap={8} align="center">
        <ReferralStatusTag status={referral.status} forProvider={!staff} />
        <Typography.Text strong>{PROVIDER_KIND_LABELS[referral.kind]}</Typography.Text>
        <Typography.Text type="secondary">转介于 {chinaTime(referral.createdAt)}</Typography.Text>
      </Flex>
      <ReferralActions referral={referral} onChanged={onChanged} />
      <Descriptions
        size="small"
        column={1}
        styles={{ label: { width: 96 } }}
        items={[
          {
            key: 'elder',
            label: '老年人',
            children: staff ? (
              <Link to={`/elders/${referral.elder.id}?tab=followup`}>{referral.elder.name}</Link>
            ) : (
              referral.elder.name
            ),
          },
          { key: 'village', label: '所在地', children: referral.elder.village.fullName },
          { key: 'phone', label: '联系电话', children: referral.elder.phoneMasked ?? '—' },
          { key: 'need', label: '服务需求', children: referral.need },
          {
            key: 'provider',
            label: '服务机构',
            children: `${referral.provider.name}${referral.provider.phone ? `（${referral.provider.phone}）` : ''}`,
          },
          {
            key: 'by',
            label: '转介人',
            children: referral.referredBy
              ? `${referral.referredBy.name}${referral.referredBy.phone ? `（${referral.referredBy.phone}）` : ''}`
              : '—',
          },
          ...(referral.finding
            ? [
                {
                  key: 'finding',
                  label: '发现问题',
                  children: (
                    <Space size={6} wrap>
                      {referral.finding.title}
                      <FindingStatusTag status={referral.finding.status} />
                    </Space>
                  ),
                },
              ]
            : []),
          ...(referral.outcome
            ? [{ key: 'outcome', label: '服务结果', children: referral.outcome }]
            : []),
        ]}
      />
      {!staff && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          如需联系老年人，请与转介人联系。
        </Typography.Text>
      )}
      <Card size="small" title="处理经过">
        <Timeline
          style={{ marginTop: 8 }}
          items={referral.events.map((e) => ({
            key: e.id,
            color: e.toStatus === 'declined' || e.toStatus === 'cancelled' ? 'gray' : 'blue',
            content: (
              <Flex vertical gap={2} data-testid="referral-event">
                <Space size={8} wrap>
                  <Typography.Text strong>{stepText(e.fromStatus, e.toStatus)}</Typography.Text>
                  <Typography.Text type="secondary">
                    {chinaTime(e.at)} · {e.actor ?? '系统'}
                  </Typography.Text>
                </Space>
                {e.note && <Typography.Text>{e.note}</Typography.Text>}
              </Flex>
            ),
          }))}
        />
      </Card>
      <Card size="small" title="关爱服务">
        {referral.careServices.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未记录关爱服务" />
        ) : (
          <Flex vertical gap={10}>
            {referral.careServices.map((s) => (
              <div key={s.id} data-testid="referral-care-service">
                <Space size={8} wrap>
                  <Typography.Text strong>{s.servedOn}</Typography.Text>
                  <SatisfactionTag value={s.satisfaction} />
                  <Typography.Text type="secondary">{s.providerName}</Typography.Text>
                </Space>
                <Typography.Paragraph style={{ margin: '2px 0 0' }}>
                  {s.content}
                </Typography.Paragraph>
              </div>
            ))}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}

/** The drawer of one referral (`?referral=id`), reloaded after every step. */
export function ReferralDrawer({
  referralId,
  onClose,
  onChanged,
}: {
  referralId: string | undefined;
  onClose: () => void;
  onChanged: () => void;
}) {
  const wide = Grid.useBreakpoint().md ?? true;
  const [version, setVersion] = useState(0);
  const loaded = useLoad(referralId ? `${referralId}|${version}` : null, () =>
    referralsApi.get(referralId!),
  );
  return (
    <Drawer
      open={Boolean(referralId)}
      onClose={onClose}
      title={loaded?.state === 'ok' ? `转介：${loaded.data.elder.name}` : '转介'}
      size={wide ? 560 : '100%'}
      destroyOnHidden
    >
      {loaded?.state === 'loading' && <Skeleton active paragraph={{ rows: 8 }} />}
      {loaded?.state === 'error' && <Alert type="error" showIcon title={loaded.message} />}
      {loaded?.state === 'ok' && (
        <DetailBody
          referral={loaded.data}
          onChanged={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}
