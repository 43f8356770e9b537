import {
  ArrowLeftOutlined,
  EditOutlined,
  EyeInvisibleOutlined,
  EyeOutlined,
  FormOutlined,
  PrinterOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import {
  CATEGORY_LABELS,
  ELDER_STATUS_LABELS,
  GENDER_LABELS,
  TIER_LABELS,
  type ElderDto,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, errorMessage, type ElderReveal } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { formatTime } from '../../lib/format';
import { CategoryTags, ElderStatusTag, TierTag } from './ElderTags';
import { ElderSections } from './ElderSections';
import {
  CHANGE_ACTION_LABELS,
  FINDING_SOURCE_COLORS,
  FINDING_SOURCE_LABELS,
  fieldLabel,
} from './labels';
import { lastListSearch } from './listSearch';
import { canEditElders, canRevealElders } from './permissions';
import { RegionName } from './RegionName';
import { RevealModal } from './RevealModal';
import { StatusChangeModal } from './StatusChangeModal';
import { ElderScheduleCard } from '../worklist/ElderScheduleCard';
import { useQueryState } from '../../lib/useQueryState';
import { ElderFindingsSection } from '../visits/ElderFindingsSection';
import { ElderVisitsSection } from '../visits/ElderVisitsSection';
import { PaperVisitModal } from '../visits/PaperVisitModal';
import { canEnterPaperVisits } from '../visits/paperVisit';
import { chinaYear } from '../visits/visitText';
import { ElderFollowUpSection } from '../referrals/ElderFollowUpSection';
import { EntitlementHintsCard } from '../referrals/EntitlementHintsCard';

type Change = ElderDto['changes'][number];

/** 类别认定: each category with where it comes from and why. */
function FindingsCard({ elder }: { elder: ElderDto }) {
  return (
    <Card size="small" title="类别认定" data-testid="elder-findings">
      {elder.findings.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无认定的类别" />
      ) : (
        <Flex vertical gap={10}>
          {elder.findings.map((f) => (
            <div key={`${f.category}-${f.source}`}>
              <Space size={4} wrap>
                <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
                  {CATEGORY_LABELS[f.category]}
                </Tag>
                <Tag color={FINDING_SOURCE_COLORS[f.source]} style={{ marginInlineEnd: 0 }}>
                  {FINDING_SOURCE_LABELS[f.source]}
                </Tag>
              </Space>
              <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', fontSize: 13 }}>
                {f.why}
              </Typography.Paragraph>
            </div>
          ))}
        </Flex>
      )}
    </Card>
  );
}

/** 分级: the tier in force, the computed one and why, and a staff override with its reason. */
function TierCard({ elder, canEdit }: { elder: ElderDto; canEdit: boolean }) {
  const info = elder.tierInfo;
  return (
    <Card
      size="small"
      title="分级"
      data-testid="elder-tier"
      extra={
        canEdit && (
          <Link to={`/elders/${elder.id}/edit#tier`} aria-label="调整分级">
            调整分级
          </Link>
        )
      }
    >
      <Space size={8} wrap>
        <TierTag tier={info.effective} />
        <Typography.Text type="secondary">
          {info.effective === 'high_risk'
            ? '建议每周探访'
            : info.effective === 'key'
              ? '建议每月探访'
              : '建议每季度探访'}
        </Typography.Text>
      </Space>
      {info.override && (
        <Alert
          style={{ marginTop: 10 }}
          type="info"
          showIcon
          title={`人工调整为${TIER_LABELS[info.override.tier]}（按规则计算为${TIER_LABELS[info.computed]}）`}
          description={`调整原因：${info.override.reason}`}
        />
      )}
      <Typography.Text strong style={{ display: 'block', marginTop: 10 }}>
        {info.override ? '计算依据' : '分级依据'}
      </Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        {info.reasons.map((r) => (
          <li key={r}>
            <Typography.Text type="secondary">{r}</Typography.Text>
          </li>
        ))}
      </ul>
    </Card>
  );
}

const changeColumns: TableColumnsType<Change> = [
  { title: '时间', dataIndex: 'at', width: 150, render: (at: string) => formatTime(at) },
  { title: '操作人', dataIndex: 'by', width: 110, render: (by: string | null) => by ?? '—' },
  {
    title: '操作',
    dataIndex: 'action',
    width: 110,
    render: (action: string) => CHANGE_ACTION_LABELS[action] ?? action,
  },
  {
    title: '涉及内容',
    dataIndex: 'fields',
    render: (fields: string[]) =>
      fields.length > 0 ? fields.map((f) => fieldLabel(f)).join('、') : '—',
  },
];

