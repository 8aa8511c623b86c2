// The steps in the left-hand navigation, and which are done.

import type { ComplaintFile } from './complaint';
import type { CaseInfo, ComplaintCheck, ExportReport } from './types';

export type StepId =
  | 'case'
  | 'rights'
  | 'capture'
  | 'review'
  | 'complaint'
  | 'export'
  | 'campaign'
  | 'verify'
  | 'custody';

export interface StepInfo {
  id: StepId;
  label: string;
  /** Numbered workflow step, or a tool below the line. */
  number: number | null;
  needsCase: boolean;
}

export const STEPS: readonly StepInfo[] = [
  { id: 'case', label: 'Case', number: 1, needsCase: false },
  { id: 'rights', label: 'Rights', number: 2, needsCase: true },
  { id: 'capture', label: 'Capture', number: 3, needsCase: true },
  { id: 'review', label: 'Review', number: 4, needsCase: true },
  { id: 'complaint', label: 'Complaint', number: 5, needsCase: true },
  { id: 'export', label: 'Export', number: 6, needsCase: true },
  { id: 'campaign', label: 'Campaign', number: 7, needsCase: true },
  { id: 'verify', label: 'Verify', number: null, needsCase: false },
  { id: 'custody', label: 'Custody log', number: null, needsCase: true },
];

export interface Progress {
  caseInfo: CaseInfo | null;
  draft: ComplaintFile | null;
  check: ComplaintCheck | null;
  exported: ExportReport | null;
  /** Filings recorded in the case, once the Campaign step has read them. */
  filings?: number | null;
}

/** Which workflow steps are done, from what the app knows now. */
export function doneSteps(p: Progress): Set<StepId> {
  const done = new Set<StepId>();
  if (!p.caseInfo) return done;
  done.add('case');
  const d = p.draft;
  if (d && (d.rights_holder?.name ?? '').trim() !== '' && (d.right ?? []).length > 0) done.add('rights');
  if (p.caseInfo.captures > 0) done.add('capture');
  if (d && ((d.listing ?? []).length > 0 || d.listings?.all_ok === true)) done.add('review');
  if (p.check && !p.check.issues.some((i) => i.severity === 'error')) done.add('complaint');
  if (p.exported) done.add('export');
  if ((p.filings ?? 0) > 0) done.add('campaign');
  return done;
}

export function stepAvailable(step: StepInfo, caseOpen: boolean): boolean {
  return caseOpen || !step.needsCase;
}
