import { ArrowLeftOutlined, CheckCircleFilled } from '@ant-design/icons';
import { ESCALATION_LEVEL_LABELS, durationText, type FindingDetailDto } from '@tanfang/domain';
import { Alert, App, Button, Card, Form, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api';
import { chinaTime } from '../../lib/format';
import { FIELD_APP_PATH } from '../../lib/routes';
import { ChecklistFields, checklistOf } from '../../pages/emergencies/ChecklistFields';
import { emergenciesApi } from '../../pages/emergencies/emergenciesApi';
import { eventText, eventTitle } from '../../pages/findings/findingText';
import { findingsApi } from '../../pages/visits/findingsApi';
import { FIELD_FONT, InfoLine } from '../fieldUi';
import { FieldStateTag } from './EmergencyBoard';

/**
 * `/m/emergencies/:id`: one emergency on the phone — what happened, to whom, its state — with a
 * large 响应 button while nobody has responded, the checklist (紧急电话, 家属, 目前情况) and the
 * steps so far.
 */
export function FieldEmergencyPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [f, setF] = useState<FindingDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'ack' | 'save' | null>(null);

  useEffect(() => {
    findingsApi.get(id).then(setF, (e: unknown) => setError(errorMessage(e)));
  }, [id]);
  useEffect(() => {
    if (f?.emergency) form.setFieldsValue(f.emergency.checklist);
  }, [form, f]);

  const back = () =>
    location.key !== 'default' ? navigate(-1) : navigate(FIELD_APP_PATH, { replace: true });

  const acknowledge = async () => {
    setBusy('ack');
    try {
      setF(await emergenciesApi.acknowledge(id));
      message.success('已响应，升级已停止');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const save = async () => {
    setBusy('save');
    try {
      setF(await emergenciesApi.saveChecklist(id, checklistOf(form.getFieldsValue())));
      message.success('处置清单已保存');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const header = (
    <Button size="large" icon={<ArrowLeftOutlined />} onClick={back} style={{ alignSelf: 'start' }}>
      返回
    </Button>
  );
  if (error)
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {header}
        <Alert type="error" showIcon title="紧急情况加载失败" description={error} />
      </div>
    );
  if (!f) return <Skeleton active paragraph={{ rows: 8 }} />;
  const e = f.emergency;
  if (!e)
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {header}
        <Alert type="warning" showIcon title="这不是紧急情况，请在管理后台“发现问题”中查看" />
      </div>
    );
  const editable = f.canAct && f.status !== 'closed';

  return (
    <div
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
      data-testid="field-emergency-page"
    >
      {header}
      <Card styles={{ body: { padding: 16, display: 'flex', flexDirection: 'column', gap: 8 } }}>
        <div>
          <FieldStateTag state={e.state} />
        </div>
        <div style={{ fontSize: FIELD_FONT.hero, fontWeight: 700, color: '#a8071a' }}>
          {f.title}
        </div>
        {f.description && <div style={{ fontSize: FIELD_FONT.body }}>{f.description}</div>}
        <InfoLine label="老年人">{f.elder.name}</InfoLine>
        <InfoLine label="所在村">{f.village.name}</InfoLine>
        <InfoLine label="上报">
          {chinaTime(f.createdAt)}
          {f.createdBy ? ` · ${f.createdBy.name}` : ''}
        </InfoLine>
        <InfoLine label="通知">{ESCALATION_LEVEL_LABELS[e.level]}</InfoLine>
      </Card>

      {e.acknowledgedAt ? (
        <Card styles={{ body: { padding: 16 } }} data-testid="field-emergency-response">
          <div style={{ fontSize: FIELD_FONT.large, color: '#135200' }}>
            <CheckCircleFilled /> {e.acknowledgedBy?.name} 已响应
          </div>
          <div style={{ fontSize: FIELD_FONT.body, color: '#434343' }}>
            {chinaTime(e.acknowledgedAt)}，用时 {durationText(e.responseSeconds ?? 0)}
          </div>
        </Card>
      ) : (
        editable && (
          <Button
            type="primary"
            danger
            block
            loading={busy === 'ack'}
            onClick={() => void acknowledge()}
            style={{ minHeight: 56, fontSize: FIELD_FONT.title, fontWeight: 700 }}
            data-testid="field-emergency-acknowledge"
          >
            响应（我来处理）
          </Button>
        )
      )}

      <Card
        title={<span style={{ fontSize: FIELD_FONT.large }}>处置清单</span>}
        styles={{ body: { padding: 16 } }}
      >
        <Form
          form={form}
          layout="vertical"
          disabled={!editable}
          data-testid="field-emergency-checklist"
        >
          <ChecklistFields at={e.checklistAt} large />
          {editable && (
            <Button
              block
              size="large"
              type="primary"
              loading={busy === 'save'}
              onClick={() => void save()}
              style={{ minHeight: 48, fontSize: FIELD_FONT.body }}
              data-testid="field-emergency-save"
            >
              保存处置清单
            </Button>
          )}
        </Form>
      </Card>

      <Card
        title={<span style={{ fontSize: FIELD_FONT.large }}>处理经过</span>}
        styles={{ body: { padding: 16, display: 'flex', flexDirection: 'column', gap: 10 } }}
      >
        {f.events.map((ev) => (
          <div key={ev.id} style={{ borderLeft: '3px solid #91caff', paddingLeft: 10 }}>
            <div style={{ fontSize: 15, color: '#434343' }}>
              {chinaTime(ev.at)} · {ev.actor?.name ?? '系统'}
            </div>
            <div style={{ fontSize: FIELD_FONT.body }}>
              <strong>{eventTitle(ev)}</strong>
              {eventText(ev) ? `：${eventText(ev)}` : ''}
            </div>
          </div>
        ))}
      </Card>
    </div>
  );
}
