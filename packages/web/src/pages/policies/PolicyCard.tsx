import { HistoryOutlined, LockOutlined } from '@ant-design/icons';
import { POLICY_PRESETS, VISIT_METHOD_LABELS, cadenceLabel, type PolicyDto } from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Collapse,
  Descriptions,
  Flex,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import { formatTime } from '../../lib/format';
import { TargetTags } from './PolicyTags';
import {
  POLICY_STATE_LABELS,
  VERSION_STATE_LABELS,
  inPersonLabel,
  policyView,
  templateLabel,
  versionChanges,
  versionStates,
  type PolicyState,
  type VersionState,
} from './policyText';

const STATE_COLORS: Record<PolicyState, string> = {
  in_force: 'success',
  scheduled: 'processing',
  retired: 'default',
};

const VERSION_COLORS: Record<VersionState, string> = {
  upcoming: 'blue',
  in_force: 'green',
  retired: 'red',
  superseded: 'gray',
};

/** Props of `PolicyCard`. */
export interface PolicyCardProps {
  policy: PolicyDto;
  /** Opens the new-version form (only offered on an editable policy). */
  onNewVersion: (policy: PolicyDto) => void;
  /** Opens the retirement form (only offered on an editable policy not yet retired). */
  onRetire: (policy: PolicyDto) => void;
}

/**
 * One policy: what it says (the version in force, else the next one), its state, pending
 * versions, the read-only tag of a rule set above the user, and the timeline of every version.
 */
export function PolicyCard({ policy, onNewVersion, onRetire }: PolicyCardProps) {
  const { state, shown, upcoming, since } = policyView(policy);
  const states = versionStates(policy);
  const latest = policy.versions[0];
  if (!shown || !latest) return null;
  const preset = POLICY_PRESETS.find((p) => p.key === policy.preset);

  const stateText =
    state === 'in_force'
      ? `${shown.effectiveFrom} 起生效（第 ${shown.version} 版）`
      : state === 'scheduled'
        ? `将于 ${shown.effectiveFrom} 起生效`
        : `已于 ${since ?? latest.effectiveFrom} 起停用`;

  const items: DescriptionsProps['items'] = [
    { key: 'region', label: '适用区域', children: policy.region.fullName },
    {
      key: 'target',
      label: '适用对象',
      children: <TargetTags tiers={shown.tiers} categories={shown.categories} />,
    },
    {
      key: 'cadence',
      label: '探访频次',
      children: (
        <Typography.Text strong data-testid="policy-cadence">
          {cadenceLabel(shown.cadence)}
        </Typography.Text>
      ),
    },
    {
      key: 'methods',
      label: '计入的探访方式',
      children: shown.countedMethods.map((m) => VISIT_METHOD_LABELS[m]).join('、'),
    },
    { key: 'inPerson', label: '上门要求', children: inPersonLabel(shown.inPersonEvery) },
    { key: 'template', label: '探访表', children: templateLabel(shown.templateKey) },
    { key: 'grace', label: '补录宽限', children: `周期结束后 ${shown.entryGraceDays} 天` },
    { key: 'from', label: '生效日期', children: stateText },
    ...(shown.note ? [{ key: 'note', label: '说明', children: shown.note }] : []),
  ];

  const actions = policy.editable && (
    <Space size={4} wrap>
      <Button size="small" onClick={() => onNewVersion(policy)} data-testid="policy-new-version">
        新版本
      </Button>
      {!latest.retired && (
        <Button size="small" danger onClick={() => onRetire(policy)} data-testid="policy-retire">
          停用
        </Button>
      )}
    </Space>
  );

  return (
    <Card size="small" data-testid="policy-card" styles={{ body: { padding: 16 } }}>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <Flex wrap gap={6} align="center" style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="policy-name">
            {shown.name}
          </Typography.Text>
          <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }}>
            {POLICY_STATE_LABELS[state]}
          </Tag>
          {!policy.editable && (
            <Tag
              icon={<LockOutlined />}
              style={{ marginInlineEnd: 0 }}
              data-testid="policy-readonly"
            >
              上级规则（只读）
            </Tag>
          )}
          {preset && (
            <Tag color="purple" style={{ marginInlineEnd: 0 }} title={preset.source}>
              预设：{preset.name}
            </Tag>
          )}
        </Flex>
        {actions}
      </Flex>

      {upcoming
        .filter((v) => v !== shown)
        .map((v) => (
          <Alert
            key={v.version}
            type={v.retired ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 12 }}
            title={
              v.retired
                ? `将于 ${v.effectiveFrom} 起停用`
                : `第 ${v.version} 版将于 ${v.effectiveFrom} 起生效：${versionChanges(
                    v,
                    policy.versions.find((p) => p.version === v.version - 1),
                  ).join('；')}`
            }
          />
        ))}

      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={items}
      />

      <Collapse
        size="small"
        ghost
        style={{ marginTop: 8 }}
        items={[
          {
            key: 'versions',
            label: (
              <Space size={6}>
                <HistoryOutlined />
                版本记录（共 {policy.versions.length} 版）
              </Space>
            ),
            children: (
              <Timeline
                data-testid="policy-versions"
                style={{ marginTop: 8 }}
                items={policy.versions.map((v, i) => {
                  const previous = policy.versions[i + 1];
                  const vState = states[i] ?? 'superseded';
                  return {
                    key: v.version,
                    color: VERSION_COLORS[vState],
                    content: (
                      <div data-testid="policy-version">
                        <Space size={6} wrap style={{ marginBottom: 4 }}>
                          <Typography.Text strong>第 {v.version} 版</Typography.Text>
                          <Typography.Text>
                            {v.effectiveFrom} 起{v.retired ? '停用' : '生效'}
                          </Typography.Text>
                          <Tag color={VERSION_COLORS[vState]} style={{ marginInlineEnd: 0 }}>
                            {VERSION_STATE_LABELS[vState]}
                          </Tag>
                        </Space>
                        {(previous || !preset
                          ? versionChanges(v, previous)
                          : [`套用预设“${preset.name}”制定`]
                        ).map((change) => (
                          <div key={change}>{change}</div>
                        ))}
                        {v.note && <div>说明：{v.note}</div>}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          录入于 {formatTime(v.createdAt)}
                        </Typography.Text>
                      </div>
                    ),
                  };
                })}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
