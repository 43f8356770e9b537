import {
  SPOT_CHECK_RECORDABLE_LABELS,
  SpotCheckResultInput,
  VISIT_METHOD_LABELS,
  type SpotCheckItemDto,
  type SpotCheckRecordable,
} from '@tanfang/domain';
import { Alert, App, Descriptions, Form, Input, Modal, Radio, Tag } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { chinaTime } from '../../lib/format';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { spotChecksApi } from './spotChecksApi';
import { RESULT_COLORS, resultLabel } from './spotCheckText';

interface ResultValues {
  result?: SpotCheckRecordable;
  note?: string;
}

/** Props of `ResultModal`. */
export interface ResultModalProps {
  item: SpotCheckItemDto;
  onClose: () => void;
  onSaved: (item: SpotCheckItemDto) => void;
}

/**
 * 记录核实结果: 电话核实, 实地核实 or 未能核实 (with a note: what was done and why it failed). A
 * result already recorded may be changed, with a note; the earlier one stays in the history.
 */
export function ResultModal({ item, onClose, onSaved }: ResultModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ResultValues>();
  const [saving, setSaving] = useState(false);
  const result = Form.useWatch('result', form);
  const changing = item.result !== 'pending';
  const noteRequired = result === 'not_verified' || changing;

  const submit = async (values: ResultValues) => {
    const note = values.note?.trim();
    const body = { result: values.result, ...(note ? { note } : {}) };
    const parsed = SpotCheckResultInput.safeParse(body);
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, ['result', 'note'] as const);
      form.setFields(fields);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    if (changing && !note) {
      form.setFields([{ name: 'note', errors: ['修改核实结果时请填写备注（修改原因）'] }]);
      return;
    }
    setSaving(true);
    try {
      const saved = await spotChecksApi.recordResult(item.id, parsed.data);
      message.success(`已记录：${resultLabel(saved.result)}`);
      onSaved(saved);
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, ['result', 'note'], error)))
        message.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`记录核实结果：${item.elder.name}`}
      okText="保存"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'result-submit' } as Record<string, string>}
    >
      <Descriptions
        size="small"
        column={1}
        style={{ margin: '12px 0' }}
        items={[
          { key: 'village', label: '村（居）', children: item.village.name },
          { key: 'visitor', label: '探访人员', children: item.visitor?.name ?? '—' },
          {
            key: 'visit',
            label: '探访',
            children: `${chinaTime(item.visit.visitedAt)} · ${VISIT_METHOD_LABELS[item.visit.method]}`,
          },
          ...(item.visit.proof.flags.length > 0
            ? [
                {
                  key: 'flags',
                  label: '凭证提示',
                  children: item.visit.proof.flags.map((f) => (
                    <Tag key={f.code} color="orange">
                      {f.message}
                    </Tag>
                  )),
                },
              ]
            : []),
          ...(changing
            ? [
                {
                  key: 'current',
                  label: '当前结果',
                  children: (
                    <Tag color={RESULT_COLORS[item.result]}>{resultLabel(item.result)}</Tag>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Form<ResultValues>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item label="核实方式" name="result" required>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={(Object.keys(SPOT_CHECK_RECORDABLE_LABELS) as SpotCheckRecordable[]).map(
              (value) => ({ value, label: SPOT_CHECK_RECORDABLE_LABELS[value] }),
            )}
            data-testid="result-choice"
          />
        </Form.Item>
        {result === 'not_verified' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="未能核实的探访将标记为“未核实”，不再计入探访率，所在月份的探访率随即重算。"
          />
        )}
        <Form.Item
          label="备注"
          name="note"
          required={noteRequired}
          extra={
            changing
              ? '修改结果须说明原因，原结果保留在核实记录中'
              : '未能核实时须写明核实经过和原因'
          }
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder="如：电话联系老人本人，确认当月已上门探访"
            data-testid="result-note"
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
