import { Checkbox, Col, Form, Select } from 'antd';
import { CATEGORY_OPTIONS, TIER_OPTIONS } from './formOptions';

/**
 * Who a rule selects — 分级 and 类别, each empty for everyone — as two half-width columns of a
 * form whose fields are named `tiers` and `categories` (visit policies and campaigns).
 */
export function SelectorFields() {
  const half = { xs: 24, md: 12 };
  return (
    <>
      <Col {...half}>
        <Form.Item label="分级" name="tiers" extra="不选即适用于全部分级">
          <Checkbox.Group options={TIER_OPTIONS} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="类别"
          name="categories"
          extra="不选即适用于全部类别；选多项时具备其中之一即适用"
        >
          <Select mode="multiple" allowClear options={CATEGORY_OPTIONS} placeholder="全部类别" />
        </Form.Item>
      </Col>
    </>
  );
}
