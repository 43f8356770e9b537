import {
  SATISFACTION_LABELS,
  type CareServiceDto,
  type ElderDto,
  type Satisfaction,
} from '@tanfang/domain';
import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { useQueryState } from '../../lib/useQueryState';
import { PrintFrame } from '../visits/PrintFrame';
import { Blank, Box } from '../visits/printParts';
import { chinaYear } from '../visits/visitText';
import { useLoad } from '../worklist/useLoad';
import { referralsApi } from './referralsApi';
import './careServicePrint.css';

/** One care service as a block of 六、关爱服务情况: 第 N 次开展关爱, the date, what was done, the
 *  server's signature line and the elder's satisfaction, never split across pages. */
function ServiceBlock({ service, ordinal }: { service: CareServiceDto; ordinal: number }) {
  const [year, month, day] = service.servedOn.split('-').map(Number) as [number, number, number];
  return (
    <div className="vp-block cs-block" data-testid="care-service-block">
      <table>
        <colgroup>
          <col style={{ width: '19%' }} />
          <col style={{ width: '81%' }} />
        </colgroup>
        <tbody>
          <tr>
            <th className="print-center" rowSpan={2}>
              第 {ordinal} 次开展关爱
              <div className="cs-date">
                {year} 年 {month} 月 {day} 日
              </div>
            </th>
            <td className="cs-content">
              <div>关爱服务情况：</div>
              <div className="cs-text">{service.content}</div>
              <div className="cs-provider">服务提供者：{service.providerName}</div>
              {service.note && <div className="cs-provider">备注：{service.note}</div>}
            </td>
          </tr>
          <tr>
            <td className="cs-sign">
              服务人员签字(盖章)：
              <Blank width="40mm" />
              <span className="cs-sign-date">
                {year} 年 {month} 月 {day} 日
              </span>
            </td>
          </tr>
          <tr>
            <td colSpan={2}>
              老年人服务满意度评价：
              <span className="vp-choices">
                {(Object.keys(SATISFACTION_LABELS) as Satisfaction[]).map((s) => (
                  <Box key={s} checked={service.satisfaction === s}>
                    {SATISFACTION_LABELS[s]}
                  </Box>
                ))}
              </span>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The 丹东 record's heading rows and section 六 for a year's care services. */
function CareServiceSheet({
  elder,
  year,
  services,
}: {
  elder: ElderDto;
  year: number;
  services: CareServiceDto[];
}) {
  return (
    <section className="vp-record" data-testid="care-service-record">
      <h1>特殊困难老年人探访关爱服务记录表</h1>
      <table>
        <colgroup>
          <col style={{ width: '19%' }} />
          <col style={{ width: '29%' }} />
          <col style={{ width: '12%' }} />
          <col style={{ width: '40%' }} />
        </colgroup>
        <tbody>
          <tr>
            <th className="print-center">被探访人姓名</th>
            <td>{elder.name}</td>
            <th className="print-center">身份证号</th>
            <td className="print-number">{elder.idNumberMasked}</td>
          </tr>
          <tr>
            <th className="print-center">家庭住址</th>
            <td colSpan={3}>
              {elder.village.fullName}
              {elder.data.addressDetail ? ` ${elder.data.addressDetail}` : ''}
            </td>
          </tr>
          <tr className="print-section">
            <th colSpan={4}>六、关爱服务情况（{year} 年）</th>
          </tr>
        </tbody>
      </table>
      {services.map((s, i) => (
        <ServiceBlock key={s.id} service={s} ordinal={i + 1} />
      ))}
      <div className="print-footer">
        <div className="print-note">
          备注：此表一式两份，可复印，县（市）区民政部门、乡镇（街道）各存档一份
        </div>
      </div>
    </section>
  );
}

/**
 * `/elders/:id/care-services/print?year=`: the elder's care services of a year in the 丹东 2023
 * 探访关爱服务记录表 section 六 layout (A4), one block per service in date order.
 */
export default function CareServicesPrintPage() {
  const { id = '' } = useParams();
  const { getInt } = useQueryState();
  const year = getInt('year', chinaYear());
  const loaded = useLoad(`${id}|${year}`, async () => {
    const [elder, { items }] = await Promise.all([
      api.elder(id),
      referralsApi.elderCareServices(id),
    ]);
    const services = items
      .filter((s) => s.servedOn.startsWith(`${year}-`))
      .sort(
        (a, b) => a.servedOn.localeCompare(b.servedOn) || a.createdAt.localeCompare(b.createdAt),
      );
    return { elder, services };
  })!;
  const ok = loaded.state === 'ok' ? loaded.data : undefined;
  return (
    <PrintFrame
      loaded={loaded}
      title={ok && `关爱服务情况-${ok.elder.name}-${year}年`}
      backTo={`/elders/${encodeURIComponent(id)}?tab=followup`}
      empty={
        ok && ok.services.length === 0
          ? `${ok.elder.name} ${year} 年没有关爱服务记录，没有可打印的内容。`
          : undefined
      }
    >
      {ok && <CareServiceSheet elder={ok.elder} year={year} services={ok.services} />}
    </PrintFrame>
  );
}
