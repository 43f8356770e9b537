import {
  versionChanges,
  type FormTemplate,
  type VisitDto,
  type VisitRevisionDto,
  type VisitVersion,
} from '@tanfang/domain';
import { Alert, Button, Flex, Modal, Skeleton, Tag, Timeline, Typography } from 'antd';
import { chinaTime } from '../../lib/format';
import { useLoad } from '../worklist/useLoad';
import { ChangesTable } from './ChangesTable';
import { visitsApi } from './visitsApi';

function versionOf(v: VisitDto | VisitRevisionDto): VisitVersion {
  return {
    visitedAt: v.visitedAt,
    method: v.method,
    answers: v.answers,
    emergency: v.emergency,
    emergencyNote: v.emergencyNote,
  };
}

/** Props of `VisitRevisionsModal`. */
export interface VisitRevisionsModalProps {
  visit: VisitDto;
  template: FormTemplate | undefined;
  onClose: () => void;
}

/**
 * 修改记录 of a visit: each correction, newest first — who made it, when and why, and what it
 * changed (更正前 → 更正后, labelled as the form labels them) — down to the version first entered.
 */
export function VisitRevisionsModal({ visit, template, onClose }: VisitRevisionsModalProps) {
  const loaded = useLoad(`${visit.id}@${visit.revision}`, () => visitsApi.revisions(visit.id))!;

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="修改记录加载失败" description={loaded.message} />;
  else {
    const earlier = loaded.data.items;
    const versions = [...earlier.map(versionOf), versionOf(visit)];
    const first = earlier[0];
    const items = earlier
      .map((r, i) => ({
        key: String(r.revision),
        color: 'blue',
        content: (
          <Flex vertical gap={4} data-testid="visit-revision">
            <Typography.Text strong>
              第 {r.revision} 版 → 第 {r.revision + 1} 版 · {chinaTime(r.amendedAt)} ·{' '}
              {r.amendedBy?.name ?? '—'} 更正
            </Typography.Text>
            <Typography.Text>更正原因：{r.reason}</Typography.Text>
            <ChangesTable
              changes={versionChanges(template, visit.checklist, versions[i]!, versions[i + 1]!)}
            />
          </Flex>
        ),
      }))
      .reverse();
    items.push({
      key: 'entered',
      color: 'gray',
      content: (
        <Typography.Text type="secondary">
          第 1 版 · {chinaTime(visit.enteredAt)} 录入
          {first?.visitor ? `（探访人员：${first.visitor.name}）` : ''}
        </Typography.Text>
      ),
    });
    body =
      earlier.length === 0 ? (
        <Typography.Text type="secondary">这条探访记录没有被更正过。</Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            共更正 {earlier.length} 次，现为第 {visit.revision} 版（时间为北京时间）。
            {template ? '' : '探访记录表未能载入，项目以代码显示。'}
          </Typography.Text>
          <Timeline items={items} />
        </Flex>
      );
  }

  return (
    <Modal
      open
      title={
        <span>
          修改记录{' '}
          <Tag color="purple" style={{ marginInlineStart: 8 }}>
            第 {visit.revision} 版
          </Tag>
        </span>
      }
      width={820}
      style={{ top: 24, maxWidth: 'calc(100vw - 16px)' }}
      onCancel={onClose}
      footer={
        <Button onClick={onClose} data-testid="revisions-close">
          关闭
        </Button>
      }
    >
      <div data-testid="visit-revisions">{body}</div>
    </Modal>
  );
}
