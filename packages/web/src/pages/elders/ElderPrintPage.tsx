import { ArrowLeftOutlined, EyeInvisibleOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  ASSISTANCE_LABELS,
  BENEFIT_LABELS,
  GENDER_LABELS,
  HEALTH_LABELS,
  HELP_UNIT_LABELS,
  INCOME_SOURCE_LABELS,
  LIVING_SITUATION_LABELS,
  type Category,
  type ElderDto,
  type Gender,
  type RegionLevel,
  type RegionWithPath,
} from '@tanfang/domain';
import { Button, Result, Spin, Tag } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, errorMessage, type ElderReveal } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { loadRegion } from '../../lib/regions';
import { revealedAt, shownGender } from './ElderSections';
import { canRevealElders } from './permissions';
import { RevealModal } from './RevealModal';
import './print.css';

type Data = ElderDto['data'];

const GRADE_LABELS = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as const;
/** 是否享受低保 as on the 信息采集表: 否, or which of 低保 / 特困. */
const ASSISTANCE_CHOICES = {
  none: '否',
  subsistence: ASSISTANCE_LABELS.subsistence,
  extreme_poverty: ASSISTANCE_LABELS.extreme_poverty,
} as const;

/** A value, or nothing (the cell stays blank to be filled in by hand). */
const text = (value: string | number | null | undefined): string =>
  value === undefined || value === null ? '' : String(value);

