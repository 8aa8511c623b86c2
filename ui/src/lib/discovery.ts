// Finding listings on a captured store or search page: which captures offer it, and the
// words for what was found. Pure.

import { STATUS_LABEL } from './gallery';
import type { RowState } from './queue';
import type { CaptureStatus, Discovery } from './types';

/** The page kinds whose captures link to a seller's (or a search's) listings. */
export const DISCOVERABLE_KINDS = ['store', 'search'] as const;

export function canDiscover(pageKind: string | null | undefined): boolean {
  return pageKind === 'store' || pageKind === 'search';
}

/** How many listings the page links to that the case does not hold yet. */
export function newCount(d: Discovery): number {
  return d.listings.filter((l) => !l.in_case).length;
}

/** One sentence about what was found. */
export function discoveryLine(d: Discovery): string {
  const n = d.listings.length;
  if (n === 0) return 'This page links to no listing Exhibit recognises.';
  const fresh = newCount(d);
  const page = d.page_kind === 'store' ? 'store page' : 'search page';
  const links = `This ${page} links to ${n} listing${n === 1 ? '' : 's'}`;
  if (fresh === 0) return `${links}; the case holds every one already.`;
  if (d.in_case === 0) return `${links}; none is in the case yet.`;
  return `${links}; ${d.in_case} ${d.in_case === 1 ? 'is' : 'are'} in the case already, ${fresh} ${fresh === 1 ? 'is' : 'are'} new.`;
}

/** A new listing's state while the batch that takes it runs. */
export function takenLabel(state: RowState): string {
  if (state === 'queued') return 'Queued';
  if (state === 'capturing') return 'Capturing…';
  if (state === 'cancelled') return 'Not taken (cancelled)';
  return STATUS_LABEL[state as CaptureStatus] ?? state;
}
