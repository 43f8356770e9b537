import { EditOutlined, TeamOutlined } from '@ant-design/icons';
import { VISITOR_TYPE_LABELS, type VisitorDto } from '@tanfang/domain';
import { Alert, Button, Descriptions, Drawer, Grid, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api';
import { formatTime } from '../../lib/format';
import { visitorsApi } from './api';
import { VisitorStatusTag } from './VisitorTags';

/** Props of `VisitorDrawer`. */
export interface VisitorDrawerProps {
  /** The visitor shown; null closes the drawer. */
  visitorId: string | null;
  /** Grows when the visitor may have changed (after an edit). */
  reloadKey: number;
  canManage: boolean;
  onEdit: (visitor: VisitorDto) => void;
  onClose: () => void;
}

/** One visitor's registry entry, with a way to the elders they visit. */
export function VisitorDrawer({
  visitorId,
  reloadKey,
  canManage,
  onEdit,
  onClose,
}: VisitorDrawerProps) {
  const wide = Grid.useBreakpoint().md ?? true;
  const [visitor, setVisitor] = useState<VisitorDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!visitorId) return;
    let cancelled = false;
    setVisitor(null);
    setError(null);
    visitorsApi.visitor(visitorId).then(
      (v) => {
        if (!cancelled) setVisitor(v);
      },
      (e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [visitorId, reloadKey]);

  return (
    <Drawer
      open={visitorId !== null}
      onClose={onClose}
      title={visitor ? `探访人员：${visitor.name}` : '探访人员'}
      size={wide ? 520 : '100%'}
      extra={
        canManage &&
        visitor && (
          <Button icon={<EditOutlined />} onClick={() => onEdit(visitor)}>
            编辑
          </Button>
        )
      }
      data-testid="visitor-drawer"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!error && !visitor && <Skeleton active />}
      {visitor && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="姓名">{visitor.name}</Descriptions.Item>
            <Descriptions.Item label="类型">{VISITOR_TYPE_LABELS[visitor.type]}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Space size={8}>
                <VisitorStatusTag visitor={visitor} />
                {visitor.leftOn && `自 ${visitor.leftOn} 起`}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="联系电话">{visitor.phoneMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="身份证号">
              {visitor.idNumberMasked ?? '未登记'}
            </Descriptions.Item>
            <Descriptions.Item label="服务区域">{visitor.region.fullName}</Descriptions.Item>
            <Descriptions.Item label="关联账号">
              {visitor.user ? `${visitor.user.displayName}（${visitor.user.username}）` : '未关联'}
            </Descriptions.Item>
            <Descriptions.Item label="在管对象">
              主要 {visitor.activeAssignments.primary} 人，备用 {visitor.activeAssignments.backup}{' '}
              人
            </Descriptions.Item>
            <Descriptions.Item label="备注">{visitor.note ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="登记时间">{formatTime(visitor.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="最近修改">{formatTime(visitor.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <Link to={`/assignments?visitorId=${encodeURIComponent(visitor.id)}`}>
            <Button icon={<TeamOutlined />} block>
              查看其负责的老年人
            </Button>
          </Link>
        </Space>
      )}
    </Drawer>
  );
}
