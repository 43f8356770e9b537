import { ArrowRightOutlined, CheckCircleFilled, EyeOutlined } from '@ant-design/icons';
import {
  ASSIGNMENT_ROLE_LABELS,
  ReassignInput,
  todayIso,
  type ElderAssignmentRow,
  type ReassignPreviewDto,
  type ReassignResultDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Radio,
  Result,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { schemaRule } from '../../lib/zodForm';
import { visitorsApi } from '../visitors/api';
import { VisitorSelect } from '../visitors/VisitorSelect';
import { ElderSelect } from './ElderSelect';

/** Which assignments move: one elder, a whole village, or everything one visitor holds. */
export type ReassignScopeKind = 'elder' | 'village' | 'visitor';

const SCOPE_LABELS: Record<ReassignScopeKind, string> = {
  elder: '本人',
  village: '整村',
  visitor: '转交',
};
const SCOPE_HINTS: Record<ReassignScopeKind, string> = {
  elder: '更换一位老年人的主要探访人',
  village: '一个村(居)全部在册老年人的主要探访人都由接替人负责（含未落实探访人的）',
  visitor: '某探访人员负责的全部老年人转交接替人，主要、备用角色不变',
};

/** The reassignment form, flat (the scope's fields side by side). */
interface ReassignValues {
  scopeKind: ReassignScopeKind;
  elderId?: string;
  villageCode?: string;
  fromVisitorId?: string;
  visitorLeaves?: boolean;
  toVisitorId?: string;
  effectiveDate?: string;
  reason?: string;
}

const FORM_FIELDS = [
  'scopeKind',
  'elderId',
  'villageCode',
  'fromVisitorId',
  'visitorLeaves',
  'toVisitorId',
  'effectiveDate',
  'reason',
] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** The form field an API path names (`scope.elderId` → `elderId`). */
function formFieldOf(path: readonly PropertyKey[]): FormField | undefined {
  const [head, sub] = path.map(String);
  if (head === 'scope') {
    if (sub === 'elderId') return 'elderId';
    if (sub === 'villageCode') return 'villageCode';
    if (sub === 'visitorId') return 'fromVisitorId';
    return 'scopeKind';
  }
  return FORM_FIELDS.find((f) => f === head);
}

/** The API body of the form's values. */
function toInput(values: ReassignValues): ReassignInput {
  const scope =
    values.scopeKind === 'elder'
      ? { kind: 'elder' as const, elderId: values.elderId ?? '' }
      : values.scopeKind === 'village'
        ? { kind: 'village' as const, villageCode: values.villageCode ?? '' }
        : { kind: 'visitor' as const, visitorId: values.fromVisitorId ?? '' };
  return {
    scope,
    toVisitorId: values.toVisitorId ?? '',
    effectiveDate: values.effectiveDate,
    reason: values.reason ?? '',
    ...(values.scopeKind === 'visitor' ? { visitorLeaves: values.visitorLeaves === true } : {}),
  };
}

/** How the drawer opens: a scope chosen in advance. */
export interface ReassignStart {
  scopeKind: ReassignScopeKind;
  elder?: ElderAssignmentRow;
  villageCode?: string;
  fromVisitorId?: string;
  visitorLeaves?: boolean;
  effectiveDate?: string;
}

/** Props of `ReassignDrawer`. */
export interface ReassignDrawerProps {
  open: boolean;
  start: ReassignStart;
  onClose: () => void;
  /** After a committed reassignment (the list should reload). */
  onDone: (result: ReassignResultDto) => void;
}

type PreviewItem = ReassignPreviewDto['items'][number];

/**
 * 调整分配, in two steps: 预览 lists every elder affected (nothing changes yet); 确认调整 sends the
 * same request with the previewed assignment ids, so a change made meanwhile refuses the commit and
 * the preview is run again. Ended assignments stay in each elder's history.
 */
export function ReassignDrawer({ open, start, onClose, onDone }: ReassignDrawerProps) {
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const [form] = Form.useForm<ReassignValues>();
  const scopeKind = Form.useWatch('scopeKind', form) ?? start.scopeKind;
  const fromVisitorId = Form.useWatch('fromVisitorId', form);
  const villageCode = Form.useWatch('villageCode', form);
  const [elderVillage, setElderVillage] = useState<string | undefined>(
    start.elder?.elder.village.code,
  );
  const [preview, setPreview] = useState<{ body: ReassignInput; dto: ReassignPreviewDto } | null>(
    null,
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [result, setResult] = useState<ReassignResultDto | null>(null);
  const previewRef = useRef<HTMLDivElement>(null);

  // A new preview (or a notice about it) is what the user must read next: bring it into view.
  useEffect(() => {
    if (preview) previewRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [preview]);

  /** Puts problems on the fields they name; returns those no field took. */
  const showIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
    const byField = new Map<FormField, string[]>();
    const rest: string[] = [];
    for (const issue of issues) {
      const field = formFieldOf(issue.path);
      if (!field) {
        if (!rest.includes(issue.message)) rest.push(issue.message);
        continue;
      }
      const list = byField.get(field) ?? [];
      if (!list.includes(issue.message)) list.push(issue.message);
      byField.set(field, list);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    return rest;
  };

  const showError = (error: unknown) => {
    if (error instanceof ApiError) {
      const reported =
        error.details.length > 0
          ? error.details
          : error.field
            ? [{ field: error.field, message: error.message }]
            : [];
      const rest = showIssues(
        reported.map((d) => ({ path: d.field.split('.'), message: d.message })),
      );
      if (reported.length === 0 || rest.length > 0) setFormError(error.message);
      return;
    }
    setFormError(errorMessage(error));
  };

  const runPreview = async (body: ReassignInput) => {
    const dto = await visitorsApi.previewReassign(body);
    setPreview({ body, dto });
  };

  const onPreview = async () => {
    setFormError(null);
    setNotice(null);
    let values: ReassignValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const parsed = ReassignInput.safeParse(toInput(values));
    if (!parsed.success) {
      const rest = showIssues(parsed.error.issues);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setBusy('preview');
    try {
      await runPreview(toInput(values));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const onCommit = async () => {
    if (!preview) return;
    setFormError(null);
    setNotice(null);
    setBusy('commit');
    try {
      const done = await visitorsApi.reassign({
        ...preview.body,
        expectedAssignmentIds: preview.dto.expectedAssignmentIds,
      });
      setResult(done);
      message.success(`调整完成：结束 ${done.ended} 项分配，新建 ${done.created} 项分配`);
      onDone(done);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'preview_stale') {
        // Someone changed the assignments since the preview: show what would happen now.
        setNotice(`${error.message}。下方已是最新的预览，请核对后再确认。`);
        try {
          await runPreview(preview.body);
        } catch (again) {
          setPreview(null);
          showError(again);
        }
      } else {
        showError(error);
      }
    } finally {
      setBusy(null);
    }
  };

  const change = (i: PreviewItem) => (
    <Flex gap={6} align="center" wrap>
      {i.from ? (
        <span>{i.from.name}</span>
      ) : (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          未落实
        </Tag>
      )}
      <ArrowRightOutlined style={{ fontSize: 11 }} />
      <span>{i.to.name}</span>
    </Flex>
  );

  // A phone folds the preview into two columns, so nothing needs scrolling.
  const phoneColumns: TableColumnsType<PreviewItem> = [
    {
      title: '老年人',
      key: 'elder',
      render: (_: unknown, i) => (
        <Flex vertical gap={0}>
          <span>{i.elder.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.elder.village.name} · {ASSIGNMENT_ROLE_LABELS[i.role]}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '原探访人 → 新探访人',
      key: 'change',
      render: (_: unknown, i) => (
        <Flex vertical gap={2}>
          {change(i)}
          {i.note && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {i.note}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  const columns: TableColumnsType<PreviewItem> = [
    {
      title: '老年人',
      key: 'elder',
      width: 90,
      render: (_: unknown, i) => i.elder.name,
    },
    {
      title: '村(居)',
      key: 'village',
      width: 110,
      render: (_: unknown, i) => (
        <Typography.Text title={i.elder.village.fullName}>{i.elder.village.name}</Typography.Text>
      ),
    },
    {
      title: '角色',
      dataIndex: 'role',
      width: 100,
      render: (_: unknown, i) => ASSIGNMENT_ROLE_LABELS[i.role],
    },
    {
      title: '原探访人 → 新探访人',
      key: 'change',
      width: 190,
      render: (_: unknown, i) => change(i),
    },
    {
      title: '说明',
      key: 'note',
      width: 200,
      render: (_: unknown, i) =>
        i.note ? <Typography.Text type="warning">{i.note}</Typography.Text> : '—',
    },
  ];

  const footer = result ? (
    <Flex justify="end">
      <Button type="primary" onClick={onClose}>
        完成
      </Button>
    </Flex>
  ) : (
    <Flex justify="end" gap={8} wrap>
      <Button onClick={onClose}>取消</Button>
      <Button
        icon={<EyeOutlined />}
        loading={busy === 'preview'}
        disabled={busy === 'commit'}
        onClick={() => void onPreview()}
        data-testid="reassign-preview"
      >
        {preview ? '重新预览' : '预览'}
      </Button>
      <Button
        type="primary"
        loading={busy === 'commit'}
        disabled={!preview || preview.dto.total === 0 || busy === 'preview'}
        onClick={() => void onCommit()}
        data-testid="reassign-commit"
      >
        确认调整
      </Button>
    </Flex>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title="调整分配"
      size={wide ? 760 : '100%'}
      footer={footer}
      destroyOnHidden
      mask={{ closable: !preview }}
      data-testid="reassign-drawer"
    >
      {result ? (
        <Result
          status="success"
          icon={<CheckCircleFilled />}
          title="调整完成"
          subTitle={`结束 ${result.ended} 项分配，新建 ${result.created} 项分配。原分配已记入各老年人的分配历史。`}
          data-testid="reassign-result"
        />
      ) : (
        <>
          {formError && (
            <Alert
              type="error"
              showIcon
              title={formError}
              style={{ marginBottom: 16 }}
              data-testid="reassign-error"
            />
          )}
          <Form<ReassignValues>
            form={form}
            layout="vertical"
            initialValues={{
              scopeKind: start.scopeKind,
              elderId: start.elder?.elder.id,
              villageCode: start.villageCode,
              fromVisitorId: start.fromVisitorId,
              visitorLeaves: start.visitorLeaves ?? false,
              effectiveDate: start.effectiveDate ?? todayIso(),
            }}
            // Any change makes the preview out of date: it must be run again before confirming.
            onValuesChange={() => {
              setPreview(null);
              setNotice(null);
              setFormError(null);
            }}
          >
            <Form.Item label="调整范围" name="scopeKind" extra={SCOPE_HINTS[scopeKind]}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={(Object.keys(SCOPE_LABELS) as ReassignScopeKind[]).map((k) => ({
                  value: k,
                  label: SCOPE_LABELS[k],
                }))}
              />
            </Form.Item>
            {scopeKind === 'elder' && (
              <Form.Item
                label="老年人"
                name="elderId"
                required
                rules={[{ required: true, message: '请选择老年人' }]}
              >
                <ElderSelect
                  initial={start.elder}
                  onChange={(_id, row) => setElderVillage(row?.elder.village.code)}
                />
              </Form.Item>
            )}
            {scopeKind === 'village' && (
              <Form.Item
                label="村(居)"
                name="villageCode"
                required
                rules={[{ required: true, message: '请选择村(居)' }]}
              >
                <RegionPicker allowedLevels={['village']} placeholder="请选择村(居)" />
              </Form.Item>
            )}
            {scopeKind === 'visitor' && (
              <>
                <Form.Item
                  label="原探访人员"
                  name="fromVisitorId"
                  required
                  rules={[{ required: true, message: '请选择要转交其分配的探访人员' }]}
                >
                  <VisitorSelect placeholder="请选择原探访人员" data-testid="reassign-from" />
                </Form.Item>
                <Form.Item name="visitorLeaves" valuePropName="checked">
                  <Checkbox data-testid="reassign-leaves">该探访人离岗（自生效日期起）</Checkbox>
                </Form.Item>
              </>
            )}
            <Form.Item
              label="接替的探访人员"
              name="toVisitorId"
              required
              rules={[{ required: true, message: '请选择接替的探访人员' }]}
            >
              <VisitorSelect
                exclude={scopeKind === 'visitor' ? fromVisitorId : undefined}
                covering={
                  scopeKind === 'elder' && elderVillage
                    ? [elderVillage]
                    : scopeKind === 'village' && villageCode
                      ? [villageCode]
                      : undefined
                }
                placeholder="请选择接替的探访人员"
                data-testid="reassign-to"
              />
            </Form.Item>
            <Flex wrap style={{ columnGap: 16 }}>
              <Form.Item
                label="生效日期"
                name="effectiveDate"
                required
                rules={[{ required: true, message: '请选择生效日期' }]}
                style={{ flex: '1 1 180px' }}
                getValueProps={(value: string | undefined) => ({
                  value: value ? dayjs(value) : undefined,
                })}
                normalize={(value: Dayjs | null) =>
                  value ? value.format('YYYY-MM-DD') : undefined
                }
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                />
              </Form.Item>
              <Form.Item
                label="调整原因"
                name="reason"
                required
                rules={[schemaRule(ReassignInput.shape.reason)]}
                style={{ flex: '2 1 260px' }}
              >
                <Input maxLength={100} placeholder="如：原探访人员外出务工" />
              </Form.Item>
            </Flex>
          </Form>

          {notice && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 16 }} />}
          {preview && (
            <div data-testid="reassign-preview-result" ref={previewRef}>
              {preview.dto.total === 0 ? (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description="按所选范围没有需要调整的分配（可能都已由接替人负责）。"
                />
              ) : (
                <>
                  <Alert
                    type="info"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={`预览：共 ${preview.dto.total} 位老年人的分配将调整`}
                    description="以下变化尚未生效，核对无误后点击“确认调整”。原分配将结束并保留在分配历史中。"
                  />
                  <Table<PreviewItem>
                    size="small"
                    rowKey={(i) => `${i.elder.id}-${i.role}-${i.assignmentId ?? 'new'}`}
                    columns={wide ? columns : phoneColumns}
                    dataSource={preview.dto.items}
                    scroll={wide ? { x: 690 } : undefined}
                    pagination={preview.dto.items.length > 50 ? { pageSize: 50 } : false}
                  />
                </>
              )}
            </div>
          )}
        </>
      )}
    </Drawer>
  );
}
