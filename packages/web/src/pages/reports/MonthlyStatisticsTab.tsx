import { DownloadOutlined } from '@ant-design/icons';
import {
  STATISTICS_COLUMNS,
  localDateOf,
  regionLevelOf,
  type MonthlyStatisticsDto,
  type StatisticsColumn,
  type StatisticsRow,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Grid,
  Row,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { saveFile } from '../../lib/download';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { cellText, percent, safeFileName } from './reportFormat';
import { reportsApi } from './reportsApi';

type TableRow = StatisticsRow & { key: string; isTotal: boolean };
type Columns = TableColumnsType<TableRow>;

/** This month (China time), 'YYYY-MM'. */
const thisMonth = () => localDateOf(Date.now()).slice(0, 7);

/**
 * The table's columns from the shared layout: consecutive columns with the same header at a level
 * become one group, as the .xlsx merges them.
 */
function groupColumns(columns: readonly StatisticsColumn[], level = 0): Columns {
  const out: Columns = [];
  for (let i = 0; i < columns.length;) {
    const c = columns[i]!;
    const title = c.head[level]!;
    if (c.head.length === level + 1) {
      out.push({
        key: c.key,
        title,
        width: c.kind === 'text' ? 120 : Math.max(64, c.width * 9),
        align: c.kind === 'text' ? 'left' : 'right',
        fixed: c.key === 'region' ? 'left' : undefined,
        render: (_: unknown, r: TableRow) =>
          c.key === 'region' ? (
            r.isTotal ? (
              <strong>合计</strong>
            ) : (
              r.region.name
            )
          ) : (
            <span style={r.isTotal ? { fontWeight: 600 } : undefined}>
              {cellText(c.kind, c.value(r))}
            </span>
          ),
      });
      i += 1;
      continue;
    }
    let j = i;
    while (
      j + 1 < columns.length &&
      columns[j + 1]!.head.length > level + 1 &&
      columns[j + 1]!.head.slice(0, level + 1).join('|') === c.head.slice(0, level + 1).join('|')
    )
      j += 1;
    out.push({
      key: `${c.head.slice(0, level + 1).join('|')}`,
      title,
      align: 'center',
      children: groupColumns(columns.slice(i, j + 1), level + 1),
    });
    i = j + 1;
  }
  return out;
}

const columns = groupColumns(STATISTICS_COLUMNS);

/** 月度探访关爱统计表: a region and month, its figures per child region, and the .xlsx. */
export function MonthlyStatisticsTab() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, update } = useQueryState();
  const region = get('region');
  const requested = get('month');
  const month = requested && /^\d{4}-\d{2}$/.test(requested) ? requested : thisMonth();
  const [downloading, setDownloading] = useState(false);
  const loaded = useLoad<MonthlyStatisticsDto>(`${region}|${month}`, () =>
    reportsApi.monthlyStatistics({ region, month }),
  )!;

  const onDownload = async () => {
    setDownloading(true);
    try {
      const file = await reportsApi.monthlyStatisticsFile({ region, month });
      const name =
        loaded.state === 'ok'
          ? `${loaded.data.title}-${loaded.data.region.name}.xlsx`
          : `探访关爱统计表-${month}.xlsx`;
      saveFile(file.blob, safeFileName(file.fileName ?? name));
      message.success('已下载统计表');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(false);
    }
  };

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="统计表加载失败" description={loaded.message} />;
  else {
    const dto = loaded.data;
    const t = dto.total;
    const rows: TableRow[] = [
      ...dto.rows.map((r) => ({ ...r, key: r.region.code, isTotal: false })),
      { ...t, key: 'total', isTotal: true },
    ];
    body = (
      <Flex vertical gap={16}>
        <div>
          <Typography.Title level={4} style={{ margin: 0, textAlign: 'center' }}>
            {dto.title}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', margin: 0 }}>
            {dto.region.fullName} · 在册人数截至 {dto.registeredOn} · 数据截至 {chinaTime(dto.asOf)}
          </Typography.Paragraph>
        </div>
        <Row gutter={[12, 12]}>
          {[
            { title: '在册老年人数', value: String(t.registered), suffix: '人' },
            { title: '应访', value: String(t.visits.due), suffix: '人次' },
            {
              title: '已访（含补录）',
              value: String(t.visits.onTime + t.visits.late),
              suffix: '人次',
            },
            { title: '月探访率', value: percent(t.visits.rate) },
            { title: '发现问题', value: String(t.findings.total), suffix: '件' },
            { title: '关爱服务满意率', value: percent(t.careServices.satisfactionRate) },
          ].map((s) => (
            <Col key={s.title} xs={12} sm={8} lg={4}>
              <Card size="small">
                <Statistic title={s.title} value={s.value} suffix={s.suffix} />
              </Card>
            </Col>
          ))}
        </Row>
        <Table<TableRow>
          data-testid="monthly-statistics-table"
          bordered
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          sticky
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
          应访、按时探访、补录、未探访按探访周期计（人次），与探访率同一口径；月探访率 =（按时探访 +
          补录）÷ 应访；一位老年人有多个类别时在各类别分别计入；满意率 =（满意 + 基本满意）÷
          服务次数。口径详见下载文件的说明。
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
        <DatePicker
          picker="month"
          aria-label="统计月份"
          data-testid="report-month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(d) => d.format('YYYY-MM') > thisMonth()}
          onChange={(d) => update({ month: d ? d.format('YYYY-MM') : undefined })}
        />
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          loading={downloading}
          onClick={() => void onDownload()}
          data-testid="download-monthly"
        >
          下载 .xlsx
        </Button>
      </Flex>
      {body}
    </Flex>
  );
}
