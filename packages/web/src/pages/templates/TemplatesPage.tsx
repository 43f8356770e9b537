import { DownloadOutlined, EyeOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITY_LABELS,
  FINDING_TYPE_LABELS,
  prefilledAnswers,
  type FormTemplate,
  type TemplateSummaryDto,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Empty,
  Flex,
  Grid,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../auth/useAuth';
import { VisitFormRenderer } from '../../components/visitForm/VisitFormRenderer';
import { RegionName } from '../elders/RegionName';
import { SEVERITY_COLORS } from '../visits/visitText';
import { loadTemplate } from '../visits/visitsApi';
import { useLoad } from '../worklist/useLoad';
import { canUploadTemplates } from './permissions';
import { itemCount, PRINT_LAYOUT_LABELS, sampleTemplateJson } from './templateJson';
import { templatesApi } from './templatesApi';
import { TemplateUploadModal } from './TemplateUploadModal';

/** A listed template with its definition (when it could be loaded). */
interface Row {
  summary: TemplateSummaryDto;
  template: FormTemplate | null;
}

const rowKey = (r: Row) => `${r.summary.key}@${r.summary.version}`;

/** Saves text as a file through the browser. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The 查看 drawer: the template drawn read-only as staff see it, with its methods and rules. */
function TemplateDrawer({ row, onClose }: { row: Row; onClose: () => void }) {
  const wide = Grid.useBreakpoint().md ?? true;
  const t = row.template;
  return (
    <Drawer
      open
      onClose={onClose}
      size={wide ? 760 : '100%'}
      title={`${row.summary.name} · 第 ${row.summary.version} 版`}
      data-testid="template-drawer"
    >
      {!t ? (
        <Alert type="error" showIcon title="表单内容加载失败，请刷新后重试" />
      ) : (
        <Flex vertical gap={16}>
          <Flex vertical gap={4}>
            <Typography.Text type="secondary">
              {t.key} · {t.issuer} · 打印格式：{PRINT_LAYOUT_LABELS[t.print]}
            </Typography.Text>
            <Space size={[6, 6]} wrap>
              <Typography.Text>探访方式：</Typography.Text>
              {t.methods.map((m) => (
                <Tag key={m.value} color="blue" style={{ marginInlineEnd: 0 }}>
                  {m.label}
                </Tag>
              ))}
            </Space>
            <Typography.Text type="secondary">
              以下按“无变化”的默认选项显示；录入时只需改动有变化的项目。专项探访进行期间，检查项目会加在表单前面。
            </Typography.Text>
          </Flex>
          <VisitFormRenderer
            template={t}
            checklist={[]}
            value={prefilledAnswers(t)}
            onChange={() => undefined}
            issues={[]}
            variant="console"
            readOnly
          />
          <Card size="small" title="发现问题规则">
            {t.findingRules.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description="这份表单没有设置发现问题规则，只有“紧急情况”会生成问题"
              />
            ) : (
              <Flex vertical gap={6} data-testid="template-rules">
                {t.findingRules.map((rule, i) => {
                  const item = t.sections.flatMap((s) => s.items).find((x) => x.key === rule.item);
                  const values =
                    item?.kind === 'choice'
                      ? (rule.values ?? [])
                          .map((v) => item.options.find((o) => o.value === v)?.label ?? v)
                          .join('、')
                      : '填写了内容';
                  return (
                    <Space key={`${rule.item}-${i}`} size={6} wrap>
                      <Typography.Text>
                        {item?.label ?? rule.item}为“{values}”时 →
                      </Typography.Text>
                      <Tag color={SEVERITY_COLORS[rule.severity]} style={{ marginInlineEnd: 0 }}>
                        {rule.title}
                      </Tag>
                      <Typography.Text type="secondary">
                        {FINDING_TYPE_LABELS[rule.type]} · {FINDING_SEVERITY_LABELS[rule.severity]}
                      </Typography.Text>
                    </Space>
                  );
                })}
              </Flex>
            )}
          </Card>
        </Flex>
      )}
    </Drawer>
  );
}

/**
 * `/templates` 探访表: the visit forms the user can use — built in and uploaded by the city — with
 * their items and print layout; 查看 draws one read-only; city and admin upload a new form or a new
 * version (JSON checked in the browser first), starting from 下载示例.
 */
