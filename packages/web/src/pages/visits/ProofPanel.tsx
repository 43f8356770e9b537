import type { VisitDto } from '@tanfang/domain';
import { Flex, Image, Space, Tag, Typography } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { chinaTime } from '../../lib/format';
import { locationText } from './visitText';
import { attachmentUrl } from './visitsApi';

/**
 * 探访凭证 beside a visit: when the server received it, the device's clock, the location and its
 * accuracy, the photos (click to enlarge), and a warning for each place the evidence disagrees.
 */
export function ProofPanel({ visit }: { visit: VisitDto }) {
  const proof = visit.proof;
  const photos = visit.attachments.filter((a) => a.kind === 'photo');
  const skew = proof.clockSkewMinutes;
  return (
    <div className="visit-proof" data-testid="visit-proof">
      <Typography.Text strong style={{ fontSize: 13 }}>
        探访凭证
      </Typography.Text>
      <div className="visit-proof-row">
        <span>接收时间</span>
        <span>{chinaTime(proof.receivedAt)}</span>
      </div>
      <div className="visit-proof-row">
        <span>设备时间</span>
        <span>
          {proof.deviceTime ? chinaTime(proof.deviceTime) : '未上报'}
          {skew !== null && skew !== 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              （{skew > 0 ? '快' : '慢'} {Math.abs(skew)} 分钟）
            </Typography.Text>
          )}
        </span>
      </div>
      <div className="visit-proof-row">
        <span>定位</span>
        <span>
          {locationText(proof.location)}
          {proof.location && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              （{proof.location.lat.toFixed(5)}, {proof.location.lng.toFixed(5)}）
            </Typography.Text>
          )}
        </span>
      </div>
      <div className="visit-proof-row">
        <span>照片</span>
        {photos.length === 0 ? (
          <span>无</span>
        ) : (
          <Image.PreviewGroup>
            <Space size={6} wrap>
              {photos.map((p, i) => (
                <Image
                  key={p.id}
                  src={attachmentUrl(p.id)}
                  alt={`探访照片 ${i + 1}`}
                  width={56}
                  height={56}
                  style={{ objectFit: 'cover', borderRadius: 4 }}
                  data-testid="visit-photo"
                />
              ))}
            </Space>
          </Image.PreviewGroup>
        )}
      </div>
      {proof.flags.length > 0 && (
        <Flex wrap gap={6} style={{ marginTop: 6 }} data-testid="visit-proof-flags">
          {proof.flags.map((f) => (
            <Tag
              key={f.code}
              color="warning"
              icon={<WarningOutlined />}
              style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
            >
              {f.message}
            </Tag>
          ))}
        </Flex>
      )}
    </div>
  );
}
