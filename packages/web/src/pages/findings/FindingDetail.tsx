import { CheckCircleOutlined, SendOutlined } from '@ant-design/icons';
import {
  DISPOSAL_KIND_LABELS,
  ESCALATION_LEVEL_LABELS,
  FINDING_TYPE_LABELS,
  ROLE_LABELS,
  durationText,
  type FindingDetailDto,
  type FindingStatus,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { ChecklistFields, checklistOf } from '../emergencies/ChecklistFields';
import { emergenciesApi } from '../emergencies/emergenciesApi';
import { ReferModal } from '../referrals/ReferModal';
import { canRefer } from '../referrals/permissions';
import { FindingStatusTag, SeverityTag } from '../visits/FindingTags';
import { findingsApi } from '../visits/findingsApi';
import { elderVisitPath } from '../visits/visitText';
import { DisposalModal } from './DisposalModal';
import { DeadlineTag, EmergencyStateTag, actionLabel, eventText, eventTitle } from './findingText';

/** Asks for an optional note, then moves the finding. Mount it to open it. */
function TransitionModal({
  finding,
  to,
  onClose,
  onDone,
  onRefused,
}: {
  finding: FindingDetailDto;
  to: FindingStatus;
  onClose: () => void;
  onDone: (f: FindingDetailDto) => void;
  onRefused: (message: string) => void;
}) {
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const label = actionLabel(finding.status, to);
  const go = async () => {
    setSaving(true);
    try {
      onDone(await findingsApi.transition(finding.id, to, note.trim() || undefined));
    } catch (e) {
      onRefused(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`${label}：${finding.title}`}
      okText={label}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void go()}
      onCancel={onClose}
      data-testid="transition-modal"
    >
      <Typography.Paragraph type="secondary">
        {to === 'resolved'
          ? '办结表示问题已解决；关闭前须有处置情况记录。'
          : to === 'closed'
            ? '关闭后不能再变更，请确认处置情况记录已填写。'
            : '可填写说明，记入处理经过。'}
      </Typography.Paragraph>
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={1000}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder="说明（选填）"
        data-testid="transition-note"
      />
    </Modal>
  );
}

/** The emergency's response and checklist (处置清单), editable by staff until it is closed. */
function EmergencyCard({
  finding,
  onChanged,
}: {
  finding: FindingDetailDto;
  onChanged: (f: FindingDetailDto) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState<'ack' | 'save' | null>(null);
  const e = finding.emergency!;
  const editable = finding.canAct && finding.status !== 'closed';
  useEffect(() => {
    form.setFieldsValue({
      emergencyNumber: undefined,
      familyReached: undefined,
      familyContact: undefined,
      situation: undefined,
      situationNote: undefined,
      ...e.checklist,
    });
  }, [form, e.checklist]);

  const acknowledge = async () => {
    setBusy('ack');
    try {
      onChanged(await emergenciesApi.acknowledge(finding.id));
      message.success('已响应，升级已停止');
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const save = async () => {
    setBusy('save');
    try {
      onChanged(await emergenciesApi.saveChecklist(finding.id, checklistOf(form.getFieldsValue())));
      message.success('处置清单已保存');
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <span>紧急情况响应</span>
          <EmergencyStateTag state={e.state} />
        </Space>
      }
      styles={{ header: { background: e.acknowledgedAt ? undefined : '#fff1f0' } }}
      data-testid="emergency-card"
    >
      <Flex vertical gap={12}>
        {e.acknowledgedAt ? (
          <Typography.Text data-testid="emergency-response">
            <CheckCircleOutlined style={{ color: '#389e0d' }} /> {e.acknowledgedBy?.name} 于{' '}
            {chinaTime(e.acknowledgedAt)} 响应，用时{' '}
            <Typography.Text strong>{durationText(e.responseSeconds ?? 0)}</Typography.Text>
            {e.level !== 'village' && `（已升级至${ESCALATION_LEVEL_LABELS[e.level]}后响应）`}
          </Typography.Text>
        ) : (
          <Flex wrap gap={12} align="center">
            <Typography.Text type="danger" strong>
              尚未响应：当前通知{ESCALATION_LEVEL_LABELS[e.level]}
              {e.escalatedAt ? `（${chinaTime(e.escalatedAt)} 升级）` : ''}
            </Typography.Text>
            {finding.canAct && finding.status !== 'closed' && (
              <Button
                type="primary"
                danger
                loading={busy === 'ack'}
                onClick={() => void acknowledge()}
                data-testid="emergency-acknowledge"
              >
                响应
              </Button>
            )}
          </Flex>
        )}
        <Form form={form} layout="vertical" disabled={!editable} data-testid="emergency-checklist">
          <ChecklistFields at={e.checklistAt} />
          {editable && (
            <Button
              onClick={() => void save()}
              loading={busy === 'save'}
              data-testid="emergency-checklist-save"
            >
              保存处置清单
            </Button>
          )}
        </Form>
      </Flex>
    </Card>
  );
}

/**
 * A finding with its whole history (时间线: who, when, what), its 处置情况记录, its deadline, its
 * owner and the actions the user may take now; an emergency with its response and checklist.
 */
export function FindingDetail({ id, onChanged }: { id: string; onChanged?: () => void }) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const [data, setData] = useState<FindingDetailDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [moving, setMoving] = useState<FindingStatus | null>(null);
  const [disposing, setDisposing] = useState(false);
  const [referring, setReferring] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setData(null);
    setLoadError(null);
    setRefusal(null);
    findingsApi.get(id).then(
      (f) => !cancelled && setData(f),
      (e: unknown) => !cancelled && setLoadError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  const changed = (f: FindingDetailDto) => {
    setData(f);
    setRefusal(null);
    onChanged?.();
  };
  /** Reads the finding again, keeping a refusal shown (it says why nothing changed). */
  const reload = () =>
    void findingsApi.get(id).then(
      (f) => {
        setData(f);
        onChanged?.();
      },
      () => undefined,
    );

  if (loadError)
    return <Alert type="error" showIcon title="发现问题加载失败" description={loadError} />;
  if (!data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const f = data;

  const setOwner = async (ownerId: string | null) => {
    try {
      changed(await findingsApi.setOwner(f.id, ownerId));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const addNote = async () => {
    if (!note.trim()) return;
    setSaving(true);
    try {
      changed(await findingsApi.addNote(f.id, note.trim()));
      setNote('');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const open = f.status !== 'closed';
  const referable = f.canAct && canRefer(me.role) && ['open', 'in_progress'].includes(f.status);

  return (
    <Flex vertical gap={12} data-testid="finding-detail">
      <Flex vertical gap={4}>
        <Space size={6} wrap>
          <SeverityTag severity={f.severity} />
          <FindingStatusTag status={f.status} />
          {f.emergency && <EmergencyStateTag state={f.emergency.state} />}
          <DeadlineTag deadline={f.deadline} />
        </Space>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="finding-title">
          {f.title}
        </Typography.Title>
        {f.description && <Typography.Text>{f.description}</Typography.Text>}
      </Flex>

      <Descriptions
        size="small"
        column={wide ? 2 : 1}
        bordered
        styles={{ label: { whiteSpace: 'nowrap', width: 84 } }}
        items={[
          {
            key: 'elder',
            label: '老年人',
            children: <Link to={`/elders/${f.elder.id}?tab=findings`}>{f.elder.name}</Link>,
          },
          { key: 'village', label: '村(居)', children: f.village.name },
          { key: 'type', label: '问题类型', children: FINDING_TYPE_LABELS[f.type] },
          { key: 'source', label: '来源', children: f.source },
          {
            key: 'raised',
            label: '发现时间',
            children: `${chinaTime(f.createdAt)}${f.createdBy ? `（${f.createdBy.name}）` : ''}`,
          },
          {
            key: 'visit',
            label: '探访记录',
            children: f.visitId ? (
              <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt ?? f.createdAt)}>
                {chinaTime(f.visitedAt)} 的探访
              </Link>
            ) : (
              '无（工作人员直接上报）'
            ),
          },
          {
            key: 'owner',
            label: '负责人',
            span: wide ? 2 : 1,
            children:
              f.canAct && open ? (
                <Select
                  allowClear
                  placeholder="未指定"
                  value={f.owner?.id}
                  onChange={(v: string | undefined) => void setOwner(v ?? null)}
                  options={f.ownerCandidates.map((c) => ({
                    value: c.id,
                    label: `${c.name}（${ROLE_LABELS[c.role]}${c.onDuty ? '·值班' : ''}）`,
                  }))}
                  style={{ width: '100%', maxWidth: 360 }}
                  data-testid="finding-owner"
                />
              ) : (
                (f.owner?.name ?? '未指定')
              ),
          },
        ]}
      />

      {refusal && (
        <Alert
          type="warning"
          showIcon
          title={refusal}
          closable={{ onClose: () => setRefusal(null) }}
          data-testid="finding-action-error"
        />
      )}

      {f.canAct && (open || f.allowed.length > 0) && (
        <Flex wrap gap={8} data-testid="finding-actions">
          {f.allowed.map((to) => (
            <Button
              key={to}
              type={to === 'in_progress' && f.status === 'open' ? 'primary' : 'default'}
              onClick={() => setMoving(to)}
              data-testid={`finding-action-${to}`}
            >
              {actionLabel(f.status, to)}
            </Button>
          ))}
          {open && (
            <Button onClick={() => setDisposing(true)} data-testid="finding-add-disposal">
              处置记录
            </Button>
          )}
          {referable && (
            <Button
              icon={<SendOutlined />}
              onClick={() => setReferring(true)}
              data-testid="finding-refer"
            >
              转介
            </Button>
          )}
        </Flex>
      )}

      {f.emergency && <EmergencyCard finding={f} onChanged={changed} />}

      <Card
        size="small"
        title={`处置情况记录（${f.disposals.length}）`}
        data-testid="finding-disposals"
      >
        {f.disposals.length === 0 ? (
          <Typography.Text type="secondary">
            尚无处置情况记录。处置后请填写，关闭问题前须有处置记录。
          </Typography.Text>
        ) : (
          <Flex vertical gap={8}>
            {f.disposals.map((d) => (
              <div key={d.id}>
                <Typography.Text strong>{DISPOSAL_KIND_LABELS[d.kind]}</Typography.Text>
                <Typography.Text type="secondary">
                  {' '}
                  · 处置日期 {d.handledOn} · {d.createdBy?.name ?? '—'} 记录于{' '}
                  {chinaTime(d.createdAt)}
                </Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap' }}>{d.description}</div>
              </div>
            ))}
          </Flex>
        )}
      </Card>

      <Card size="small" title="处理经过" data-testid="finding-timeline">
        {f.events.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
        ) : (
          <Timeline
            items={f.events.map((e) => ({
              key: e.id,
              color:
                e.kind === 'escalated'
                  ? 'red'
                  : e.kind === 'acknowledged' || e.toStatus === 'resolved'
                    ? 'green'
                    : 'blue',
              content: (
                <Flex vertical gap={0}>
                  <Typography.Text>
                    <Typography.Text strong>{eventTitle(e)}</Typography.Text>
                    <Typography.Text type="secondary">
                      {' '}
                      · {chinaTime(e.at)} · {e.actor?.name ?? '系统'}
                    </Typography.Text>
                  </Typography.Text>
                  {eventText(e) && (
                    <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
                      {eventText(e)}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            }))}
          />
        )}
        {f.canAct && (
          <Flex gap={8} align="start">
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={1000}
              autoSize={{ minRows: 1, maxRows: 4 }}
              placeholder="添加备注，记入处理经过"
              data-testid="finding-note-input"
            />
            <Button
              onClick={() => void addNote()}
              loading={saving}
              disabled={!note.trim()}
              data-testid="finding-note-add"
            >
              添加备注
            </Button>
          </Flex>
        )}
      </Card>

      {moving && (
        <TransitionModal
          finding={f}
          to={moving}
          onClose={() => setMoving(null)}
          onDone={(next) => {
            setMoving(null);
            changed(next);
            message.success(`已${actionLabel(f.status, moving)}`);
          }}
          onRefused={(text) => {
            setMoving(null);
            setRefusal(text);
            reload();
          }}
        />
      )}
      {disposing && (
        <DisposalModal
          finding={f}
          onClose={() => setDisposing(false)}
          onSaved={(next) => {
            setDisposing(false);
            changed(next);
            message.success('处置情况记录已保存');
          }}
        />
      )}
      {referring && (
        <ReferModal
          elder={{ id: f.elder.id, name: f.elder.name, villageCode: f.village.code }}
          finding={{ id: f.id, title: f.title }}
          onClose={() => setReferring(false)}
          onReferred={() => {
            setReferring(false);
            reload();
          }}
        />
      )}
    </Flex>
  );
}

/** A finding's detail in a drawer (the lists open it; `?finding=<id>` in the URL). */
export function FindingDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | undefined;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <Drawer
      open={Boolean(id)}
      onClose={onClose}
      title="发现问题详情"
      size={wide ? 720 : '100%'}
      destroyOnHidden
      data-testid="finding-drawer"
    >
      {id && <FindingDetail id={id} onChanged={onChanged} />}
    </Drawer>
  );
}
