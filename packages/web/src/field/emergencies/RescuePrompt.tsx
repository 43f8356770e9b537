import { PhoneFilled } from '@ant-design/icons';
import { RESCUE_STEPS } from '@tanfang/domain';
import { Button, Card } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { FIELD_FONT } from '../fieldUi';

/** Where the visit page says a visit with 紧急情况 on was just submitted. */
export interface RescueState {
  rescue?: { elderName: string };
}

/**
 * After a visit reported an emergency: what to do at once (丹东 2023: 协助拨打紧急求助电话，联系家庭
 * 成员或紧急联系人，事后做好处置情况记录; 鞍山 2020, 海南 2018: report to the village and the
 * township), with the emergency numbers one tap away. Works without signal.
 */
export function RescuePrompt() {
  const location = useLocation();
  const navigate = useNavigate();
  const rescue = (location.state as RescueState | null)?.rescue;
  if (!rescue) return null;
  const call = (n: string) => (
    <Button
      key={n}
      danger
      size="large"
      href={`tel:${n}`}
      icon={<PhoneFilled />}
      style={{ minHeight: 52, fontSize: FIELD_FONT.large, fontWeight: 700, flex: 1 }}
    >
      {n}
    </Button>
  );
  return (
    <Card
      data-testid="rescue-prompt"
      style={{ border: '2px solid #cf1322', background: '#fff1f0' }}
      styles={{ body: { padding: 16, display: 'flex', flexDirection: 'column', gap: 10 } }}
    >
      <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, color: '#a8071a' }}>
        已报告紧急情况：{rescue.elderName}
      </div>
      <div style={{ fontSize: FIELD_FONT.body }}>
        村（社区）和乡镇（街道）值班人员会收到通知。请立即：
      </div>
      <ol style={{ margin: 0, paddingInlineStart: 22, fontSize: FIELD_FONT.body, lineHeight: 1.6 }}>
        {RESCUE_STEPS.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <div style={{ display: 'flex', gap: 8 }}>{['110', '119', '120'].map(call)}</div>
      <Button
        size="large"
        onClick={() => navigate(location.pathname, { replace: true, state: null })}
        style={{ minHeight: 48, fontSize: FIELD_FONT.body }}
      >
        知道了
      </Button>
    </Card>
  );
}