/** 历史: status over time (effective dates) and every change of the record. */
function HistoryTab({ elder }: { elder: ElderDto }) {
  // Latest first; entries of one move share their dates, so the server's order breaks ties.
  const statuses = elder.statusHistory
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        b.entry.effectiveDate.localeCompare(a.entry.effectiveDate) ||
        b.entry.recordedAt.localeCompare(a.entry.recordedAt) ||
        b.index - a.index,
    )
    .map(({ entry }) => entry);
  const changes = [...elder.changes].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Flex vertical gap={16} data-testid="elder-history">
      <Card size="small" title="状态历史">
        {statuses.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无状态记录" />
        ) : (
          <Timeline
            style={{ marginTop: 8 }}
            items={statuses.map((s, i) => ({
              key: `${s.recordedAt}-${i}`,
              color: s.status === 'active' ? 'green' : s.status === 'deceased' ? 'gray' : 'blue',
              content: (
                <Flex vertical gap={2}>
                  <Space size={8} wrap>
                    <Typography.Text strong>{s.effectiveDate}</Typography.Text>
                    <Tag style={{ marginInlineEnd: 0 }}>{ELDER_STATUS_LABELS[s.status]}</Tag>
                    <RegionName code={s.villageCode} />
                  </Space>
                  {s.note && <Typography.Text>{s.note}</Typography.Text>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    记录于 {formatTime(s.recordedAt)}
                  </Typography.Text>
                </Flex>
              ),
            }))}
          />
        )}
      </Card>
      <Card size="small" title="修改记录">
        <Table<Change>
          size="small"
          rowKey={(c, i) => `${c.at}-${String(i)}`}
          columns={changeColumns}
          dataSource={changes}
          pagination={changes.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 640 }}
          locale={{ emptyText: '暂无修改记录' }}
        />
      </Card>
    </Flex>
  );
}

