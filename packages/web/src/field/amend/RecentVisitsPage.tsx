import { DisconnectOutlined, LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { FIELD_APP_PATH } from '../../lib/routes';
import { FIELD_FONT } from '../fieldUi';
import { useOutbox } from '../visit/outboxStore';
import { RecentVisitCard } from './amendParts';
import { useRecentVisits } from './recentVisitsStore';
import { useOnline } from './useOnline';

const BIG = { minHeight: 48, fontSize: FIELD_FONT.body } as const;

/** 手机没有网络: corrections need the network (shown on the list and on the 更正 page). */
export function OfflineNotice() {
  return (
    <Alert
      type="warning"
      showIcon
      icon={<DisconnectOutlined />}
      data-testid="amend-offline"
      title={<span style={{ fontSize: FIELD_FONT.body, fontWeight: 700 }}>手机没有网络</span>}
      description={
        <span style={{ fontSize: FIELD_FONT.body }}>
          更正需要联网提交，请在有网络时更正。已填写的内容会保留在本页。
        </span>
      }
    />
  );
}

/**
 * `/m/recent` 最近提交: the visits the user entered that they may still correct (更正), newest
 * entered first, each with 更正 and, once corrected, 修改记录. Loaded afresh when opened.
 */
export function RecentVisitsPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const online = useOnline();
  const { records } = useOutbox();
  const { items, loading, error, refresh } = useRecentVisits({ fresh: true });

  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  const back = () =>
    location.key !== 'default' ? navigate(-1) : navigate(FIELD_APP_PATH, { replace: true });

  let body;
  if (items === null && loading)
    body = [0, 1].map((k) => (
      <Card key={k}>
        <Skeleton active paragraph={{ rows: 3 }} />
      </Card>
    ));
  else if (items === null)
    body = (
      <Card data-testid="recent-error" styles={{ body: { textAlign: 'center' } }}>
        <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, marginBottom: 8 }}>
          {error?.offline ? '手机没有网络' : '加载失败'}
        </div>
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>
          {error?.offline ? '最近提交的记录需要联网查看，请在有网络时更正。' : error?.message}
        </div>
        <Button
          type="primary"
          icon={<ReloadOutlined />}
          onClick={refresh}
          style={{ ...BIG, marginTop: 12 }}
        >
          重新加载
        </Button>
      </Card>
    );
  else if (items.length === 0)
    body = (
      <Card data-testid="recent-empty" styles={{ body: { textAlign: 'center' } }}>
        <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, marginBottom: 8 }}>
          没有可以更正的记录
        </div>
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>
          您提交的探访记录在录入后的几天内可以更正，会列在这里。
        </div>
      </Card>
    );
  else body = items.map((v) => <RecentVisitCard key={v.id} visit={v} />);

  return (
    <div data-testid="recent-visits" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Button
        icon={<LeftOutlined />}
        onClick={back}
        style={{ ...BIG, alignSelf: 'flex-start' }}
        data-testid="recent-back"
      >
        返回任务列表
      </Button>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
        <div style={{ flex: 1 }}>
          <h1 style={{ margin: 0, fontSize: FIELD_FONT.hero, lineHeight: 1.3 }}>最近提交</h1>
          <div style={{ fontSize: FIELD_FONT.body, color: '#434343' }}>
            本人录入、还可以更正的探访记录
          </div>
        </div>
        <Button
          icon={<ReloadOutlined />}
          loading={loading}
          onClick={refresh}
          style={{ ...BIG, minWidth: 96 }}
          data-testid="recent-refresh"
        >
          刷新
        </Button>
      </div>
      {!online && <OfflineNotice />}
      {items !== null && error && (
        <Alert
          type="error"
          showIcon
          title={
            <span style={{ fontSize: FIELD_FONT.body }}>
              {error.offline ? '手机没有网络，' : `刷新失败：${error.message}，`}
              下面是上次加载的记录。
            </span>
          }
        />
      )}
      {records.length > 0 && (
        <div
          data-testid="recent-outbox-note"
          style={{ fontSize: FIELD_FONT.body, color: '#874d00', lineHeight: 1.5 }}
        >
          还有 {records.length}{' '}
          条探访记录在手机上待上传，上传后才能在这里更正；待上传的记录可在首页修改。
        </div>
      )}
      {body}
      {items !== null && items.length > 0 && (
        <div style={{ fontSize: 15, color: '#595959', textAlign: 'center', padding: '4px 0 12px' }}>
          更正后原内容保留在“修改记录”中。
        </div>
      )}
    </div>
  );
}
