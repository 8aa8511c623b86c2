// A Schedule A filing in the complaint and export steps: each defendant's gaps beside
// its row, the joinder report's pairs in plain words, and the files an export wrote
// beside the packet. Pure; the table, gaps and facts come from the facade's check.

import type { ExportReport, Gap, JoinderFact, JoinderPair, SchedulePreview } from './types';

/** The gaps of one defendant, in the facade's order; `doe` 0 holds the filing's own. */
export function gapsOf(preview: SchedulePreview, doe: number): Gap[] {
  return preview.gaps.filter((g) => g.doe === doe);
}

const FACT_LABELS: Record<string, string> = {
  marketplace: 'Marketplace',
  image: 'Product image',
  price: 'Price',
  title: 'Title',
  address: 'Shown name or address',
  ship_from: 'Shipped from',
};

/** What a joinder fact is about, as a person says it. */
export function factLabel(f: JoinderFact): string {
  return FACT_LABELS[f.what] ?? f.what;
}

/** A pair's one-line verdict: what ties the two together, if anything does. */
export function pairSummary(p: JoinderPair): { onlyMarketplace: boolean; line: string } {
  const ties = p.shared.filter((f) => f.what !== 'marketplace');
  const sameMarket = p.shared.some((f) => f.what === 'marketplace');
  if (ties.length === 0 && sameMarket)
    return {
      onlyMarketplace: true,
      line: 'They share only the marketplace: nothing else on their pages ties them together.',
    };
  if (ties.length === 0) return { onlyMarketplace: false, line: 'Nothing on their pages is the same.' };
  const n = ties.length;
  return {
    onlyMarketplace: false,
    line: `${n} fact${n === 1 ? '' : 's'} beyond the marketplace in common: ${ties.map((f) => factLabel(f).toLowerCase()).join(', ')}.`,
  };
}

export interface ExportedFile {
  /** `filing_sheet`, `schedule_a_csv`, `joinder_report` or `test_buy_report`. */
  key: 'filing_sheet' | 'schedule_a_csv' | 'joinder_report' | 'test_buy_report';
  label: string;
  path: string;
}

/** The files an export wrote beside the packet and bundle, in the order they are listed. */
export function exportedFiles(r: ExportReport): ExportedFile[] {
  const out: ExportedFile[] = [];
  const add = (key: ExportedFile['key'], label: string, path: string | null | undefined) => {
    if (path) out.push({ key, label, path });
  };
  add('filing_sheet', 'Filing sheet', r.filing_sheet);
  add('schedule_a_csv', 'Schedule A (CSV for the clerk)', r.schedule_a_csv);
  add('joinder_report', 'Joinder report', r.joinder_report);
  add('test_buy_report', 'Test-buy report', r.test_buy_report);
  return out;
}
