import type { SpotCheckItemDto } from '@tanfang/domain';
import { Alert, Modal, Skeleton, Tag, Timeline, Typography } from 'antd';
import { chinaTime } from '../../lib/format';
import { useLoad } from '../worklist/useLoad';
import { spotChecksApi } from './spotChecksApi';
import { RESULT_COLORS, resultLabel } from './spotCheckText';

/** 核实记录: who assigned the item to whom, and every result recorded, oldest first. */
export function ItemHistoryModal({
  item,
  onClose,
}: {
  item: SpotCheckItemDto;
  onClose: () => void;
}) {
  const loaded = useLoad(item.id, () => spotChecksApi.events(item.id))!;
  let body;
  if (loaded.state === 'loading') body = <Skeleton active />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="核实记录加载失败" description={loaded.message} />;
  else
    body = (
      <Timeline
        style={{ marginTop: 16 }}
        items={loaded.data.items.map((e) => ({
          key: e.id,
          color: e.kind === 'result' && e.toResult === 'not_verified' ? 'red' : 'blue',
          children: (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {chinaTime(e.at)} · {e.actor.name ?? '系统'}
              </Typography.Text>
              <div>
                {e.kind === 'assigned' ? (
                  <>分配给 {e.checker?.name ?? '—'}</>
                ) : (
                  <>
                    {e.fromResult && e.fromResult !== 'pending' && (
                      <>
                        <Tag color={RESULT_COLORS[e.fromResult]}>{resultLabel(e.fromResult)}</Tag>
                        →{' '}
                      </>
                    )}
                    <Tag color={e.toResult ? RESULT_COLORS[e.toResult] : 'default'}>
                      {e.toResult ? resultLabel(e.toResult) : '—'}
                    </Tag>
                  </>
                )}
              </div>
              {e.note && <Typography.Text>备注：{e.note}</Typography.Text>}
            </div>
          ),
        }))}
      />
    );
  return (
    <Modal
      open
      title={`核实记录：${item.elder.name}`}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
    >
      {body}
    </Modal>
  );
}
