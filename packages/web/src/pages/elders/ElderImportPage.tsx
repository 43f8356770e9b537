import {
  DownloadOutlined,
  FileExcelOutlined,
  ReloadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Radio,
  Result,
  Row,
  Space,
  Statistic,
  Steps,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, XLSX_TYPE, api, errorMessage, type ImportDto, type ImportMode } from '../../api';
import { saveFile } from '../../lib/download';
import { useQueryState } from '../../lib/useQueryState';
import { lastListSearch } from './listSearch';

/** The largest file the server takes. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** How often a running import is asked about. */
const POLL_MS = 1000;

const MODE_OPTIONS: { value: ImportMode; label: string; help: string }[] = [
  {
    value: 'all_or_nothing',
    label: '全部成功才导入',
    help: '先检查全部行，只要有一行有误，就不写入任何数据；请按错误报告修改后重新导入。',
  },
  {
    value: 'valid_only',
    label: '只导入有效行',
    help: '写入检查通过的行，跳过有误的行（每行要么整行写入，要么整行跳过）；有误的行可修改后再次导入。',
  },
];

type ImportError = ImportDto['errors'][number];

/** `12.3 MB` / `850 KB`. */
function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Why a chosen file cannot be uploaded, checked in the browser before the server does. */
function fileProblem(file: File): string | null {
  if (!/\.xlsx$/i.test(file.name)) {
    return '请选择 .xlsx 格式的文件（Excel 2007 及以上）；.xls、.csv 等请先另存为 .xlsx';
  }
  if (file.size === 0) return '文件是空的，请重新选择';
  if (file.size > MAX_FILE_BYTES) {
    return `文件过大（${fileSize(file.size)}），上限为 50 MB，请拆分后分批导入`;
  }
  return null;
}

/**
 * The problem as the table shows it: the server's message names the row and column
 * (第 3 行“身份证号”：…), which the table has in its own columns.
 */
function problemText(error: ImportError): string {
  const prefix = `${error.row ? `第 ${error.row} 行` : ''}${error.column ? `“${error.column}”` : ''}：`;
  return error.message.startsWith(prefix) && prefix.length > 1
    ? error.message.slice(prefix.length)
    : error.message;
}

const errorColumns: TableColumnsType<ImportError> = [
  {
    title: '行',
    dataIndex: 'row',
    width: 80,
    render: (row: number | null) => row ?? '整个文件',
  },
  {
    title: '列',
    dataIndex: 'column',
    width: 160,
    render: (column: string | null) => column ?? '—',
  },
  { title: '问题', key: 'message', render: (_: unknown, error) => problemText(error) },
];

/** Why an import failed, from whichever field the server filled. */
const failureMessage = (job: ImportDto) =>
  job.failure?.message ?? job.message ?? '导入失败，请检查文件后重新导入';

/** The running import: a progress bar and the counts so far. */
function ImportProgress({ job }: { job: ImportDto }) {
  const { rowsRead, valid, invalid } = job.progress;
  const written = job.summary.created + job.summary.updated + job.summary.unchanged;
  // Checking reads the whole sheet first (its length is unknown); writing goes through the valid rows.
  const writing = job.phase === 'writing';
  const percent = writing && valid > 0 ? Math.min(99, 50 + Math.round((50 * written) / valid)) : 0;
  return (
    <Card size="small" data-testid="import-progress">
      <Flex vertical gap={12}>
        <Typography.Text strong>
          {writing ? '正在写入台账…' : '正在检查数据…'}
          {job.fileName ? `（${job.fileName}）` : ''}
        </Typography.Text>
        <Progress
          percent={writing ? percent : 100}
          status="active"
          showInfo={writing}
          strokeColor={writing ? undefined : '#91caff'}
          aria-label="导入进度"
        />
        <Row gutter={16}>
          <Col xs={12} sm={6}>
            <Statistic title="已读取(行)" value={rowsRead} />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic title="有效(行)" value={valid} />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic
              title="有误(行)"
              value={invalid}
              styles={{ content: invalid > 0 ? { color: '#cf1322' } : undefined }}
            />
          </Col>
          {writing && (
            <Col xs={12} sm={6}>
              <Statistic title="已写入(行)" value={written} />
            </Col>
          )}
        </Row>
        <Typography.Text type="secondary">
          导入在服务器后台进行，可以离开本页；稍后从浏览器历史返回本页可继续查看结果。
        </Typography.Text>
      </Flex>
    </Card>
  );
}