/** `/elders/:id`: one elder's record as on the official forms, with findings, tier and history. */
export default function ElderPage() {
  const { id = '' } = useParams();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [elder, setElder] = useState<ElderDto | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [revealed, setRevealed] = useState<ElderReveal | null>(null);
  const [revealOpen, setRevealOpen] = useState(false);
  const [statusOpen, setStatusOpen] = useState(false);
  const [paperOpen, setPaperOpen] = useState(false);
  // Bumped after a paper visit is entered, so 探访记录 loads again.
  const [visitsVersion, setVisitsVersion] = useState(0);
  const { get: getQuery, update: updateQuery } = useQueryState();

  useEffect(() => {
    let cancelled = false;
    setElder(null);
    setRevealed(null);
    setLoadError(null);
    api.elder(id).then(
      (result) => {
        if (!cancelled) setElder(result);
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError({
          status: error instanceof ApiError ? error.status : 0,
          message: errorMessage(error),
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (loadError) {
    return (
      <Result
        status={loadError.status === 404 ? '404' : loadError.status === 403 ? '403' : 'error'}
        title={loadError.status === 404 ? '记录不存在' : '加载失败'}
        subTitle={loadError.message}
        extra={
          <Link to="/elders">
            <Button type="primary">返回台账</Button>
          </Link>
        }
      />
    );
  }
  if (!elder) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const canEdit = canEditElders(me.role);
  const revealControl = canRevealElders(me.role) ? (
    revealed ? (
      <Button
        size="small"
        icon={<EyeInvisibleOutlined />}
        onClick={() => setRevealed(null)}
        data-testid="reveal-button"
      >
        隐藏完整号码
      </Button>
    ) : (
      <Button
        size="small"
        icon={<EyeOutlined />}
        onClick={() => setRevealOpen(true)}
        data-testid="reveal-button"
      >
        查看完整号码
      </Button>
    )
  ) : null;

  return (
    <Flex vertical gap={16}>
      <Card data-testid="elder-header">
        <Flex wrap gap={12} justify="space-between" align="flex-start">
          <Flex vertical gap={8} style={{ minWidth: 0 }}>
            <Space size={8} wrap align="center">
              <Button
                type="text"
                icon={<ArrowLeftOutlined />}
                aria-label="返回台账"
                onClick={() => navigate(`/elders${lastListSearch()}`)}
              />
              <Typography.Title level={4} style={{ margin: 0 }}>
                {elder.name}
              </Typography.Title>
              <Typography.Text>
                {GENDER_LABELS[elder.gender]} · {elder.age} 周岁
              </Typography.Text>
              <TierTag tier={elder.tier} />
              <ElderStatusTag status={elder.status} />
            </Space>
            <CategoryTags categories={elder.categories} />
            <Typography.Text type="secondary">
              {elder.village.fullName} · {ELDER_STATUS_LABELS[elder.status]}自 {elder.statusSince}{' '}
              起
            </Typography.Text>
          </Flex>
          <Space wrap>
            {canEdit && (
              <Button
                icon={<EditOutlined />}
                type="primary"
                onClick={() => navigate(`/elders/${elder.id}/edit`)}
                data-testid="elder-edit"
              >
                编辑
              </Button>
            )}
            {canEdit && elder.status !== 'deceased' && (
              <Button
                icon={<SwapOutlined />}
                onClick={() => setStatusOpen(true)}
                data-testid="elder-status-change"
              >
                状态变更
              </Button>
            )}
            {canEnterPaperVisits(me.role) && (
              <Button
                icon={<FormOutlined />}
                onClick={() => setPaperOpen(true)}
                data-testid="paper-visit-open"
              >
                录入探访记录
              </Button>
            )}
            <Button
              icon={<PrinterOutlined />}
              onClick={() => navigate(`/elders/${elder.id}/print`)}
              data-testid="elder-print"
            >
              打印信息采集表
            </Button>
          </Space>
        </Flex>
      </Card>

      {elder.possibleDuplicates.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="elder-duplicates"
          title="可能重复：本乡镇(街道)有同名且出生日期相同的记录，请核实是否为同一人"
          description={
            <Space size={[12, 4]} wrap>
              {elder.possibleDuplicates.map((d) => (
                <Link key={d.id} to={`/elders/${d.id}`}>
                  {d.name}（{d.village.fullName}）
                </Link>
              ))}
            </Space>
          }
        />
      )}

      {elder.contradictions.length > 0 && (
        <Flex vertical gap={8} data-testid="elder-contradictions">
          {elder.contradictions.map((c) => (
            <Alert
              key={`${c.code}-${c.field}`}
              type="warning"
              showIcon
              title={c.message}
              description={`矛盾提示 · 涉及：${fieldLabel(c.field)}`}
            />
          ))}
        </Flex>
      )}

      <Tabs
        activeKey={getQuery('tab') ?? 'record'}
        onChange={(key) =>
          updateQuery({ tab: key === 'record' ? undefined : key, visit: undefined })
        }
        items={[
          {
            key: 'record',
            label: '台账信息',
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
                  <Flex vertical gap={16}>
                    <ElderSections
                      elder={elder}
                      revealed={revealed}
                      revealControl={revealControl}
                    />
                  </Flex>
                </Col>
                <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
                  <Flex vertical gap={16}>
                    <FindingsCard elder={elder} />
                    <TierCard elder={elder} canEdit={canEdit} />
                    <EntitlementHintsCard elderId={elder.id} />
                    <ElderScheduleCard elderId={elder.id} />
                  </Flex>
                </Col>
              </Row>
            ),
          },
          {
            key: 'visits',
            label: '探访记录',
            children: (
              <ElderVisitsSection key={visitsVersion} elderId={elder.id} elderName={elder.name} />
            ),
          },
          {
            key: 'findings',
            label: '发现问题',
            children: <ElderFindingsSection elderId={elder.id} />,
          },
          {
            key: 'followup',
            label: '转介与关爱服务',
            children: (
              <ElderFollowUpSection
                elder={{ id: elder.id, name: elder.name, villageCode: elder.village.code }}
              />
            ),
          },
          { key: 'history', label: '历史记录', children: <HistoryTab elder={elder} /> },
        ]}
      />

      <RevealModal
        open={revealOpen}
        elderId={elder.id}
        elderName={elder.name}
        onClose={() => setRevealOpen(false)}
        onRevealed={(full) => {
          setRevealed(full);
          setRevealOpen(false);
        }}
      />
      {paperOpen && (
        <PaperVisitModal
          elder={elder}
          onClose={() => setPaperOpen(false)}
          onSaved={(visit) => {
            setPaperOpen(false);
            setVisitsVersion((v) => v + 1);
            updateQuery({ tab: 'visits', year: chinaYear(visit.visitedAt), visit: visit.id });
          }}
        />
      )}
      {statusOpen && (
        <StatusChangeModal
          open
          elder={elder}
          onClose={() => setStatusOpen(false)}
          onChanged={(updated) => {
            setElder(updated);
            setStatusOpen(false);
          }}
        />
      )}
    </Flex>
  );
}
