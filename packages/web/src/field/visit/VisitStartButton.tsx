import { EditOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { FIELD_FONT } from '../fieldUi';
import { draftTimeWords } from './draftRules';
import { useDrafts } from './draftStore';
import { useOutbox } from './outboxStore';
import { fieldVisitPath } from './VisitRecordPage';

/**
 * 开始探访 on an elder's page; when a visit of this elder still waits in the outbox, says so, so
 * the visitor does not record the same visit twice; when a draft was left, says that 开始探访
 * continues it.
 */
export function VisitStartButton({ elderId }: { elderId: string }) {
  const navigate = useNavigate();
  const { records } = useOutbox();
  const draftSavedAt = useDrafts().savedAt.get(elderId);
  const waiting = records.filter((r) => r.body.elderId === elderId);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
      {draftSavedAt && (
        <div
          data-testid="visit-draft-notice"
          style={{
            fontSize: FIELD_FONT.body,
            color: '#003eb3',
            background: '#e6f4ff',
            border: '1px solid #69b1ff',
            borderRadius: 8,
            padding: '8px 12px',
          }}
        >
          有一份未提交的草稿（保存于 {draftTimeWords(draftSavedAt)}），点“开始探访”接着填写。
        </div>
      )}
      {waiting.length > 0 && (
        <div
          data-testid="visit-waiting"
          style={{
            fontSize: FIELD_FONT.body,
            color: '#873800',
            background: '#fff7e6',
            border: '1px solid #ffa940',
            borderRadius: 8,
            padding: '8px 12px',
          }}
        >
          这位老人已有 {waiting.length} 条探访记录保存在手机上，等待上传。
        </div>
      )}
      <Button
        type="primary"
        block
        icon={<EditOutlined />}
        onClick={() => navigate(fieldVisitPath(elderId))}
        style={{ minHeight: 60, fontSize: 22, fontWeight: 700 }}
        data-testid="start-visit"
      >
        开始探访
      </Button>
    </div>
  );
}