/** The finished import: summary, problems, the report. */
function ImportOutcome({
  job,
  onReport,
  reportLoading,
  onAgain,
}: {
  job: ImportDto;
  onReport: () => void;
  reportLoading: boolean;
  onAgain: () => void;
}) {
  const navigate = useNavigate();
  const { summary, progress } = job;
  const written = summary.created + summary.updated + summary.unchanged;
  const blocked = job.status === 'done' && job.mode === 'all_or_nothing' && progress.invalid > 0;
  const errorCount = job.errorCount ?? job.errors.length;

  let status: 'success' | 'warning' | 'error';
  let title: string;
  let subTitle: string;
  if (job.status === 'failed') {
    status = 'error';
    title = '导入失败';
    subTitle = failureMessage(job);
  } else if (blocked) {
    status = 'error';
    title = `有 ${progress.invalid} 行数据有误，本次未导入任何数据`;
    subTitle = '导入方式为“全部成功才导入”。请按下方问题或错误报告修改文件后重新导入。';
  } else if (progress.invalid > 0 || summary.skipped > 0) {
    status = 'warning';
    title = `已导入 ${written} 行，跳过 ${summary.skipped} 行`;
    subTitle =
      '有误的行未导入，请修改后再次导入（已导入的行再次导入时计为未变或更新，不会重复登记）。';
  } else {
    status = 'success';
    title = `导入完成：共 ${written} 行`;
    subTitle = '同一身份证号再次导入会更新原记录，不会重复登记。';
  }

  const changed = summary.changedFields ?? [];
  // By row (problems of the whole file first), each row's problems in the server's order.
  const errors = job.errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => (a.error.row ?? 0) - (b.error.row ?? 0) || a.index - b.index)
    .map(({ error }) => error);
  return (
    <Flex vertical gap={16}>
      <Card size="small" data-testid="import-result" data-status={job.status}>
        <Result
          status={status}
          title={title}
          subTitle={subTitle}
          style={{ padding: '16px 0 8px' }}
          extra={
            <Space wrap style={{ justifyContent: 'center' }}>
              {job.reportAvailable && (
                <Button
                  type="primary"
                  icon={<DownloadOutlined />}
                  loading={reportLoading}
                  onClick={onReport}
                  data-testid="import-report"
                >
                  下载错误报告
                </Button>
              )}
              <Button icon={<ReloadOutlined />} onClick={onAgain} data-testid="import-again">
                再导入一个文件
              </Button>
              <Button onClick={() => navigate(`/elders${lastListSearch()}`)}>查看台账</Button>
            </Space>
          }
        />
        <Row gutter={[16, 16]} style={{ textAlign: 'center' }}>
          <Col xs={12} sm={6}>
            <Statistic title="新增" value={summary.created} suffix="人" />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic title="更新" value={summary.updated} suffix="人" />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic title="未变" value={summary.unchanged} suffix="人" />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic
              title="跳过"
              value={summary.skipped}
              suffix="行"
              styles={{ content: summary.skipped > 0 ? { color: '#cf1322' } : undefined }}
            />
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', textAlign: 'center' }}>
          共读取 {progress.rowsRead} 行：有效 {progress.valid} 行，有误 {progress.invalid} 行
          {job.fileName ? ` · 文件：${job.fileName}` : ''}
        </Typography.Paragraph>
        {changed.length > 0 && (
          <Typography.Paragraph style={{ margin: '8px 0 0', textAlign: 'center' }}>
            更新的内容：
            {changed.map((c) => `${c.label} ${c.count} 人`).join('、')}
          </Typography.Paragraph>
        )}
      </Card>

      {job.errors.length > 0 && (
        <Card
          size="small"
          title={`问题清单（${errorCount} 条）`}
          extra={
            errorCount > job.errors.length ? (
              <Typography.Text type="secondary">
                仅显示前 {job.errors.length} 条，全部问题请下载错误报告
              </Typography.Text>
            ) : undefined
          }
        >
          <Table<ImportError>
            data-testid="import-errors"
            size="small"
            rowKey={(e, i) => `${e.row ?? 'file'}-${e.column ?? ''}-${String(i)}`}
            columns={errorColumns}
            dataSource={errors}
            pagination={job.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 560 }}
          />
        </Card>
      )}
    </Flex>
  );
}

