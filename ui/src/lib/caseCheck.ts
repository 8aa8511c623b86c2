// How the result of "Check this case" (`verify_case`) reads. Pure: the component binds
// these strings as text. Everything here branches on the report's numbers and on each
// problem's `code`, never on its message.

import { formatBytes } from './dates';
import type { CaseCheck, CaseProblem } from './types';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** What the check covered, e.g. "1,234 pages, 12 captures, 96 artifacts (45 MB)". */
function covered(r: CaseCheck): string {
  const parts = [
    count(r.captures_checked, 'capture'),
    `${count(r.artifacts_checked, 'artifact')} (${formatBytes(r.bytes_checked)})`,
  ];
  if (r.pages_checked > 0) parts.unshift(count(r.pages_checked, 'page'));
  return parts.join(', ');
}

/**
 * One sentence on the whole check (the custody head is shown beside it):
 * "Intact: 1,234 pages, 12 captures, 96 artifacts (45 MB) match; custody log of 40 events
 * unbroken", or, for the quick check, that pages holding no evidence were not read; or
 * "Not intact: 2 problems found …".
 */
export function caseCheckSummary(r: CaseCheck): string {
  const quick = r.pages_checked === 0 ? ' (quick check: pages that hold no evidence were not read)' : '';
  if (r.ok) {
    const verb = r.captures_checked + r.artifacts_checked + r.pages_checked === 1 ? 'matches' : 'match';
    return `Intact${quick}: ${covered(r)} ${verb}; custody log of ${count(r.events_checked, 'event')} unbroken`;
  }
  return `Not intact${quick}: ${count(r.problems.length, 'problem')} found in ${covered(r)} and a custody log of ${count(r.events_checked, 'event')}`;
}

/** A short name for a problem's code, shown before its message. */
export function problemLabel(code: string): string {
  switch (code) {
    case 'page_damaged':
      return 'Damaged page';
    case 'artifact_changed':
      return 'Artifact changed';
    case 'artifact_unreadable':
      return 'Artifact unreadable';
    case 'artifact_not_in_log':
    case 'capture_not_in_log':
    case 'timestamp_not_in_log':
      return 'Not in the custody log';
    case 'record_changed':
      return 'Capture record changed';
    case 'event_missing':
    case 'event_changed':
    case 'event_unlinked':
      return 'Custody log broken';
    case 'file_changed':
      return 'Attached file changed';
    case 'timestamp_changed':
    case 'timestamp_mismatch':
      return 'Trusted time does not match';
    default:
      return 'Problem';
  }
}

/** Where a problem is: "capture #12 · screenshot · event #40" (empty when it names none). */
export function problemPlace(p: CaseProblem): string {
  const parts: string[] = [];
  if (p.capture_id !== undefined && p.capture_id !== null) parts.push(`capture #${p.capture_id}`);
  if (p.artifact) parts.push(p.artifact);
  if (p.event_seq !== undefined && p.event_seq !== null) parts.push(`custody event #${p.event_seq}`);
  return parts.join(' · ');
}

/** What to do about the problems found, by their codes; null when the case is intact. */
export function caseCheckAdvice(r: CaseCheck): string | null {
  if (r.ok) return null;
  const codes = new Set(r.problems.map((p) => p.code));
  if (codes.has('page_damaged')) {
    return 'The case file is damaged on disk. Keep this copy as it is, restore the case from a backup, and check the backup. Bundles exported before the damage still verify on their own.';
  }
  return 'The evidence no longer matches what was recorded when it was captured. Keep this copy as it is, restore the case from a backup, and check the backup. Bundles exported earlier still verify on their own.';
}
