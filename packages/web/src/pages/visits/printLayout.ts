import type { FormTemplate, VisitDto } from '@tanfang/domain';
import type { RecordBlock } from './RecordBlocks';
import { chinaYear, quarterOf } from './visitText';
import { templateKeyOf } from './visitsApi';

/** One part of a printout: a 鞍山 sheet, or blocks of a record (丹东 or a city's own form). */
export type PrintPart =
  | {
      layout: 'anshan-quarterly';
      key: string;
      template: FormTemplate;
      quarters: (VisitDto | undefined)[];
    }
  | { layout: 'dandong-record' | 'generic'; key: string; blocks: RecordBlock[] };

/**
 * The parts a year's visits print as, by their templates' `print` layouts: one 鞍山 sheet with
 * the first visit of each quarter; 丹东 blocks numbered 第 N 次 in date order; a block list per
 * other template. `only` keeps one visit (its 鞍山 quarter, or its block with its number).
 */
export function printParts(
  yearVisits: readonly VisitDto[],
  templates: ReadonlyMap<string, FormTemplate>,
  only?: string,
): PrintPart[] {
  const ascending = [...yearVisits].sort((a, b) => a.visitedAt.localeCompare(b.visitedAt));
  const parts = new Map<string, PrintPart>();
  for (const visit of ascending) {
    const template = templates.get(templateKeyOf(visit));
    if (!template) continue;
    const layout = template.print;
    const key = layout === 'generic' ? `generic:${templateKeyOf(visit)}` : layout;
    let part = parts.get(key);
    if (!part) {
      part =
        layout === 'anshan-quarterly'
          ? { layout, key, template, quarters: [undefined, undefined, undefined, undefined] }
          : { layout, key, blocks: [] };
      parts.set(key, part);
    }
    if (part.layout === 'anshan-quarterly') {
      const q = quarterOf(visit.visitedAt) - 1;
      // The first visit of a quarter is the one the sheet records (or the one asked for).
      if (only ? visit.id === only : !part.quarters[q]) part.quarters[q] = visit;
    } else {
      const ordinal = part.blocks.length + 1;
      part.blocks.push({ visit, ordinal, template });
    }
  }
  const out = [...parts.values()];
  if (!only) return out;
  const visit = yearVisits.find((v) => v.id === only);
  if (!visit) return [];
  return out.flatMap((p): PrintPart[] => {
    if (p.layout === 'anshan-quarterly') {
      if (!p.quarters.some((v) => v?.id === only)) return [];
      return [{ ...p, quarters: p.quarters.map((v) => (v?.id === only ? v : undefined)) }];
    }
    const blocks = p.blocks.filter((b) => b.visit.id === only);
    return blocks.length ? [{ ...p, blocks }] : [];
  });
}

/** The China year of a visit (the year its printout belongs to). */
export const visitYear = (visit: VisitDto) => chinaYear(visit.visitedAt);
