import { CheckCircleOutlined, UploadOutlined } from '@ant-design/icons';
import type { TemplateSummaryDto } from '@tanfang/domain';
import { Alert, App, Button, Flex, Input, Modal, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { checkTemplateJson, itemCount, type TemplateIssue } from './templateJson';
import { templatesApi } from './templatesApi';

/** Props of `TemplateUploadModal`. */
export interface TemplateUploadModalProps {
  onClose: () => void;
  onUploaded: (summary: TemplateSummaryDto) => void;
}

function IssueList({ title, issues }: { title: string; issues: readonly TemplateIssue[] }) {
  return (
    <Alert
      type="error"
      showIcon
      title={title}
      data-testid="template-issues"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {issues.map((i, n) => (
            <li key={`${i.path}-${n}`}>
              <Typography.Text code>{i.path}</Typography.Text> {i.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * 上传新表单: a template (or a new version) as JSON, from a file or pasted; checked in the browser
 * with the domain's `FormTemplate` schema (every problem with its path) before it is sent, and the
 * server's refusal (400 with the path, 409 a version that exists) shown as it comes.
 */
export function TemplateUploadModal({ onClose, onUploaded }: TemplateUploadModalProps) {
  const { message } = App.useApp();
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [serverError, setServerError] = useState<{ title: string; issues: TemplateIssue[] } | null>(
    null,
  );
  const [saving, setSaving] = useState(false);
  const check = useMemo(() => (text.trim() ? checkTemplateJson(text) : null), [text]);

  const change = (value: string) => {
    setText(value);
    setServerError(null);
  };

  const readFile = async (file: File) => {
    if (file.size > 1024 * 1024) {
      message.error('文件过大：表单 JSON 一般不超过 1 MB');
      return;
    }
    setFileName(file.name);
    change(await file.text());
  };

  const upload = async () => {
    if (!check?.ok || saving) return;
    setSaving(true);
    try {
      const summary = await templatesApi.upload(check.template);
      message.success(`已上传“${summary.name}”第 ${summary.version} 版`);
      onUploaded(summary);
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        const issues =
          e.details.length > 0
            ? e.details.map((d) => ({ path: d.field, message: d.message }))
            : [{ path: e.field ?? '（整个表单）', message: e.message }];
        setServerError({ title: e.message, issues });
      } else setServerError({ title: errorMessage(e), issues: [] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title="上传新表单"
      width={760}
      style={{ top: 32, maxWidth: 'calc(100vw - 16px)' }}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="upload"
          type="primary"
          disabled={!check?.ok}
          loading={saving}
          onClick={() => void upload()}
          data-testid="template-upload-submit"
        >
          上传
        </Button>,
      ]}
    >
      <Flex vertical gap={12} data-testid="template-upload">
        <Typography.Text type="secondary">
          表单以 JSON
          描述（可先“下载示例”在其基础上修改）。同一表单代码的新版本请使用新的版本号；已有的版本不能覆盖，已录入的探访记录始终保留其所用版本。
        </Typography.Text>
        <Flex gap={8} align="center" wrap>
          <Button icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
            选择 JSON 文件
          </Button>
          <Typography.Text type="secondary">
            {fileName ? `已读取：${fileName}` : '或在下方粘贴 JSON'}
          </Typography.Text>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="template-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void readFile(file);
            }}
          />
        </Flex>
        <Input.TextArea
          value={text}
          onChange={(e) => {
            setFileName(null);
            change(e.target.value);
          }}
          autoSize={{ minRows: 8, maxRows: 16 }}
          placeholder='{"key": "dandong-2023", "version": 2, "name": "…", "sections": […]}'
          style={{ fontFamily: 'monospace', fontSize: 12 }}
          aria-label="表单 JSON"
          data-testid="template-json"
        />
        {check && !check.ok && (
          <IssueList
            title={`表单有 ${check.issues.length} 处问题，请修改后再上传`}
            issues={check.issues}
          />
        )}
        {check?.ok && !serverError && (
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined />}
            data-testid="template-check-ok"
            title={`校验通过：${check.template.name}（${check.template.key} 第 ${check.template.version} 版），${check.template.sections.length} 个栏目、${itemCount(check.template)} 个项目`}
          />
        )}
        {serverError && <IssueList title={serverError.title} issues={serverError.issues} />}
      </Flex>
    </Modal>
  );
}
