import {
  DownOutlined,
  EditOutlined,
  HistoryOutlined,
  PrinterOutlined,
  UpOutlined,
} from '@ant-design/icons';
import { VISITOR_TYPE_LABELS, type FormTemplate, type VisitDto } from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Row,
  Skeleton,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { AmendVisitModal } from './AmendVisitModal';
import { FindingTag } from './FindingTags';
import { canAmendVisit } from './permissions';
import { ProofPanel } from './ProofPanel';
import { VisitAnswersView } from './VisitAnswersView';
import { VisitRevisionsModal } from './VisitRevisionsModal';
import { chinaTime } from '../../lib/format';
import { chinaYear, visitMethodLabel } from './visitText';
import { loadTemplatesOf, templateKeyOf, visitsApi } from './visitsApi';
import './visits.css';

/**
 * One visit: when, how, who, with which form, what it found, and its proof beside it; 更正 while
 * the user may amend it, and 已更正 with its 修改记录 once it was amended.
 */
function VisitCard({
  visit,
  template,
  open,
  onToggle,
  canAmend,
  onAmend,
  onHistory,
}: {
  visit: VisitDto;
  template: FormTemplate | undefined;
  open: boolean;
  onToggle: () => void;
  canAmend: boolean;
  onAmend: () => void;
  onHistory: () => void;
}) {
  const navigate = useNavigate();
  const late = visit.proof.flags.some((f) => f.code === 'late_entry');
  return (
    <Card size="small" data-testid="visit-card" id={`visit-${visit.id}`}>
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Text strong style={{ fontSize: 15 }}>
                {chinaTime(visit.visitedAt)}
              </Typography.Text>
              <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                {visitMethodLabel(visit, template)}
              </Tag>
              {late && (
                <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                  补录
                </Tag>
              )}
              {visit.emergency && (
                <Tag color="#cf1322" variant="solid" style={{ marginInlineEnd: 0 }}>
                  紧急情况
                </Tag>
              )}
              {visit.unverified && (
                <Tooltip title="抽查未能核实：该次探访不计入探访率">
                  <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="visit-unverified">
                    未核实
                  </Tag>
                </Tooltip>
              )}
              {visit.revision > 1 && (
                <Tooltip title={`最近更正于 ${chinaTime(visit.amendedAt)}`}>
                  <Tag color="purple" style={{ marginInlineEnd: 0 }} data-testid="visit-amended">
                    已更正（第 {visit.revision} 版）
                  </Tag>
                </Tooltip>
              )}
            </Space>
            <Typography.Text>
              探访人员：
              {visit.visitor
                ? `${visit.visitor.name}（${VISITOR_TYPE_LABELS[visit.visitor.type]}）`
                : '—'}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {visit.template.name} · 第 {visit.template.version} 版
            </Typography.Text>
            {visit.emergency && visit.emergencyNote && (
              <Typography.Text type="danger">紧急情况说明：{visit.emergencyNote}</Typography.Text>
            )}
            {visit.findings.length > 0 ? (
              <Flex wrap gap={6}>
                {visit.findings.map((f) => (
                  <FindingTag key={f.id} finding={f} />
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                未发现问题
              </Typography.Text>
            )}
            <Space size={8} wrap style={{ marginTop: 4 }}>
              <Button
                size="small"
                icon={open ? <UpOutlined /> : <DownOutlined />}
                onClick={onToggle}
                aria-expanded={open}
                data-testid="visit-toggle"
              >
                {open ? '收起记录内容' : '查看记录内容'}
              </Button>
              <Button
                size="small"
                icon={<PrinterOutlined />}
                onClick={() => navigate(`/visits/${visit.id}/print`)}
                data-testid="visit-print"
              >
                打印本次记录
              </Button>
              {canAmend && (
                <Tooltip title={`可在 ${chinaTime(visit.amendableUntil)} 前更正`}>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={onAmend}
                    disabled={!template}
                    data-testid="visit-amend"
                  >
                    更正
                  </Button>
                </Tooltip>
              )}
              {visit.revision > 1 && (
                <Button
                  size="small"
                  icon={<HistoryOutlined />}
                  onClick={onHistory}
                  data-testid="visit-history"
                >
                  修改记录
                </Button>
              )}
            </Space>
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <ProofPanel visit={visit} />
        </Col>
        {open && (
          <Col span={24}>
            <div style={{ borderTop: '1px dashed #f0f0f0', paddingTop: 12 }}>
              <VisitAnswersView visit={visit} template={template} />
            </div>
          </Col>
        )}
      </Row>
    </Card>
  );
}

/**
 * 探访记录 on the elder's page: the visits of a year (this year by default, `?year=`), newest first,
 * each with its proof; `?visit=` opens one (a finding links there).
 */
export function ElderVisitsSection({
  elderId,
  elderName = '',
}: {
  elderId: string;
  elderName?: string;
}) {
  const navigate = useNavigate();
  const me = useCurrentUser();
  // Visits corrected here since the list loaded, by id (shown without reloading the list).
  const [amended, setAmended] = useState<ReadonlyMap<string, VisitDto>>(new Map());
  const [amending, setAmending] = useState<VisitDto | null>(null);
  const [history, setHistory] = useState<VisitDto | null>(null);
  const { get, getInt, update } = useQueryState();
  const thisYear = chinaYear();
  const year = getInt('year', thisYear);
  const focus = get('visit');
  const [opened, setOpened] = useState<Set<string>>(() => new Set(focus ? [focus] : []));
  const loaded = useLoad(`${elderId}|${year}`, async () => {
    const { items } = await visitsApi.elderVisits(elderId, year);
    return { items, templates: await loadTemplatesOf(items) };
  })!;

  // A visit linked to (from a finding) is opened and scrolled to once it is on the page.
  useEffect(() => {
    if (!focus || loaded.state !== 'ok') return;
    setOpened((prev) => new Set(prev).add(focus));
    const el = document.getElementById(`visit-${focus}`);
    el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [focus, loaded.state]);

  const toggle = (id: string) =>
    setOpened((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const templateOf = (v: VisitDto) =>
    loaded.state === 'ok' ? loaded.data.templates.get(templateKeyOf(v)) : undefined;
  const amendTemplate = amending ? templateOf(amending) : undefined;

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="探访记录加载失败" description={loaded.message} />;
  else if (loaded.data.items.length === 0)
    body = (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={`${year} 年还没有探访记录。探访人员在手机上提交或工作人员补录后会显示在这里。`}
      />
    );
  else
    body = (
      <Flex vertical gap={12} data-testid="visit-list">
        <Typography.Text type="secondary">
          {year} 年共 {loaded.data.items.length} 次探访（最新在前，时间为北京时间）
        </Typography.Text>
        {loaded.data.items.map((listed) => {
          const v = amended.get(listed.id) ?? listed;
          return (
            <VisitCard
              key={v.id}
              visit={v}
              template={loaded.data.templates.get(templateKeyOf(v))}
              open={opened.has(v.id)}
              onToggle={() => toggle(v.id)}
              canAmend={canAmendVisit(me.role, v)}
              onAmend={() => setAmending(v)}
              onHistory={() => setHistory(v)}
            />
          );
        })}
      </Flex>
    );

  return (
    <Card
      size="small"
      title="探访记录"
      data-testid="elder-visits"
      extra={
        <Space size={8} wrap>
          <DatePicker
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            disabledDate={(d) => d.year() > thisYear}
            onChange={(d) => d && update({ year: d.year(), visit: undefined })}
            style={{ width: 104 }}
            aria-label="选择年份"
            data-testid="visit-year"
          />
          <Button
            icon={<PrinterOutlined />}
            onClick={() =>
              navigate(`/elders/${encodeURIComponent(elderId)}/visits/print?year=${year}`)
            }
            disabled={loaded.state !== 'ok' || loaded.data.items.length === 0}
            data-testid="visits-print-year"
          >
            打印全年记录
          </Button>
        </Space>
      }
    >
      {body}
      {amending && amendTemplate && (
        <AmendVisitModal
          visit={amending}
          template={amendTemplate}
          elderName={elderName}
          onClose={() => setAmending(null)}
          onSaved={(saved) => {
            setAmending(null);
            setAmended((m) => new Map(m).set(saved.id, saved));
            setOpened((prev) => new Set(prev).add(saved.id));
          }}
        />
      )}
      {history && (
        <VisitRevisionsModal
          visit={history}
          template={templateOf(history)}
          onClose={() => setHistory(null)}
        />
      )}
    </Card>
  );
}
