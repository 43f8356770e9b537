import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ASSISTANCE_LABELS,
  BENEFIT_LABELS,
  HEALTH_LABELS,
  HELP_UNIT_LABELS,
  SUPPORTER_KIND_LABELS,
} from '@tanfang/domain';
import {
  Button,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
  theme,
} from 'antd';
import type { FormListFieldData } from 'antd';
import type { ReactNode } from 'react';
import { GENDER_OPTIONS, MonthItem, labelOptions, type RuleFor } from './formControls';

/** Columns of a list row: two on a tablet, three or four on a desktop. */
const COL = { xs: 24, sm: 12, xl: 8 };
const COL_WIDE = { xs: 24, xl: 16 };

/** One row of a Form.List, framed, with its number and a remove button. */
function ListRow({
  title,
  onRemove,
  testId,
  children,
}: {
  title: string;
  onRemove: () => void;
  testId: string;
  children: ReactNode;
}) {
  const { token } = theme.useToken();
  return (
    <div
      data-testid={testId}
      style={{
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadius,
        padding: '8px 12px 0',
        background: token.colorFillQuaternary,
      }}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
        <Typography.Text strong>{title}</Typography.Text>
        <Button
          type="text"
          danger
          size="small"
          icon={<DeleteOutlined />}
          onClick={onRemove}
          aria-label={`删除${title}`}
        >
          删除
        </Button>
      </Flex>
      <Row gutter={16}>{children}</Row>
    </div>
  );
}

/** A Form.List rendered as framed rows with an add button. */
function ListSection({
  name,
  itemTitle,
  addLabel,
  emptyText,
  newItem,
  testId,
  renderRow,
}: {
  name: string;
  itemTitle: (index: number) => string;
  addLabel: string;
  emptyText: string;
  newItem: () => object;
  testId: string;
  renderRow: (field: FormListFieldData) => ReactNode;
}) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.length === 0 && <Typography.Text type="secondary">{emptyText}</Typography.Text>}
          {fields.map((field, index) => (
            <ListRow
              key={field.key}
              title={itemTitle(index)}
              onRemove={() => remove(field.name)}
              testId={`${testId}-${index}`}
            >
              {renderRow(field)}
            </ListRow>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add(newItem())}
            data-testid={`${testId}-add`}
            block
          >
            {addLabel}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** 二、家庭基本情况: 姓名, 性别, 公民身份号码, 与被探访人关系, 健康状况, 低保/特困, 是否同住. */
export function MembersList({ rule }: { rule: RuleFor }) {
  const at = (i: number, key: string) => ['householdMembers', i, key];
  return (
    <ListSection
      name="householdMembers"
      testId="member"
      itemTitle={(i) => `家庭成员 ${i + 1}`}
      addLabel="添加家庭成员"
      emptyText="未登记家庭成员（与老人同住的家庭成员会影响独居、空巢的认定）"
      newItem={() => ({ livesWithElder: 'yes' })}
      renderRow={(f) => (
        <>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'name']}
              label="姓名"
              required
              rules={[rule(at(f.name, 'name'), '请填写姓名')]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'relation']}
              label="与被探访人关系"
              required
              rules={[rule(at(f.name, 'relation'), '请填写与被探访人关系')]}
            >
              <Input maxLength={20} placeholder="如：配偶、儿子、孙女" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'idNumber']}
              label="公民身份号码"
              rules={[rule(at(f.name, 'idNumber'))]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'gender']}
              label="性别"
              rules={[rule(at(f.name, 'gender'))]}
              extra="填写身份证号的，按身份证号确定"
            >
              <Select allowClear options={GENDER_OPTIONS} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'health']}
              label="健康状况"
              rules={[rule(at(f.name, 'health'))]}
            >
              <Select allowClear options={labelOptions(HEALTH_LABELS)} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'assistance']}
              label="是否为低保对象/特困人员"
              rules={[rule(at(f.name, 'assistance'))]}
            >
              <Select allowClear options={labelOptions(ASSISTANCE_LABELS)} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'livesWithElder']}
              label="是否与老人同住"
              required
              rules={[rule(at(f.name, 'livesWithElder'), '请选择是否同住')]}
            >
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'yes', label: '同住' },
                  { value: 'no', label: '不同住' },
                ]}
              />
            </Form.Item>
          </Col>
        </>
      )}
    />
  );
}

