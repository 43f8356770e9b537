import { PrinterOutlined, SendOutlined, SolutionOutlined } from '@ant-design/icons';
import { PROVIDER_KIND_LABELS, type CareServiceDto, type ReferralDto } from '@tanfang/domain';
import { Alert, Button, Card, Empty, Flex, Grid, Skeleton, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { CareServiceModal } from './CareServiceModal';
import { ReferModal } from './ReferModal';
import { ReferralDrawer } from './ReferralDetail';
import { canRecordCareServices, canRefer } from './permissions';
import { ReferralStatusTag, SatisfactionTag } from './referralText';
import { referralsApi } from './referralsApi';

const serviceColumns: TableColumnsType<CareServiceDto> = [
  { title: '服务时间', dataIndex: 'servedOn', width: 110 },
  { title: '服务内容', dataIndex: 'content' },
  { title: '服务提供者', dataIndex: 'providerName', width: 180 },
  {
    title: '满意度',
    dataIndex: 'satisfaction',
    width: 96,
    render: (_: unknown, s) => <SatisfactionTag value={s.satisfaction} />,
  },
];

/**
 * 转介与关爱服务 on the elder's page: the elder's referrals (open one for its history) and the care
 * services given with the elder's satisfaction; staff refer a need, record a service, and print
 * the services as 记录表 六.
 */
export function ElderFollowUpSection({
  elder,
}: {
  elder: { id: string; name: string; villageCode: string };
}) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, update } = useQueryState();
  const [version, setVersion] = useState(0);
  const [referring, setReferring] = useState(false);
  const [recording, setRecording] = useState(false);
  const loaded = useLoad(`${elder.id}|${version}`, async () => {
    const [referrals, services] = await Promise.all([
      referralsApi.ofElder(elder.id),
      referralsApi.elderCareServices(elder.id),
    ]);
    return { referrals: referrals.items, services: services.items };
  })!;
  const reload = () => setVersion((v) => v + 1);

  const referralColumns: TableColumnsType<ReferralDto> = [
    {
      title: '转介时间',
      dataIndex: 'createdAt',
      width: 140,
      render: (_: unknown, r) => chinaTime(r.createdAt),
    },
    {
      title: '服务类别',
      dataIndex: 'kind',
      width: 110,
      render: (_: unknown, r) => PROVIDER_KIND_LABELS[r.kind],
    },
    { title: '服务需求', dataIndex: 'need', ellipsis: true },
    {
      title: '服务机构',
      dataIndex: 'provider',
      width: 180,
      render: (_: unknown, r) => r.provider.name,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (_: unknown, r) => <ReferralStatusTag status={r.status} />,
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="elder-followup">
      <Space wrap>
        {canRefer(me.role) && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => setReferring(true)}
            data-testid="elder-refer"
          >
            需求转介
          </Button>
        )}
        {canRecordCareServices(me.role) && (
          <Button
            icon={<SolutionOutlined />}
            onClick={() => setRecording(true)}
            data-testid="elder-record-service"
          >
            记录关爱服务
          </Button>
        )}
        <Button
          icon={<PrinterOutlined />}
          onClick={() => navigate(`/elders/${elder.id}/care-services/print`)}
          data-testid="care-services-print"
        >
          打印关爱服务情况（记录表 六）
        </Button>
      </Space>
      {loaded.state === 'loading' && <Skeleton active paragraph={{ rows: 6 }} />}
      {loaded.state === 'error' && (
        <Alert type="error" showIcon title="加载失败" description={loaded.message} />
      )}
      {loaded.state === 'ok' && (
        <>
          <Card size="small" title={`转介（${loaded.data.referrals.length}）`}>
            {loaded.data.referrals.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无转介" />
            ) : wide ? (
              <div data-testid="elder-referrals">
                <Table<ReferralDto>
                  size="small"
                  rowKey="id"
                  columns={referralColumns}
                  dataSource={loaded.data.referrals}
                  pagination={false}
                  onRow={(r) => ({
                    onClick: () => update({ referral: r.id }),
                    style: { cursor: 'pointer' },
                  })}
                />
              </div>
            ) : (
              <Flex vertical gap={8} data-testid="elder-referrals">
                {loaded.data.referrals.map((r) => (
                  <Card
                    key={r.id}
                    size="small"
                    hoverable
                    onClick={() => update({ referral: r.id })}
                  >
                    <Flex justify="space-between" gap={8}>
                      <Typography.Text strong>{PROVIDER_KIND_LABELS[r.kind]}</Typography.Text>
                      <ReferralStatusTag status={r.status} />
                    </Flex>
                    <div>{r.need}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {chinaTime(r.createdAt)} · {r.provider.name}
                    </Typography.Text>
                  </Card>
                ))}
              </Flex>
            )}
          </Card>
          <Card size="small" title={`关爱服务（${loaded.data.services.length}）`}>
            {loaded.data.services.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无关爱服务记录" />
            ) : (
              <div data-testid="elder-care-services">
                <Table<CareServiceDto>
                  size="small"
                  rowKey="id"
                  columns={serviceColumns}
                  dataSource={loaded.data.services}
                  pagination={false}
                  scroll={{ x: 640 }}
                />
              </div>
            )}
          </Card>
        </>
      )}
      {referring && (
        <ReferModal
          elder={elder}
          onClose={() => setReferring(false)}
          onReferred={() => {
            setReferring(false);
            reload();
          }}
        />
      )}
      {recording && (
        <CareServiceModal
          elder={elder}
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            reload();
          }}
        />
      )}
      <ReferralDrawer
        referralId={get('referral')}
        onClose={() => update({ referral: undefined })}
        onChanged={reload}
      />
    </Flex>
  );
}
