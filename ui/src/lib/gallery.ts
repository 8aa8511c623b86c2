// Paging and filtering the Review gallery. Only one page of captures is ever fetched
// and rendered, so a case of 10,000 captures costs the same as one of 60.

import type { CaptureQuery, CaptureStatus, CaptureView } from './types';

export const PAGE_SIZE = 60;

export interface GalleryFilters {
  status: '' | CaptureStatus;
  marketplace: string;
  linked: '' | 'yes' | 'no';
}

export function emptyFilters(): GalleryFilters {
  return { status: '', marketplace: '', linked: '' };
}

/** The capture_page query for page `page` (from 0) with these filters. */
export function pageQuery(f: GalleryFilters, page: number, size = PAGE_SIZE): CaptureQuery {
  const q: CaptureQuery = { offset: Math.max(0, page) * size, limit: size };
  if (f.status) q.status = f.status;
  if (f.marketplace) q.marketplace = f.marketplace;
  if (f.linked === 'yes') q.linked = true;
  if (f.linked === 'no') q.linked = false;
  return q;
}

export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** "Captures 61–120 of 10,000". */
export function rangeLabel(page: number, shown: number, total: number, size = PAGE_SIZE): string {
  if (total === 0 || shown === 0) return 'No captures';
  const first = page * size + 1;
  return `Captures ${first.toLocaleString('en')}–${(first + shown - 1).toLocaleString('en')} of ${total.toLocaleString('en')}`;
}

/** Why a capture is not good evidence, in one sentence; null for an ok one. */
export function statusReason(c: Pick<CaptureView, 'status' | 'error' | 'page_kind' | 'http_status'>): string | null {
  if (c.status === 'ok') return null;
  if (c.error) return c.error;
  switch (c.status) {
    case 'blocked':
      return 'The page showed a login wall, CAPTCHA or access-denied page instead of the listing.';
    case 'removed':
      return c.http_status ? `The listing was gone (HTTP ${c.http_status}).` : 'The listing was gone.';
    case 'failed':
      return 'Nothing usable came back.';
  }
}

export const STATUS_LABEL: Record<CaptureStatus, string> = {
  ok: 'OK',
  blocked: 'Blocked',
  removed: 'Removed',
  failed: 'Failed',
};

/** "CNY 89.00", "89.00", or "" */
export function priceText(c: Pick<CaptureView, 'price' | 'currency'>): string {
  if (!c.price) return '';
  return c.currency ? `${c.currency} ${c.price}` : c.price;
}
