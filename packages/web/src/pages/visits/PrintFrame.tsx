import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import type { ElderDto, FormTemplate, VisitDto } from '@tanfang/domain';
import { Button, Empty, Result, Spin } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Loaded } from '../worklist/useLoad';
import { AnshanSheet } from './AnshanSheet';
import { RecordBlocks } from './RecordBlocks';
import type { PrintPart } from './printLayout';
import '../elders/print.css';
import './visitPrint.css';

/** What a visit printout needs: the elder, the year's visits and their templates. */
export interface PrintData {
  elder: ElderDto;
  year: number;
  visits: VisitDto[];
  templates: Map<string, FormTemplate>;
}

/** The parts of a printout, each on its own page(s). */
export function PrintParts({ data, parts }: { data: PrintData; parts: PrintPart[] }) {
  return (
    <>
      {parts.map((p) => (
        <div key={p.key} className="vp-part">
          {p.layout === 'anshan-quarterly' ? (
            <AnshanSheet
              elder={data.elder}
              year={data.year}
              quarters={p.quarters}
              template={p.template}
            />
          ) : (
            <RecordBlocks elder={data.elder} year={data.year} blocks={p.blocks} layout={p.layout} />
          )}
        </div>
      ))}
    </>
  );
}

/**
 * A printable page outside the console: a toolbar (返回, 打印) over an A4 sheet; in print only the
 * form remains. `data-ready` tells whoever saves a PDF that everything is loaded.
 */
export function PrintFrame({
  loaded,
  title,
  backTo,
  empty,
  children,
}: {
  loaded: Loaded<unknown>;
  /** The document title (names the saved PDF). */
  title: string | undefined;
  backTo: string;
  /** Shown on the sheet when there is nothing to print. */
  empty: string | undefined;
  children: ReactNode;
}) {
  useEffect(() => {
    if (!title) return;
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);

  if (loaded.state === 'error') {
    return (
      <Result
        status={loaded.status === 404 ? '404' : loaded.status === 403 ? '403' : 'error'}
        title={loaded.status === 404 ? '记录不存在' : '加载失败'}
        subTitle={loaded.message}
        extra={
          <Link to={backTo}>
            <Button type="primary">返回</Button>
          </Link>
        }
      />
    );
  }
  const ready = loaded.state === 'ok';
  return (
    <div className="print-page">
      <div className="print-toolbar" data-testid="print-toolbar">
        <Link to={backTo}>
          <Button icon={<ArrowLeftOutlined />}>返回</Button>
        </Link>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!ready || Boolean(empty)}
          onClick={() => window.print()}
          data-testid="print-button"
        >
          打印
        </Button>
        <span className="print-toolbar-hint">
          请在打印设置中选择 A4 纸，并关闭“页眉和页脚”。身份证号脱敏打印。
        </span>
      </div>
      {ready ? (
        <div className="print-sheet">
          <div className="print-form" data-testid="visit-print" data-ready="true">
            {empty ? <Empty description={empty} style={{ padding: '40mm 0' }} /> : children}
          </div>
        </div>
      ) : (
        <div style={{ padding: 80, textAlign: 'center' }}>
          <Spin size="large" />
        </div>
      )}
    </div>
  );
}