export default function TemplatesPage() {
  const me = useCurrentUser();
  const wide = Grid.useBreakpoint().md ?? true;
  const [reloadKey, setReloadKey] = useState(0);
  const [viewing, setViewing] = useState<Row | null>(null);
  const [uploading, setUploading] = useState(false);
  const uploader = canUploadTemplates(me.role);

  const loaded = useLoad(String(reloadKey), async () => {
    const { items } = await templatesApi.list();
    const rows = await Promise.all(
      items.map(async (summary): Promise<Row> => {
        try {
          return { summary, template: await loadTemplate(summary.key, summary.version) };
        } catch {
          return { summary, template: null };
        }
      }),
    );
    return rows.sort(
      (a, b) =>
        Number(b.summary.builtin) - Number(a.summary.builtin) ||
        a.summary.key.localeCompare(b.summary.key) ||
        a.summary.version - b.summary.version,
    );
  })!;
  const summaries = loaded.state === 'ok' ? loaded.data.map((r) => r.summary) : [];

  const columns: TableColumnsType<Row> = [
    {
      title: '表单名称',
      key: 'name',
      render: (_, r) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{r.summary.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.summary.key}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '版本',
      key: 'version',
      width: 72,
      render: (_, r) => `第 ${r.summary.version} 版`,
    },
    { title: '发文单位', key: 'issuer', render: (_, r) => r.summary.issuer },
    {
      title: '来源',
      key: 'source',
      render: (_, r) =>
        r.summary.builtin ? (
          <Tag color="geekblue">内置</Tag>
        ) : (
          <Flex vertical gap={2}>
            <Tag color="green" style={{ alignSelf: 'flex-start' }}>
              上传
            </Tag>
            {r.summary.regionCode && <RegionName code={r.summary.regionCode} />}
          </Flex>
        ),
    },
    {
      title: '项目数',
      key: 'items',
      width: 80,
      render: (_, r) => (r.template ? `${itemCount(r.template)} 项` : '—'),
    },
    {
      title: '打印格式',
      key: 'print',
      render: (_, r) => (r.template ? PRINT_LAYOUT_LABELS[r.template.print] : '—'),
    },
    {
      title: '操作',
      key: 'actions',
      width: 88,
      fixed: 'right',
      render: (_, r) => (
        <Button
          size="small"
          icon={<EyeOutlined />}
          onClick={() => setViewing(r)}
          data-testid="template-view"
        >
          查看
        </Button>
      ),
    },
  ];

  const actions = (
    <Space wrap>
      <Button
        icon={<DownloadOutlined />}
        disabled={loaded.state !== 'ok'}
        onClick={() => {
          const json = sampleTemplateJson(summaries);
          const version = (JSON.parse(json) as { version: number }).version;
          download(`dandong-2023-v${version}.json`, json);
        }}
        data-testid="template-sample"
      >
        下载示例
      </Button>
      {uploader && (
        <Button
          type="primary"
          icon={<UploadOutlined />}
          onClick={() => setUploading(true)}
          data-testid="template-upload-open"
        >
          上传新表单
        </Button>
      )}
    </Space>
  );

  return (
    <Card title="探访表" extra={wide ? actions : undefined}>
      {!wide && <div style={{ marginBottom: 16 }}>{actions}</div>}
      <Typography.Paragraph type="secondary">
        探访记录表决定探访时填写哪些项目、哪些回答生成“发现问题”以及打印格式。内置鞍山 2020、丹东
        2023 两种官方表式；市级民政部门可上传本市表单或其新版本，每条探访记录保留录入时所用的版本。
        {uploader ? '' : '新表单由市级民政部门上传。'}
      </Typography.Paragraph>
      <Flex justify="flex-end" style={{ marginBottom: 8 }}>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => setReloadKey((k) => k + 1)}
          aria-label="刷新"
        >
          刷新
        </Button>
      </Flex>
      {loaded.state === 'error' ? (
        <Alert type="error" showIcon title="探访表加载失败" description={loaded.message} />
      ) : (
        <Table<Row>
          size="middle"
          rowKey={rowKey}
          loading={loaded.state === 'loading'}
          columns={columns}
          dataSource={loaded.state === 'ok' ? loaded.data : []}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="template-table"
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无可用的探访表" />
            ),
          }}
        />
      )}
      {viewing && <TemplateDrawer row={viewing} onClose={() => setViewing(null)} />}
      {uploading && (
        <TemplateUploadModal
          onClose={() => setUploading(false)}
          onUploaded={() => {
            setUploading(false);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </Card>
  );
}
