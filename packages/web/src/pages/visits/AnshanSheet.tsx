import {
  ANSHAN_2020,
  CATEGORY_LABELS,
  GENDER_LABELS,
  VISITOR_TYPE_LABELS,
  type Category,
  type ElderDto,
  type FormTemplate,
  type Gender,
  type VisitDto,
  type VisitorType,
} from '@tanfang/domain';
import { Box, ChoiceBoxes, chunk } from './printParts';
import { dateParts } from './visitText';

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'] as const;
/** 类别 of the 鞍山 表, in its order; any other category of the elder is 其他. */
const SHEET_CATEGORIES: readonly Category[] = [
  'left_behind',
  'extreme_poverty',
  'living_alone',
  'empty_nest',
];
const ITEMS_PER_ROW = 3;

/** Props of `AnshanSheet`. */
export interface AnshanSheetProps {
  elder: ElderDto;
  year: number;
  /** The visit shown in each quarter (index 0 = 第一季度); empty quarters print blank. */
  quarters: readonly (VisitDto | undefined)[];
  /** The template the grid is drawn from (鞍山 2020 unless a later version was used). */
  template?: FormTemplate;
}

/** One quarter: its date, visitor and method, then the 4×3 grid with ☑ on the chosen grades. */
function QuarterRows({
  name,
  visit,
  template,
}: {
  name: string;
  visit: VisitDto | undefined;
  template: FormTemplate;
}) {
  const gridRows = template.sections.flatMap((section) =>
    chunk(
      section.items.filter((i) => i.kind === 'choice'),
      ITEMS_PER_ROW,
    ).map((items, i) => ({ section, items, first: i === 0 })),
  );
  const date = visit ? dateParts(visit.visitedAt) : undefined;
  const rowsOfSection = (key: string) => gridRows.filter((r) => r.section.key === key).length;
  return (
    <tbody
      className="vp-quarter"
      data-testid="anshan-quarter"
      data-filled={visit ? 'true' : 'false'}
    >
      <tr>
        <th rowSpan={gridRows.length + 1} className="print-center vp-quarter-name">
          {name}
        </th>
        <th className="print-center">具体巡访时间</th>
        <td>
          {date ? date.month : <span className="vp-gap" />}月
          {date ? date.day : <span className="vp-gap" />}日
        </td>
        <td>巡访人：{visit?.visitor?.name ?? ''}</td>
        <td>
          巡访方式：
          <span className="vp-choices">
            {template.methods.map((m) => (
              <Box key={m.value} checked={visit?.method === m.value}>
                {m.label}
              </Box>
            ))}
          </span>
        </td>
      </tr>
      {gridRows.map(({ section, items, first }) => (
        <tr key={`${section.key}-${items[0]!.key}`}>
          {first && (
            <th rowSpan={rowsOfSection(section.key)} className="print-center">
              {section.label}
            </th>
          )}
          {items.map((item, i) => (
            <td
              key={item.key}
              colSpan={i === items.length - 1 ? ITEMS_PER_ROW - items.length + 1 : 1}
              className="vp-grade"
            >
              <span className="vp-item-label">{item.label}</span>
              {item.kind === 'choice' && (
                <ChoiceBoxes item={item} answer={visit?.answers[item.key]} />
              )}
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

/**
 * 《鞍山市乡镇（街道）村（居）定期巡访情况表》: the elder and the visitor, then the four quarters of
 * the year on one sheet (鞍民发〔2020〕30号: one visit a quarter at least).
 */
export function AnshanSheet({ elder, year, quarters, template = ANSHAN_2020 }: AnshanSheetProps) {
  const has = (c: Category) => elder.categories.includes(c);
  const others = elder.categories.filter((c) => !SHEET_CATEGORIES.includes(c));
  const visitors = [
    ...new Map(
      quarters.flatMap((v) => (v?.visitor ? [[v.visitor.id, v.visitor] as const] : [])),
    ).values(),
  ];
  const visitorTypes = new Set<VisitorType>(visitors.map((v) => v.type));
  const address = `${elder.village.fullName}${elder.data.addressDetail ? ` ${elder.data.addressDetail}` : ''}`;
  return (
    <section className="vp-sheet" data-testid="anshan-sheet">
      <h1>鞍山市乡镇（街道）村（居）定期巡访情况表</h1>
      <div className="print-meta">
        <span>{elder.village.fullName}</span>
        <span>{year} 年度</span>
      </div>
      <table>
        <colgroup>
          <col style={{ width: '13%' }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '19%' }} />
          <col style={{ width: '9%' }} />
          <col style={{ width: '16%' }} />
          <col style={{ width: '9%' }} />
          <col style={{ width: '20%' }} />
        </colgroup>
        <tbody>
          <tr>
            <th rowSpan={4} className="print-center">
              被巡访人
              <br />
              基本情况
            </th>
            <th>姓名</th>
            <td>{elder.name}</td>
            <th>性别</th>
            <td>
              <span className="vp-choices">
                {(Object.keys(GENDER_LABELS) as Gender[]).map((g) => (
                  <Box key={g} checked={elder.gender === g}>
                    {GENDER_LABELS[g]}
                  </Box>
                ))}
              </span>
            </td>
            <th>年龄</th>
            <td>{elder.age} 岁</td>
          </tr>
          <tr>
            <th>身份证号码</th>
            <td colSpan={5} className="print-number">
              {elder.idNumberMasked}
            </td>
          </tr>
          <tr>
            <th>家庭住址</th>
            <td colSpan={5}>{address}</td>
          </tr>
          <tr>
            <th>类别</th>
            <td colSpan={5}>
              <span className="vp-choices">
                {SHEET_CATEGORIES.map((c) => (
                  <Box key={c} checked={has(c)}>
                    {CATEGORY_LABELS[c]}
                  </Box>
                ))}
                <Box checked={others.length > 0}>
                  其他
                  {others.length > 0
                    ? `（${others.map((c) => CATEGORY_LABELS[c]).join('、')}）`
                    : ''}
                </Box>
              </span>
            </td>
          </tr>
          <tr>
            <th rowSpan={2} className="print-center">
              巡访人
              <br />
              基本情况
            </th>
            <th>姓名</th>
            <td colSpan={5}>{visitors.map((v) => v.name).join('、')}</td>
          </tr>
          <tr>
            <th>类别</th>
            <td colSpan={5}>
              <span className="vp-choices">
                {(Object.keys(VISITOR_TYPE_LABELS) as VisitorType[]).map((t) => (
                  <Box key={t} checked={visitorTypes.has(t)}>
                    {VISITOR_TYPE_LABELS[t]}
                  </Box>
                ))}
              </span>
            </td>
          </tr>
        </tbody>
      </table>
      <table className="vp-quarters">
        <colgroup>
          <col style={{ width: '6%' }} />
          <col style={{ width: '12%' }} />
          <col style={{ width: '27.3%' }} />
          <col style={{ width: '27.3%' }} />
          <col style={{ width: '27.4%' }} />
        </colgroup>
        {QUARTER_NAMES.map((name, i) => (
          <QuarterRows key={name} name={name} visit={quarters[i]} template={template} />
        ))}
      </table>
      <div className="print-footer vp-footer">
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
      </div>
    </section>
  );
}
