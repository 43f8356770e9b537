import type { ElderDto, FormItem, FormTemplate, VisitDto } from '@tanfang/domain';
import { Box, ChoiceBoxes, chunk } from './printParts';
import { dateParts } from './visitText';
import { attachmentUrl } from './visitsApi';

/** One visit of the record, with its number in the year and its template. */
export interface RecordBlock {
  visit: VisitDto;
  /** 第 N 次 (the visit's place in the year among visits printed in this layout). */
  ordinal: number;
  template: FormTemplate;
}

type Signature = Extract<FormItem, { kind: 'signature' }>;

/** The rows of one section: its choices on one row, each text on its own row. */
function SectionRows({
  label,
  items,
  visit,
}: {
  label: string;
  items: FormItem[];
  visit: VisitDto;
}) {
  const choices = items.filter((i) => i.kind === 'choice');
  const texts = items.filter((i) => i.kind === 'text');
  return (
    <>
      {choices.length > 0 && (
        <tr>
          <th className="print-center">{label}</th>
          <td colSpan={3}>
            {choices.map((item) => (
              <div key={item.key} className="vp-line">
                {choices.length > 1 || item.label !== label ? (
                  <span className="vp-item-label">{item.label}：</span>
                ) : null}
                <ChoiceBoxes item={item} answer={visit.answers[item.key]} />
              </div>
            ))}
          </td>
        </tr>
      )}
      {texts.map((item) => {
        const a = visit.answers[item.key];
        return (
          <tr key={item.key}>
            <th className="print-center">{item.label}</th>
            <td colSpan={3} className="vp-text">
              {a && 'text' in a && !('value' in a) ? a.text : ''}
            </td>
          </tr>
        );
      })}
    </>
  );
}

/** The signature cells: the images when signed, blank boxes to sign by hand otherwise. */
function SignatureRow({ items, visit }: { items: Signature[]; visit: VisitDto }) {
  return (
    <table className="vp-signatures">
      <tbody>
        {chunk(items, 3).map((row) => (
          <tr key={row[0]!.key}>
            {row.map((item) => {
              const a = visit.answers[item.key];
              return [
                <th key={`${item.key}-label`} className="print-center">
                  {item.label}
                </th>,
                <td key={`${item.key}-sign`} className="vp-sign-cell">
                  {a && 'signature' in a ? (
                    <img src={attachmentUrl(a.signature)} alt={item.label} className="vp-sign" />
                  ) : null}
                </td>,
              ];
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One visit as a block of 五、探访情况: 第N次开展探访, its date and method, and each section. */
function Block({ visit, ordinal, template }: RecordBlock) {
  const date = dateParts(visit.visitedAt);
  const sections = template.sections.filter(
    (s) => !s.optional || s.items.some((i) => visit.answers[i.key] !== undefined),
  );
  const signatures = sections.flatMap((s) =>
    s.items.filter((i): i is Signature => i.kind === 'signature'),
  );
  return (
    <div className="vp-block" data-testid="record-block">
      <table>
        <colgroup>
          <col style={{ width: '19%' }} />
          <col style={{ width: '29%' }} />
          <col style={{ width: '12%' }} />
          <col style={{ width: '40%' }} />
        </colgroup>
        <tbody>
          <tr>
            <th className="print-center">第 {ordinal} 次开展探访</th>
            <td className="print-center">
              {date.year} 年 {date.month} 月 {date.day} 日
            </td>
            <th className="print-center">探访方式</th>
            <td>
              <span className="vp-choices">
                {template.methods.map((m) => (
                  <Box key={m.value} checked={visit.method === m.value}>
                    {m.label}
                  </Box>
                ))}
              </span>
            </td>
          </tr>
          {sections.map((s) =>
            s.optional ? (
              <SectionRows
                key={s.key}
                label={s.label}
                items={s.items.filter((i) => visit.answers[i.key] !== undefined)}
                visit={visit}
              />
            ) : (
              <SectionRows key={s.key} label={s.label} items={s.items} visit={visit} />
            ),
          )}
          {visit.checklist.map((check) => {
            const a = visit.answers[`check_${check.key}`];
            const value = a && 'value' in a ? a.value : undefined;
            return (
              <tr key={check.key}>
                <th className="print-center">专项检查</th>
                <td colSpan={3}>
                  <span className="vp-item-label">{check.label}：</span>
                  <span className="vp-choices">
                    <Box checked={value === 'ok'}>已检查，无问题</Box>
                    <Box checked={value === 'hazard'}>
                      发现隐患
                      {value === 'hazard' && a && 'text' in a && a.text ? `（${a.text}）` : ''}
                    </Box>
                  </span>
                </td>
              </tr>
            );
          })}
          {visit.emergency && (
            <tr>
              <th className="print-center">紧急情况</th>
              <td colSpan={3}>{visit.emergencyNote ?? '探访人员在现场报告紧急情况'}</td>
            </tr>
          )}
        </tbody>
      </table>
      {signatures.length > 0 && <SignatureRow items={signatures} visit={visit} />}
    </div>
  );
}

/** Props of `RecordBlocks`. */
export interface RecordBlocksProps {
  elder: ElderDto;
  year: number;
  blocks: readonly RecordBlock[];
  /** 丹东's 《特殊困难老年人探访关爱服务记录表》 五; or a city's own template, under its name. */
  layout: 'dandong-record' | 'generic';
}

/**
 * Visits as the 丹东 记录表 prints them (五、探访情况, one block per visit, the three signatures and
 * the 备注), or in the same ruled form under an uploaded template's own name.
 */
export function RecordBlocks({ elder, year, blocks, layout }: RecordBlocksProps) {
  const dandong = layout === 'dandong-record';
  return (
    <section className="vp-record" data-testid={dandong ? 'dandong-record' : 'generic-record'}>
      <h1>{dandong ? '特殊困难老年人探访关爱服务记录表' : blocks[0]?.template.name}</h1>
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
          {dandong && (
            <tr className="print-section">
              <th colSpan={4}>五、探访情况（{year} 年）</th>
            </tr>
          )}
        </tbody>
      </table>
      {blocks.map((b) => (
        <Block key={b.visit.id} {...b} />
      ))}
      <div className="print-footer">
        {dandong && (
          <div className="print-note">
            备注：此表一式两份，县（市、区）民政部门、乡镇（街道）各存档一份
          </div>
        )}
      </div>
    </section>
  );
}
