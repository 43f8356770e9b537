import {
  ELDER_SITUATION_LABELS,
  EMERGENCY_NUMBER_LABELS,
  type ElderSituation,
  type EmergencyChecklist,
  type EmergencyNumber,
} from '@tanfang/domain';
import { Form, Input, Radio, Select } from 'antd';
import { chinaTime } from '../../lib/format';

const numbers = (Object.keys(EMERGENCY_NUMBER_LABELS) as EmergencyNumber[]).map((value) => ({
  value,
  label: EMERGENCY_NUMBER_LABELS[value],
}));
const situations = (Object.keys(ELDER_SITUATION_LABELS) as ElderSituation[]).map((value) => ({
  value,
  label: ELDER_SITUATION_LABELS[value],
}));

/** When an item was last filled in, under its label. */
function filled(at: string | undefined) {
  return at ? `填写于 ${chinaTime(at)}` : undefined;
}

/**
 * The emergency checklist's fields (处置清单): the number called (110/119/120), whether the family
 * or the emergency contact was reached and who, the elder's situation now — inside an antd Form,
 * under `name` (e.g. `['checklist']`) or at the top.
 */
export function ChecklistFields({
  name = [],
  at = {},
  large,
}: {
  name?: string[];
  /** When each item was last filled in (shown under it). */
  at?: Partial<Record<keyof EmergencyChecklist, string>>;
  /** The phone's big controls. */
  large?: boolean;
}) {
  const size = large ? 'large' : undefined;
  return (
    <>
      <Form.Item
        label="拨打的紧急电话"
        name={[...name, 'emergencyNumber']}
        extra={filled(at.emergencyNumber)}
      >
        <Radio.Group
          options={numbers}
          optionType="button"
          buttonStyle="solid"
          size={size}
          data-testid="checklist-number"
        />
      </Form.Item>
      <Form.Item
        label="是否联系到家属或紧急联系人"
        name={[...name, 'familyReached']}
        extra={filled(at.familyReached)}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          size={size}
          options={[
            { value: true, label: '已联系到' },
            { value: false, label: '未联系到' },
          ]}
          data-testid="checklist-family"
        />
      </Form.Item>
      <Form.Item
        label="联系到的人"
        name={[...name, 'familyContact']}
        extra={filled(at.familyContact)}
      >
        <Input
          maxLength={60}
          placeholder="如：儿子 李明"
          size={size}
          data-testid="checklist-contact"
        />
      </Form.Item>
      <Form.Item label="老年人目前情况" name={[...name, 'situation']} extra={filled(at.situation)}>
        <Select
          allowClear
          options={situations}
          placeholder="请选择"
          size={size}
          data-testid="checklist-situation"
        />
      </Form.Item>
      <Form.Item
        label="情况说明"
        name={[...name, 'situationNote']}
        extra={filled(at.situationNote)}
      >
        <Input.TextArea
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder="如：已由 120 送往县医院，家属陪同"
          data-testid="checklist-note"
        />
      </Form.Item>
    </>
  );
}

/** The checklist as the API takes it: empty items left out. */
export function checklistOf(
  values: Partial<Record<keyof EmergencyChecklist, unknown>>,
): EmergencyChecklist {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values ?? {}))
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === ''))
      out[k] = typeof v === 'string' ? v.trim() : v;
  return out as EmergencyChecklist;
}
