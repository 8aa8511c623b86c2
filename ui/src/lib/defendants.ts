// Sellers as defendants in the seller view: which defendant a seller row is, and its
// storefront and checkout in plain words. Pure; what is missing comes from the facade
// as sentences.

import type { DefendantView, EvidencePage, SellerView } from './types';

/**
 * The defendant a seller row is: the same marketplace and seller id, or, for a seller
 * known only by its shown name, the same name.
 */
export function defendantFor(s: SellerView, all: DefendantView[]): DefendantView | null {
  return (
    all.find(
      (d) =>
        d.marketplace === s.marketplace &&
        (s.seller_id ? d.seller_id === s.seller_id : !d.seller_id && d.alias === (s.name ?? '')),
    ) ?? null
  );
}

/** What a storefront shows of who and where the seller is, in one line. */
export function storefrontText(page: EvidencePage | null): string {
  if (!page) return 'Not captured yet.';
  const f = page.store ?? {};
  const who = [f.business_name, f.shop_name].filter((v): v is string => !!v && v.trim() !== '');
  const where = [f.address, f.location].filter((v): v is string => !!v && v.trim() !== '');
  const parts = [...new Set(who)];
  if (where.length) parts.push(where[0]);
  else parts.push('no location shown');
  const extra = [f.rating ? `rated ${f.rating}` : '', f.opened ? `open since ${f.opened}` : ''].filter(Boolean);
  return `${parts.join(', ')}${extra.length ? ` (${extra.join(', ')})` : ''}. Capture ${page.capture_id}.`;
}

/** Where a captured checkout ships and for how much, in one line. */
export function checkoutText(page: EvidencePage | null): string {
  if (!page) return 'Not captured yet.';
  const c = page.checkout ?? {};
  const to = c.ship_to ? `Ships to ${c.ship_to}${c.ship_to_region ? ` (${c.ship_to_region})` : ''}` : c.ship_to_region ? `Ships to ${c.ship_to_region}` : 'Does not show where it ships';
  const total = c.total ? `, total ${c.currency ? `${c.total} ${c.currency}` : c.total}` : '';
  return `${to}${total}. Capture ${page.capture_id}.`;
}