/** 子女信息 / 其他赡养义务人信息（扶养人）: with 外出地点, 外出时间, 回家频率. */
export function SupportersList({ rule }: { rule: RuleFor }) {
  const at = (i: number, key: string) => ['supporters', i, key];
  return (
    <ListSection
      name="supporters"
      testId="supporter"
      itemTitle={(i) => `子女或赡养人 ${i + 1}`}
      addLabel="添加子女或其他赡养人"
      emptyText="未登记子女或其他赡养义务人（全部子女外出半年以上的，自动认定为留守）"
      newItem={() => ({ kind: 'child' })}
      renderRow={(f) => (
        <>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'kind']}
              label="类别"
              required
              rules={[rule(at(f.name, 'kind'), '请选择类别')]}
            >
              <Select options={labelOptions(SUPPORTER_KIND_LABELS)} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'name']}
              label="姓名"
              required
              rules={[rule(at(f.name, 'name'), '请填写姓名')]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[f.name, 'gender']} label="性别" rules={[rule(at(f.name, 'gender'))]}>
              <Select allowClear options={GENDER_OPTIONS} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'idNumber']}
              label="身份证号"
              rules={[rule(at(f.name, 'idNumber'))]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'phone']}
              label="联系电话"
              rules={[rule(at(f.name, 'phone'))]}
            >
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'workPlace']}
              label="外出地点"
              rules={[rule(at(f.name, 'workPlace'))]}
            >
              <Input maxLength={100} placeholder="在家的不填" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <MonthItem
              name={[f.name, 'awaySince']}
              label="外出时间"
              rules={[rule(at(f.name, 'awaySince'))]}
            />
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'returnFrequency']}
              label="回家频率"
              rules={[rule(at(f.name, 'returnFrequency'))]}
            >
              <Input maxLength={50} placeholder="如：每年春节" />
            </Form.Item>
          </Col>
        </>
      )}
    />
  );
}

/** 四、已享受帮扶情况: 帮扶单位(组织), 帮扶责任人, 帮扶措施. */
export function HelpList({ rule }: { rule: RuleFor }) {
  const at = (i: number, key: string) => ['help', i, key];
  return (
    <ListSection
      name="help"
      testId="help"
      itemTitle={(i) => `帮扶 ${i + 1}`}
      addLabel="添加帮扶情况"
      emptyText="未登记已享受的帮扶"
      newItem={() => ({})}
      renderRow={(f) => (
        <>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'unitType']}
              label="帮扶单位(组织)"
              required
              rules={[rule(at(f.name, 'unitType'), '请选择帮扶单位(组织)类型')]}
            >
              <Select options={labelOptions(HELP_UNIT_LABELS)} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'unitName']}
              label="单位名称"
              rules={[rule(at(f.name, 'unitName'))]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'responsiblePerson']}
              label="帮扶责任人"
              rules={[rule(at(f.name, 'responsiblePerson'))]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name={[f.name, 'measures']}
              label="帮扶措施"
              rules={[rule(at(f.name, 'measures'))]}
            >
              <Input.TextArea rows={2} maxLength={500} showCount />
            </Form.Item>
          </Col>
        </>
      )}
    />
  );
}

/** 家庭每月领取养老保险、社会救助和社会福利补贴等情况. */
export function BenefitsList({ rule }: { rule: RuleFor }) {
  const at = (i: number, key: string) => ['benefits', i, key];
  return (
    <ListSection
      name="benefits"
      testId="benefit"
      itemTitle={(i) => `补贴 ${i + 1}`}
      addLabel="添加领取的补贴"
      emptyText="未登记领取的养老保险、社会救助或社会福利补贴"
      newItem={() => ({})}
      renderRow={(f) => (
        <>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'kind']}
              label="补贴类型"
              required
              rules={[rule(at(f.name, 'kind'), '请选择补贴类型')]}
            >
              <Select options={labelOptions(BENEFIT_LABELS)} placeholder="请选择" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[f.name, 'monthlyAmount']}
              label="每月金额(元)"
              rules={[rule(at(f.name, 'monthlyAmount'))]}
            >
              <InputNumber min={0} max={100000} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...COL_WIDE}>
            <Form.Item name={[f.name, 'note']} label="说明" rules={[rule(at(f.name, 'note'))]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </>
      )}
    />
  );
}