/** `2026-03-05` as 2026年3月5日. */
function chineseDate(iso: string | undefined): string {
  const match = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  if (!match) return '';
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** A single choice marked ●, the others ○ (健康状况, 生活状况). */
function Choices<T extends string>({
  labels,
  value,
}: {
  labels: Record<T, string>;
  value: T | undefined;
}) {
  return (
    <span className="print-choices">
      {(Object.keys(labels) as T[]).map((key) => (
        <span key={key}>
          {key === value ? '●' : '○'}
          {labels[key]}
        </span>
      ))}
    </span>
  );
}

/** A box ☑ or ☐ with its label. */
function Box({ checked, children }: { checked: boolean; children: ReactNode }) {
  return (
    <span>
      {checked ? '☑' : '☐'}
      {children}
    </span>
  );
}

/** ☑是 ☐否 (or both empty when not answered). */
function YesNo({ value }: { value: boolean | undefined }) {
  return (
    <span className="print-choices">
      <Box checked={value === true}>是</Box>
      <Box checked={value === false}>否</Box>
    </span>
  );
}

/** A personal number (masked unless the full ones were loaded). */
function Num({ value }: { value: string | null | undefined }) {
  return <span className="print-number">{value ?? ''}</span>;
}

/** Empty ruled rows up to `min`, for filling in by hand. */
function blankRows(count: number, min: number, columns: number, prefix: string) {
  return Array.from({ length: Math.max(0, min - count) }, (_, i) => (
    <tr key={`${prefix}-blank-${i}`} className="print-empty">
      {Array.from({ length: columns }, (_c, j) => (
        <td key={j} />
      ))}
    </tr>
  ));
}

const genderText = (gender: Gender | undefined) => (gender ? GENDER_LABELS[gender] : '');

/** The names of the village's county, township and village, from its path. */
function placeParts(region: RegionWithPath | null, fallback: string) {
  const at = (level: RegionLevel) => region?.path.find((node) => node.level === level)?.name ?? '';
  return region
    ? { county: at('county'), township: at('township'), village: at('village') || region.name }
    : { county: '', township: '', village: fallback };
}

/** Props of `ElderPrintForm`. */
export interface ElderPrintFormProps {
  elder: ElderDto;
  /** The village with its path (县 / 乡镇 / 村 of the 丹东 form); null while unknown. */
  region: RegionWithPath | null;
  /** Full numbers (打印完整号码); masked ones otherwise. */
  revealed: ElderReveal | null;
  /** Everything is loaded (`data-ready` for whoever waits to print). */
  ready?: boolean;
}

/**
 * The record as the official tables: the 海南 农村留守老年人信息采集表 (1–4) and, on its own page,
 * sections 一–四 of the 丹东 特殊困难老年人探访关爱服务记录表 (特殊困难老年人基本情况表).
 */
export function ElderPrintForm({ elder, region, revealed, ready = true }: ElderPrintFormProps) {
  const data: Data = elder.data;
  const has = (category: Category) => elder.categories.includes(category);
  const place = placeParts(region, elder.village.name);
  const children = data.supporters.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'child');
  const others = data.supporters
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.kind === 'other_supporter');
  const caregiver = data.caregiver;
  const fullCaregiver =
    caregiver && revealed?.caregiver && revealed.caregiver.name === caregiver.name
      ? revealed.caregiver
      : undefined;
  const contact = data.emergencyContact;
  const disability = data.disability;
  const helpUnits = new Set(data.help.map((h) => h.unitType));
  const responsible = [
    ...new Set(data.help.map((h) => h.responsiblePerson?.trim()).filter(Boolean)),
  ].join('、');
  const phone = revealed ? revealed.phone : elder.phoneMasked;

  const supporterRows = (rows: { s: Data['supporters'][number]; i: number }[], min: number) => [
    ...rows.map(({ s, i }) => {
      const full = revealedAt(revealed?.supporters, i, s.name);
      return (
        <tr key={`supporter-${i}`}>
          <td>{s.name}</td>
          <td className="print-center">{genderText(shownGender(s, full?.idNumber))}</td>
          <td>
            <Num value={full?.idNumber ?? s.idNumber} />
          </td>
          <td>
            <Num value={full?.phone ?? s.phone} />
          </td>
          <td>{text(s.workPlace)}</td>
          <td className="print-center">{text(s.awaySince)}</td>
          <td>{text(s.returnFrequency)}</td>
        </tr>
      );
    }),
    ...blankRows(rows.length, min, 7, 'supporter'),
  ];

  const supporterColumns = (
    <colgroup>
      <col style={{ width: '12%' }} />
      <col style={{ width: '7%' }} />
      <col style={{ width: '24%' }} />
      <col style={{ width: '16%' }} />
      <col style={{ width: '16%' }} />
      <col style={{ width: '11%' }} />
      <col style={{ width: '14%' }} />
    </colgroup>
  );
  const supporterHead = (
    <tr>
      <th className="print-center">姓名</th>
      <th className="print-center">性别</th>
      <th className="print-center">身份证号</th>
      <th className="print-center">联系电话</th>
      <th className="print-center">外出地点</th>
      <th className="print-center">外出时间</th>
      <th className="print-center">回家频率</th>
    </tr>
  );

  const benefits = data.benefits
    .map((b) =>
      [
        BENEFIT_LABELS[b.kind],
        b.monthlyAmount !== undefined ? `${b.monthlyAmount} 元/月` : '',
        b.note ? `（${b.note}）` : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
    .join('；');

  return (
    <div
      className="print-form"
      data-testid="print-form"
      data-ready={ready ? 'true' : 'false'}
      data-numbers={revealed ? 'full' : 'masked'}
    >
      <h1>农村留守老年人信息采集表</h1>
      <div className="print-meta">
        <span>所在地：{elder.village.fullName}</span>
        <span>采集日期：{chineseDate(data.recordDate)}</span>
      </div>

      <table>
        <colgroup>
          <col style={{ width: '26%' }} />
          <col style={{ width: '50%' }} />
          <col style={{ width: '24%' }} />
        </colgroup>
        <thead>
          <tr>
            <th>描述</th>
            <th>说明</th>
            <th>备注</th>
          </tr>
        </thead>
        <tbody>
          <tr className="print-section">
            <th colSpan={3}>1.老年人信息</th>
          </tr>
          <tr>
            <th>姓名</th>
            <td>{data.name}</td>
            <td />
          </tr>
          <tr>
            <th>性别</th>
            <td>{GENDER_LABELS[elder.gender]}</td>
            <td />
          </tr>
          <tr>
            <th>身份证号</th>
            <td>
              <Num value={revealed?.idNumber ?? elder.idNumberMasked} />
            </td>
            <td>
              {revealed?.birthDate ? `出生日期：${revealed.birthDate}，` : ''}
              {elder.age} 周岁
            </td>
          </tr>
          <tr>
            <th>民族</th>
            <td>{text(data.ethnicity)}</td>
            <td />
          </tr>
          <tr>
            <th>户籍所在地</th>
            <td>{text(data.registeredAddress)}</td>
            <td>
              {data.livesAtRegisteredPlace === undefined
                ? ''
                : data.livesAtRegisteredPlace
                  ? '居住在户籍所在地'
                  : '不在户籍所在地居住'}
            </td>
          </tr>
          <tr>
            <th>居住地址</th>
            <td>
              {elder.village.fullName}
              {data.addressDetail ? ` ${data.addressDetail}` : ''}
            </td>
            <td />
          </tr>
          <tr>
            <th>健康状况</th>
            <td>
              <Choices labels={HEALTH_LABELS} value={data.health} />
            </td>
            <td />
          </tr>
          <tr>
            <th>患病类型</th>
            <td>{text(data.diseases)}</td>
            <td />
          </tr>
          <tr>
            <th>生活状况</th>
            <td>
              <Choices labels={LIVING_SITUATION_LABELS} value={data.livingSituation} />
            </td>
            <td />
          </tr>
          <tr>
            <th>经济来源</th>
            <td>{data.incomeSources.map((s) => INCOME_SOURCE_LABELS[s]).join('、')}</td>
            <td />
          </tr>
          <tr>
            <th>是否享受低保</th>
            <td>
              <Choices labels={ASSISTANCE_CHOICES} value={data.assistance} />
            </td>
            <td />
          </tr>
          <tr>
            <th>联系电话</th>
            <td>
              <Num value={phone} />
            </td>
            <td />
          </tr>
        </tbody>
      </table>

      <table>
        {supporterColumns}
        <tbody>
          <tr className="print-section">
            <th colSpan={7}>2.子女信息</th>
          </tr>
          {supporterHead}
          {supporterRows(children, 2)}
        </tbody>
      </table>

      <table>
        {supporterColumns}
        <tbody>
          <tr className="print-section">
            <th colSpan={7}>3.其他赡养义务人信息（扶养人）</th>
          </tr>
          {supporterHead}
          {supporterRows(others, 1)}
        </tbody>
      </table>

      <table>
        <colgroup>
          <col style={{ width: '12%' }} />
          <col style={{ width: '7%' }} />
          <col style={{ width: '24%' }} />
          <col style={{ width: '16%' }} />
          <col style={{ width: '25%' }} />
          <col style={{ width: '16%' }} />
        </colgroup>
        <tbody>
          <tr className="print-section">
            <th colSpan={6}>4.临时照料人信息</th>
          </tr>
          <tr>
            <th className="print-center">姓名</th>
            <th className="print-center">性别</th>
            <th className="print-center">身份证号</th>
            <th className="print-center">与农村留守老年人关系</th>
            <th className="print-center">地址</th>
            <th className="print-center">联系电话</th>
          </tr>
          {caregiver ? (
            <tr>
              <td>{caregiver.name}</td>
              <td className="print-center">
                {genderText(shownGender(caregiver, fullCaregiver?.idNumber))}
              </td>
              <td>
                <Num value={fullCaregiver?.idNumber ?? caregiver.idNumber} />
              </td>
              <td>{caregiver.relation}</td>
              <td>{text(caregiver.address)}</td>
              <td>
                <Num value={fullCaregiver?.phone ?? caregiver.phone} />
              </td>
            </tr>
          ) : (
            blankRows(0, 1, 6, 'caregiver')
          )}
        </tbody>
      </table>

      <section className="print-part">
        <h2>特殊困难老年人基本情况表</h2>
        <div className="print-meta">
          <span>（特殊困难老年人探访关爱服务记录表 一至四）</span>
          <span>{chineseDate(data.recordDate)}</span>
        </div>

        <table>
          <colgroup>
            <col style={{ width: '10%' }} />
            <col style={{ width: '14%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: '13%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '15%' }} />
          </colgroup>
          <tbody>
            <tr className="print-section">
              <th colSpan={8}>一、探访对象基本情况</th>
            </tr>
            <tr>
              <th>家庭住址</th>
              <td colSpan={2}>
                {place.county}
                <br />
                县(市、区)
              </td>
              <td>
                {place.township}
                <br />
                乡镇(街道)
              </td>
              <td colSpan={2}>
                {place.village}
                {data.addressDetail ? ` ${data.addressDetail}` : ''}
                <br />
                村(居)
              </td>
              <th>是否居住在户籍所在地</th>
              <td>
                <YesNo value={data.livesAtRegisteredPlace} />
              </td>
            </tr>
            <tr>
              <th>被探访人姓名</th>
              <td>{data.name}</td>
              <th>联系电话</th>
              <td>
                <Num value={phone} />
              </td>
              <th>紧急联系人</th>
              <td>
                {contact
                  ? `${contact.name}${contact.relation ? `（${contact.relation}）` : ''}`
                  : ''}
              </td>
              <th>联系电话</th>
              <td>
                <Num value={revealed?.emergencyContactPhone ?? contact?.phone} />
              </td>
            </tr>
            <tr>
              <th>是否残疾</th>
              <td>
                <YesNo value={disability?.disabled} />
              </td>
              <th>残疾人证号</th>
              <td>
                <Num value={disability?.certificateNumber} />
                {disability?.grade ? ` ${GRADE_LABELS[disability.grade]}` : ''}
              </td>
              <th>是否独居</th>
              <td>
                <YesNo value={has('living_alone')} />
              </td>
              <th>是否空巢</th>
              <td>
                <YesNo value={has('empty_nest')} />
              </td>
            </tr>
            <tr>
              <th>是否留守</th>
              <td>
                <YesNo value={has('left_behind')} />
              </td>
              <th>是否失能</th>
              <td>
                <YesNo value={has('incapacitated')} />
              </td>
              <th colSpan={2}>是否计划生育特殊家庭老年人</th>
              <td colSpan={2}>
                <YesNo value={has('bereaved_family')} />
              </td>
            </tr>
          </tbody>
        </table>

        <table>
          <colgroup>
            <col style={{ width: '8%' }} />
            <col style={{ width: '13%' }} />
            <col style={{ width: '7%' }} />
            <col style={{ width: '25%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '20%' }} />
          </colgroup>
          <tbody>
            <tr className="print-section">
              <th colSpan={7}>二、家庭基本情况</th>
            </tr>
            <tr>
              <th className="print-center">序号</th>
              <th className="print-center">姓名</th>
              <th className="print-center">性别</th>
              <th className="print-center">公民身份号码</th>
              <th className="print-center">与被探访人关系</th>
              <th className="print-center">健康状况</th>
              <th className="print-center">是否为低保对象 / 特困人员</th>
            </tr>
            {data.householdMembers.map((m, i) => {
              const full = revealedAt(revealed?.householdMembers, i, m.name);
              return (
                <tr key={`member-${i}`}>
                  <td className="print-center">{i + 1}</td>
                  <td>{m.name}</td>
                  <td className="print-center">{genderText(shownGender(m, full?.idNumber))}</td>
                  <td>
                    <Num value={full?.idNumber ?? m.idNumber} />
                  </td>
                  <td>{m.relation}</td>
                  <td className="print-center">{m.health ? HEALTH_LABELS[m.health] : ''}</td>
                  <td className="print-center">
                    {m.assistance ? ASSISTANCE_CHOICES[m.assistance] : ''}
                  </td>
                </tr>
              );
            })}
            {blankRows(data.householdMembers.length, 3, 7, 'member')}
          </tbody>
        </table>

        <table>
          <colgroup>
            <col style={{ width: '40%' }} />
            <col style={{ width: '60%' }} />
          </colgroup>
          <tbody>
            <tr className="print-section">
              <th colSpan={2}>三、家庭生活条件</th>
            </tr>
            <tr>
              <th>饮水是否安全</th>
              <td>
                <YesNo value={data.livingConditions.safeWater} />
              </td>
            </tr>
            <tr>
              <th>生活用电是否安全</th>
              <td>
                <YesNo value={data.livingConditions.safeElectricity} />
              </td>
            </tr>
            <tr>
              <th>住房是否安全</th>
              <td>
                <YesNo value={data.livingConditions.safeHousing} />
              </td>
            </tr>
            <tr>
              <th>家庭每月收入(元)</th>
              <td>{text(data.monthlyHouseholdIncome)}</td>
            </tr>
            <tr>
              <th>家庭每月领取养老保险、社会救助和社会福利补贴等情况</th>
              <td>{benefits}</td>
            </tr>
          </tbody>
        </table>

        <table>
          <colgroup>
            <col style={{ width: '15%' }} />
            <col style={{ width: '55%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '18%' }} />
          </colgroup>
          <tbody>
            <tr className="print-section">
              <th colSpan={4}>四、已享受帮扶情况</th>
            </tr>
            <tr>
              <th>帮扶单位(组织)</th>
              <td>
                {(Object.keys(HELP_UNIT_LABELS) as (keyof typeof HELP_UNIT_LABELS)[]).map(
                  (unit) => (
                    <span key={unit} className="print-unit">
                      <Box checked={helpUnits.has(unit)}>{HELP_UNIT_LABELS[unit]}</Box>
                    </span>
                  ),
                )}
              </td>
              <th>帮扶责任人</th>
              <td>{responsible}</td>
            </tr>
            <tr>
              <td colSpan={4}>
                <div className="print-measures">
                  帮扶措施：
                  {data.help.map((h, i) => (
                    <div key={`help-${i}`}>
                      {i + 1}.
                      {h.unitName
                        ? `${h.unitName}（${HELP_UNIT_LABELS[h.unitType]}）`
                        : HELP_UNIT_LABELS[h.unitType]}
                      {h.measures ? `：${h.measures}` : ''}
                    </div>
                  ))}
                </div>
              </td>
            </tr>
          </tbody>
        </table>

        <div className="print-footer">
          <div className="print-sign">
            <span>
              填表人：
              <span className="print-blank" />
            </span>
            <span>
              填表日期：
              <span className="print-blank" style={{ minWidth: '14mm' }} />年
              <span className="print-blank" style={{ minWidth: '9mm' }} />月
              <span className="print-blank" style={{ minWidth: '9mm' }} />日
            </span>
          </div>
          <div className="print-note">
            备注：此表一式两份，县（市、区）民政部门、乡镇（街道）各存档一份
          </div>
        </div>
      </section>
    </div>
  );
}

/** `/elders/:id/print`: the 信息采集表 of one elder, ready to print (outside the console's chrome). */
export default function ElderPrintPage() {
  const { id = '' } = useParams();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [elder, setElder] = useState<ElderDto | null>(null);
  const [region, setRegion] = useState<RegionWithPath | null>(null);
  const [regionSettled, setRegionSettled] = useState(false);
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [revealed, setRevealed] = useState<ElderReveal | null>(null);
  const [revealOpen, setRevealOpen] = useState(false);
  const [printPending, setPrintPending] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setElder(null);
    setRegion(null);
    setRegionSettled(false);
    setRevealed(null);
    setLoadError(null);
    api.elder(id).then(
      (result) => {
        if (cancelled) return;
        setElder(result);
        // 县 / 乡镇 / 村 of the 丹东 form come from the village's path.
        loadRegion(result.village.code).then(
          (r) => {
            if (cancelled) return;
            setRegion(r);
            setRegionSettled(true);
          },
          () => {
            if (!cancelled) setRegionSettled(true);
          },
        );
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError({
          status: error instanceof ApiError ? error.status : 0,
          message: errorMessage(error),
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  // The document title names the saved PDF.
  useEffect(() => {
    if (!elder) return;
    const before = document.title;
    document.title = `信息采集表-${elder.name}`;
    return () => {
      document.title = before;
    };
  }, [elder]);

  // 打印完整号码: print once the full numbers are on the page.
  useEffect(() => {
    if (!printPending || !revealed) return;
    const timer = window.setTimeout(() => {
      setPrintPending(false);
      window.print();
    }, 50);
    return () => window.clearTimeout(timer);
  }, [printPending, revealed]);

  const back = () => navigate(`/elders/${encodeURIComponent(id)}`);

  if (loadError) {
    return (
      <Result
        status={loadError.status === 404 ? '404' : loadError.status === 403 ? '403' : 'error'}
        title={loadError.status === 404 ? '记录不存在' : '加载失败'}
        subTitle={loadError.message}
        extra={
          <Link to="/elders">
            <Button type="primary">返回台账</Button>
          </Link>
        }
      />
    );
  }

  const ready = elder !== null && regionSettled;
  return (
    <div className="print-page">
      <div className="print-toolbar" data-testid="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={back}>
          返回
        </Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!ready}
          onClick={() => window.print()}
          data-testid="print-button"
        >
          打印
        </Button>
        {elder &&
          canRevealElders(me.role) &&
          (revealed ? (
            <>
              <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                当前显示完整号码
              </Tag>
              <Button
                icon={<EyeInvisibleOutlined />}
                onClick={() => setRevealed(null)}
                data-testid="print-mask"
              >
                恢复脱敏号码
              </Button>
            </>
          ) : (
            <Button
              icon={<PrinterOutlined />}
              disabled={!ready}
              onClick={() => setRevealOpen(true)}
              data-testid="print-full"
            >
              打印完整号码
            </Button>
          ))}
        <span className="print-toolbar-hint">
          请在打印设置中选择 A4 纸，并关闭“页眉和页脚”。身份证号和电话默认脱敏打印。
        </span>
      </div>
      {elder ? (
        <div className="print-sheet">
          <ElderPrintForm elder={elder} region={region} revealed={revealed} ready={ready} />
        </div>
      ) : (
        <div style={{ padding: 80, textAlign: 'center' }}>
          <Spin size="large" />
        </div>
      )}
      {elder && (
        <RevealModal
          open={revealOpen}
          elderId={elder.id}
          elderName={elder.name}
          purpose="打印完整号码"
          okText="载入并打印"
          defaultReason="打印信息采集表存档"
          onClose={() => setRevealOpen(false)}
          onRevealed={(full) => {
            setRevealed(full);
            setRevealOpen(false);
            setPrintPending(true);
          }}
        />
      )}
    </div>
  );
}
