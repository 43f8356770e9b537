import { SATISFACTION_LABELS, todayIso, type Satisfaction } from '@tanfang/domain';
import { DatePicker, Form, Input, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

/** The fields of 记录表 六 as a form fills them in. */
export interface CareServiceValues {
  servedOn?: Dayjs;
  content?: string;
  satisfaction?: Satisfaction;
  note?: string;
}

/** Today as the date picker's initial value. */
export const todayValue = () => dayjs(todayIso());

const satisfactionOptions = (Object.keys(SATISFACTION_LABELS) as Satisfaction[]).map((s) => ({
  value: s,
  label: SATISFACTION_LABELS[s],
}));

/**
 * 服务时间, 关爱服务情况 (what was done), 老年人服务满意度评价 and a note — the columns of the 丹东
 * 记录表 六, under `prefix` when nested in a larger form.
 */
export function CareServiceFields({ prefix = [] }: { prefix?: string[] }) {
  return (
    <>
      <Form.Item
        label="服务时间"
        name={[...prefix, 'servedOn']}
        required
        rules={[{ required: true, message: '请选择服务时间' }]}
      >
        <DatePicker
          style={{ width: '100%' }}
          disabledDate={(d) => d.isAfter(dayjs(todayIso()), 'day')}
          inputReadOnly
          data-testid="care-served-on"
        />
      </Form.Item>
      <Form.Item
        label="服务内容"
        name={[...prefix, 'content']}
        required
        rules={[{ required: true, whitespace: true, message: '请填写服务内容' }]}
      >
        <Input.TextArea
          rows={3}
          maxLength={1000}
          showCount
          placeholder="做了什么：如上门助餐 4 次、陪同就医、安装扶手"
          data-testid="care-content"
        />
      </Form.Item>
      <Form.Item
        label="老年人服务满意度评价"
        name={[...prefix, 'satisfaction']}
        required
        rules={[{ required: true, message: '请选择老年人的满意度' }]}
      >
        <Radio.Group
          options={satisfactionOptions}
          optionType="button"
          buttonStyle="solid"
          data-testid="care-satisfaction"
        />
      </Form.Item>
      <Form.Item label="备注" name={[...prefix, 'note']}>
        <Input maxLength={500} placeholder="选填" />
      </Form.Item>
    </>
  );
}

/** The API's fields of a care service from the form's values. */
export function careServiceBody(values: CareServiceValues) {
  return {
    servedOn: values.servedOn?.format('YYYY-MM-DD'),
    content: values.content,
    satisfaction: values.satisfaction,
    ...(values.note?.trim() ? { note: values.note.trim() } : {}),
  };
}
