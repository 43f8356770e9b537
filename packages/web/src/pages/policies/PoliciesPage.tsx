import { AppstoreAddOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  REGION_LEVEL_LABELS,
  regionLevelOf,
  type PolicyDto,
  type RegionRef,
} from '@tanfang/domain';
import { Alert, Button, Card, Empty, Flex, Grid, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { PolicyCard } from './PolicyCard';
import { PolicyFormModal } from './PolicyFormModal';
import { PresetModal } from './PresetModal';
import { RetirePolicyModal } from './RetirePolicyModal';
import { canWritePolicies } from './permissions';
import { policiesApi } from './policiesApi';

/** The policies of one region, in the order the server gave them. */
interface RegionGroup {
  region: RegionRef;
  policies: PolicyDto[];
}

/** Groups policies by region, keeping the server's order (outermost region first). */
function groupByRegion(policies: readonly PolicyDto[]): RegionGroup[] {
  const groups: RegionGroup[] = [];
  for (const policy of policies) {
    const last = groups.at(-1);
    if (last && last.region.code === policy.region.code) last.policies.push(policy);
    else groups.push({ region: policy.region, policies: [policy] });
  }
  return groups.sort((a, b) => a.region.code.length - b.region.code.length);
}

/** The form being shown, if any. */
type Editing =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'version'; policy: PolicyDto }
  | { kind: 'retire'; policy: PolicyDto }
  | { kind: 'preset' };

/**
 * `/policies` (探访规则): the visit policies that apply in the jurisdiction (or a region in it),
 * from the outermost region inward, with their versions; county, city and admin users set them.
 */
export default function PoliciesPage() {
  const me = useCurrentUser();
  const { get, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const region = get('region');
  const writer = canWritePolicies(me.role);

  const [policies, setPolicies] = useState<PolicyDto[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  // Grows on every opening and keys the form, so each opening starts from a fresh form.
  const [seq, setSeq] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    policiesApi.listPolicies(region).then(
      (items) => {
        if (cancelled) return;
        setPolicies(items);
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
  }, [region, reloadKey]);

  const groups = useMemo(() => groupByRegion(policies ?? []), [policies]);
  // A new policy starts with the form the rules above already use.
  const suggestedTemplate = policies?.find((p) => p.current)?.current?.templateKey;

  const close = () => setEditing({ kind: 'none' });
  const closeAndReload = () => {
    close();
    setReloadKey((k) => k + 1);
  };
  const open = (next: Editing) => {
    setSeq((n) => n + 1);
    setEditing(next);
  };

  const actions = writer ? (
    <Space wrap>
      <Button
        icon={<AppstoreAddOutlined />}
        onClick={() => open({ kind: 'preset' })}
        data-testid="policy-preset"
      >
        套用预设
      </Button>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => open({ kind: 'create' })}
        data-testid="policy-create"
      >
        新建规则
      </Button>
    </Space>
  ) : null;

  return (
    <Card title="探访规则" extra={wide ? actions : undefined}>
      {!wide && actions && <div style={{ marginBottom: 16 }}>{actions}</div>}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="policy-precedence"
        title="每位老年人按其居住地适用的规则探访：适用区域最具体、对象范围最具体的规则优先（同样具体时，生效日期较新的优先）；下级未另定规则的，沿用上级规则。"
        description={
          writer
            ? '规则不直接修改：调整时添加新版本（自某日起生效），或设定停用日期；生效日期不能早于今天，已过去的周期不受影响。'
            : '本页为只读：探访规则由县(区)、市民政部门制定。'
        }
      />
      <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
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

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      {loading && !policies && <Skeleton active paragraph={{ rows: 6 }} />}

      {policies && policies.length === 0 && !loadError && (
        <Empty
          style={{ padding: '32px 0' }}
          description={
            writer
              ? '本区域及上级尚未制定探访规则。可“新建规则”，或“套用预设”采用国家或地方文件的分级探访要求。'
              : '本区域及上级尚未制定探访规则，请联系县(区)民政部门制定。'
          }
        />
      )}

      <Flex vertical gap={24} style={{ opacity: loading && policies ? 0.6 : 1 }}>
        {groups.map((group) => {
          const level = regionLevelOf(group.region.code);
          return (
            <section key={group.region.code} data-testid="policy-group">
              <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
                {level && (
                  <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                    {REGION_LEVEL_LABELS[level]}
                  </Tag>
                )}
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {group.region.fullName}
                </Typography.Title>
                <Typography.Text type="secondary">{group.policies.length} 条规则</Typography.Text>
              </Flex>
              <Flex vertical gap={12}>
                {group.policies.map((policy) => (
                  <PolicyCard
                    key={policy.id}
                    policy={policy}
                    onNewVersion={(p) => open({ kind: 'version', policy: p })}
                    onRetire={(p) => open({ kind: 'retire', policy: p })}
                  />
                ))}
              </Flex>
            </section>
          );
        })}
      </Flex>

      {(editing.kind === 'create' || editing.kind === 'version') && (
        <PolicyFormModal
          key={seq}
          open
          policy={editing.kind === 'version' ? editing.policy : undefined}
          suggestedTemplate={suggestedTemplate}
          onClose={close}
          onSaved={closeAndReload}
        />
      )}
      {editing.kind === 'retire' && (
        <RetirePolicyModal
          key={seq}
          policy={editing.policy}
          onClose={close}
          onRetired={closeAndReload}
        />
      )}
      {editing.kind === 'preset' && (
        <PresetModal key={seq} onClose={close} onApplied={closeAndReload} />
      )}
    </Card>
  );
}