/** `/elders/import`: census import (摸底排查) of a filled-in .xlsx template. */
export default function ElderImportPage() {
  const { message } = App.useApp();
  const { get, update } = useQueryState();
  const importId = get('id');
  const inputRef = useRef<HTMLInputElement>(null);

  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mode, setMode] = useState<ImportMode>('all_or_nothing');
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [templateLoading, setTemplateLoading] = useState(false);
  const [reportLoading, setReportLoading] = useState(false);
  const [job, setJob] = useState<ImportDto | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);

  // Follows the import in the URL (?id=) every second while it runs.
  useEffect(() => {
    setJob(null);
    setPollError(null);
    if (!importId) return;
    let cancelled = false;
    let timer: number | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const result = await api.elderImport(importId);
        if (cancelled) return;
        failures = 0;
        setJob(result);
        setPollError(null);
        if (result.status === 'running') timer = window.setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          setPollError(errorMessage(error));
          return;
        }
        // The server or the network failed for a moment: ask again, less and less often.
        failures += 1;
        setPollError(`${errorMessage(error)}（正在重试）`);
        timer = window.setTimeout(() => void poll(), Math.min(10_000, POLL_MS * 2 ** failures));
      }
    };
    void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [importId]);

  const downloadTemplate = async () => {
    setTemplateLoading(true);
    try {
      const { blob, fileName } = await api.elderImportTemplate();
      saveFile(blob, fileName ?? '摸底登记模板.xlsx');
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setTemplateLoading(false);
    }
  };

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    // The same file can be chosen again after a change on disk.
    event.target.value = '';
    setUploadError(null);
    if (!chosen) return;
    const problem = fileProblem(chosen);
    setFileError(problem);
    setFile(problem ? null : chosen);
  };

  const submit = async () => {
    if (!file) {
      setFileError('请先选择要导入的 .xlsx 文件');
      return;
    }
    setUploading(true);
    setUploadError(null);
    try {
      const started = await api.startElderImport(file, mode, file.name);
      setFile(null);
      update({ id: started.id });
    } catch (error) {
      setUploadError(
        error instanceof ApiError && error.status === 413 && error.code === 'payload_too_large'
          ? '文件过大，上限为 50 MB，请拆分后分批导入'
          : errorMessage(error),
      );
    } finally {
      setUploading(false);
    }
  };

  const downloadReport = async () => {
    if (!job) return;
    setReportLoading(true);
    try {
      const { blob, fileName } = await api.elderImportReport(job.id);
      saveFile(blob, fileName ?? `导入报告-${job.id}.xlsx`);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setReportLoading(false);
    }
  };

  const again = () => {
    setFile(null);
    setFileError(null);
    setUploadError(null);
    update({ id: undefined });
  };

  const setup = (
    <Flex vertical gap={16}>
      <Alert
        type="info"
        showIcon
        title="按模板填写后上传。每一行是一位老年人，列依照《农村留守老年人信息采集表》；模板中的“填写说明”工作表列出每一列的要求。"
        description="同一身份证号再次导入会更新原记录，不会重复登记；导入完成后显示新增、更新、未变和跳过的人数，每一行的问题可下载为错误报告。"
      />
      <Steps
        orientation="vertical"
        current={file ? 3 : 1}
        items={[
          {
            title: '下载模板',
            content: (
              <Flex vertical gap={8} align="flex-start" style={{ padding: '4px 0 16px' }}>
                <Typography.Text type="secondary">
                  摸底登记模板（.xlsx），请勿修改表头和工作表名称。
                </Typography.Text>
                <Button
                  icon={<DownloadOutlined />}
                  loading={templateLoading}
                  onClick={() => void downloadTemplate()}
                  data-testid="import-template"
                >
                  下载模板
                </Button>
              </Flex>
            ),
          },
          {
            title: '选择文件',
            content: (
              <Flex vertical gap={8} align="flex-start" style={{ padding: '4px 0 16px' }}>
                <Typography.Text type="secondary">
                  只接受 .xlsx 文件，不超过 50 MB；请不要使用公式。
                </Typography.Text>
                <input
                  ref={inputRef}
                  type="file"
                  accept={`.xlsx,${XLSX_TYPE}`}
                  onChange={onFile}
                  hidden
                  aria-label="选择要导入的文件"
                  data-testid="import-file"
                />
                <Space wrap>
                  <Button icon={<UploadOutlined />} onClick={() => inputRef.current?.click()}>
                    {file ? '重新选择' : '选择文件'}
                  </Button>
                  {file && (
                    <Typography.Text data-testid="import-file-name">
                      <FileExcelOutlined style={{ color: '#389e0d' }} /> {file.name}（
                      {fileSize(file.size)}）
                    </Typography.Text>
                  )}
                </Space>
                {fileError && (
                  <Typography.Text type="danger" data-testid="import-file-error">
                    {fileError}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: '选择导入方式',
            content: (
              <Radio.Group
                value={mode}
                onChange={(e) => setMode(e.target.value as ImportMode)}
                data-testid="import-mode"
                style={{ padding: '4px 0 16px' }}
              >
                <Flex vertical gap={8}>
                  {MODE_OPTIONS.map((option) => (
                    <Radio key={option.value} value={option.value}>
                      <Typography.Text strong>{option.label}</Typography.Text>
                      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                        {option.help}
                      </Typography.Paragraph>
                    </Radio>
                  ))}
                </Flex>
              </Radio.Group>
            ),
          },
          {
            title: '上传并导入',
            content: (
              <Flex vertical gap={8} align="flex-start" style={{ padding: '4px 0 8px' }}>
                <Button
                  type="primary"
                  icon={<UploadOutlined />}
                  loading={uploading}
                  disabled={!file}
                  onClick={() => void submit()}
                  data-testid="import-submit"
                >
                  开始导入
                </Button>
                {uploadError && (
                  <Alert
                    type="error"
                    showIcon
                    title={uploadError}
                    data-testid="import-upload-error"
                  />
                )}
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );

  let body;
  if (!importId) body = setup;
  else if (job?.status === 'running') body = <ImportProgress job={job} />;
  else if (job) {
    body = (
      <ImportOutcome
        job={job}
        reportLoading={reportLoading}
        onReport={() => void downloadReport()}
        onAgain={again}
      />
    );
  } else if (pollError) body = null;
  else {
    body = (
      <Card size="small" data-testid="import-progress" loading>
        正在查询导入进度…
      </Card>
    );
  }

  return (
    <Card
      title="批量导入（摸底排查）"
      extra={<Link to={`/elders${lastListSearch()}`}>返回台账</Link>}
    >
      <Flex vertical gap={16}>
        {pollError && (
          <Alert
            type={job ? 'warning' : 'error'}
            showIcon
            title={pollError}
            action={
              !job && (
                <Button size="small" onClick={again}>
                  重新导入
                </Button>
              )
            }
          />
        )}
        {body}
      </Flex>
    </Card>
  );
}
