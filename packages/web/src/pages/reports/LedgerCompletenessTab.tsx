import { DownloadOutlined } from '@ant-design/icons';
import { regionLevelOf, type CompletenessRow, type LedgerCompletenessDto } from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Grid,
  Progress,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { saveFile } from '../../lib/download';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { percent, safeFileName } from './reportFormat';
import { reportsApi } from './reportsApi';

type TableRow = CompletenessRow & { key: string; isTotal: boolean };

/** The columns: the village, its counts and rates, and each field some record lacks. */
function columnsOf(dto: LedgerCompletenessDto): TableColumnsType<TableRow> {
  const bold = (r: TableRow, text: string) => (r.isTotal ? <strong>{text}</strong> : text);
  const lacking = dto.fields.filter((f) => dto.total.missing[f.field] > 0);
  return [
    {
      key: 'township',
      title: '乡镇(街道)',
      width: 110,
      fixed: 'left',
      render: (_: unknown, r) => (r.isTotal ? <strong>合计</strong> : r.township),
    },
    {
      key: 'village',
      title: '村(居)',
      width: 130,
      fixed: 'left',
      render: (_: unknown, r) => (r.isTotal ? '' : r.region.name),
    },
    {
      key: 'elders',
      title: '老年人数',
      width: 84,
      align: 'right',
      render: (_: unknown, r) => bold(r, String(r.elders)),
    },
    {
      key: 'complete',
      title: '完整记录数',
      width: 96,
      align: 'right',
      render: (_: unknown, r) => bold(r, String(r.complete)),
    },
    {
      key: 'completeRate',
      title: '台账完整率',
      width: 150,
      sorter: (a, b) =>
        a.isTotal || b.isTotal ? 0 : (a.completeRate ?? 1) - (b.completeRate ?? 1),
      render: (_: unknown, r) => (
        <Progress
          percent={Number(((r.completeRate ?? 0) * 100).toFixed(1))}
          size="small"
          format={() => percent(r.completeRate)}
          status={r.completeRate === 1 ? 'success' : 'normal'}
        />
      ),
    },
    {
      key: 'fieldRate',
      title: '必填项填写率',
      width: 110,
      align: 'right',
      render: (_: unknown, r) => bold(r, percent(r.fieldRate)),
    },
    {
      key: 'missing',
      title: '缺项记录数（份）',
      align: 'center',
      children: lacking.map((f) => ({
        key: f.field,
        title: (
          <Tooltip title={`依据：${f.source}`}>
            <span>{f.label}</span>
          </Tooltip>
        ),
        width: Math.max(72, f.label.length * 14 + 16),
        align: 'right' as const,
        render: (_: unknown, r: TableRow) => {
          const n = r.missing[f.field];
          return n > 0 ? (
            <Typography.Text type={r.isTotal ? undefined : 'danger'} strong={r.isTotal}>
              {n}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">0</Typography.Text>
          );
        },
      })),
    },
  ];
}

/** 台账完整性: per village, how many records are complete and which fields are missing; the .xlsx. */
export function LedgerCompletenessTab() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, update } = useQueryState();
  const region = get('region');
  const [downloading, setDownloading] = useState(false);
  const loaded = useLoad<LedgerCompletenessDto>(`${region}`, () =>
    reportsApi.ledgerCompleteness({ region }),
  )!;

  const onDownload = async () => {
    setDownloading(true);
    try {
      const file = await reportsApi.ledgerCompletenessFile({ region });
      const place = loaded.state === 'ok' ? loaded.data.region.name : (region ?? '');
      saveFile(file.blob, safeFileName(file.fileName ?? `台账完整性-${place}.xlsx`));
      const count = file.headers.get('x-record-count');
      message.success(count ? `已下载（${count} 位老年人）` : '已下载');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(false);
    }
  };

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="台账完整性加载失败" description={loaded.message} />;
  else if (loaded.data.rows.length === 0) body = <Empty description="该区域的台账中还没有老年人" />;
  else {
    const dto = loaded.data;
    const t = dto.total;
    const rows: TableRow[] = [
      ...dto.rows.map((r) => ({ ...r, key: r.region.code, isTotal: false })),
      { ...t, key: 'total', isTotal: true },
    ];
    body = (
      <Flex vertical gap={16}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {dto.region.fullName} · 数据截至 {chinaTime(dto.asOf)}
        </Typography.Paragraph>
        <Row gutter={[12, 12]}>
          {[
            { title: '老年人数', value: String(t.elders), suffix: '人' },
            { title: '完整记录', value: String(t.complete), suffix: '份' },
            { title: '不完整记录', value: String(t.elders - t.complete), suffix: '份' },
            { title: '台账完整率', value: percent(t.completeRate) },
            { title: '必填项填写率', value: percent(t.fieldRate) },
          ].map((s) => (
            <Col key={s.title} xs={12} sm={8} lg={4}>
              <Card size="small">
                <Statistic title={s.title} value={s.value} suffix={s.suffix} />
              </Card>
            </Col>
          ))}
        </Row>
        <Table<TableRow>
          data-testid="ledger-completeness-table"
          bordered
          size="small"
          columns={columnsOf(dto)}
          dataSource={rows}
          pagination={rows.length > 51 ? { pageSize: 50, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          sticky
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
          老年人数为在册老年人（不含迁出、入住机构、住院、已故）。必填项取自海南 2018
          农村留守老年人信息采集表与丹东 2023
          探访关爱服务记录表一至三（残疾人证号、残疾等级仅问残疾老年人，子女外出情况与临时照料人仅问留守老年人，特困和计划生育特殊家庭老年人不要求登记子女或其他赡养人）；表中只列出有缺项的必填项，下载文件列出全部必填项、每份不完整记录缺少的项目及依据。
        </Typography.Paragraph>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={12} align="center">
        {regionLevelOf(me.jurisdiction.code) !== 'village' && (
          <div style={{ width: wide ? 280 : '100%' }}>
            <RegionPicker
              style={{ width: '100%' }}
              value={region}
              onChange={(code) => update({ region: code })}
              placeholder={`${me.jurisdiction.name}（本辖区）`}
            />
          </div>
        )}
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          loading={downloading}
          onClick={() => void onDownload()}
          data-testid="download-completeness"
        >
          下载 .xlsx
        </Button>
      </Flex>
      {body}
    </Flex>
  );
}
