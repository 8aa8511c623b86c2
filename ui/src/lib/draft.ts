// Editing the draft: pure functions from one ComplaintFile to the next. Never mutate
// the input; the stores assign the result.

import type {
  ComplaintFile,
  Contact,
  Infringement,
  IpRightKind,
  ListingEntry,
  Purpose,
  RightEntry,
} from './complaint';
import type { CaptureStatus } from './types';

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Why a capture of this status cannot be linked (as live evidence), or null if it can. */
export function linkRefusal(status: CaptureStatus, purpose: Purpose = 'live'): string | null {
  switch (status) {
    case 'ok':
      return purpose === 'live'
        ? null
        : 'This capture shows the listing for sale, so it is evidence that it is live, not of a takedown.';
    case 'removed':
      return purpose === 'takedown-proof'
        ? null
        : 'This listing was removed when captured: it can only be linked as proof that a takedown worked.';
    case 'blocked':
      return 'This capture shows a login wall, CAPTCHA or access-denied page instead of the listing, so it cannot be evidence. Capture it again, in the capture browser after logging in.';
    case 'failed':
      return 'Nothing usable came back for this capture, so it cannot be evidence. Capture it again.';
  }
}

/** The purpose a capture of this status is linked with. */
export function purposeFor(status: CaptureStatus): Purpose | null {
  if (status === 'ok') return 'live';
  if (status === 'removed') return 'takedown-proof';
  return null;
}

export function listingFor(d: ComplaintFile, captureId: number): ListingEntry | undefined {
  return (d.listing ?? []).find((l) => l.capture === captureId);
}

/** Whether the capture is in the complaint: its own entry, or `all_ok` takes it in. */
export function isLinked(d: ComplaintFile, captureId: number, status: CaptureStatus): boolean {
  if (listingFor(d, captureId)) return true;
  return status === 'ok' && d.listings?.all_ok === true;
}

export interface LinkChoice {
  right: string;
  infringement?: Infringement;
  notes?: string;
  title_translation?: string;
}

/**
 * Links a capture to a right. A blocked or failed capture is refused; a removed one is
 * linked only as takedown proof; an ok one as live evidence. An existing entry keeps
 * its notes and translation unless new ones are given.
 */
export function linkListing(
  d: ComplaintFile,
  capture: { id: number; status: CaptureStatus },
  choice: LinkChoice,
): Result<ComplaintFile> {
  const purpose = purposeFor(capture.status);
  if (purpose === null) return { ok: false, reason: linkRefusal(capture.status)! };
  if (!choice.right.trim()) return { ok: false, reason: 'Pick the right this listing infringes.' };
  if (!(d.right ?? []).some((r) => r.id === choice.right))
    return { ok: false, reason: `There is no right "${choice.right}": add it in Rights first.` };
  const existing = listingFor(d, capture.id);
  const entry: ListingEntry = {
    ...existing,
    capture: capture.id,
    right: choice.right,
    infringement: choice.infringement ?? existing?.infringement ?? defaultInfringement(d, choice.right),
    purpose,
  };
  if (purpose === 'live') delete entry.purpose;
  if (choice.notes !== undefined) entry.notes = choice.notes;
  if (choice.title_translation !== undefined) entry.title_translation = choice.title_translation;
  const listing = existing
    ? (d.listing ?? []).map((l) => (l.capture === capture.id ? entry : l))
    : [...(d.listing ?? []), entry];
  return { ok: true, value: { ...d, listing } };
}

/** The infringement a right of this kind is usually claimed for. */
export function defaultInfringement(d: ComplaintFile, rightId: string): Infringement {
  const kind = (d.right ?? []).find((r) => r.id === rightId)?.kind;
  if (kind === 'copyright') return 'copied-photos';
  if (kind === 'design' || kind === 'patent') return 'design-copy';
  return 'counterfeit';
}

export function unlinkListing(d: ComplaintFile, captureId: number): ComplaintFile {
  const listing = (d.listing ?? []).filter((l) => l.capture !== captureId);
  const out: ComplaintFile = { ...d, listing };
  if (listing.length === 0) delete out.listing;
  return out;
}

/** Changes fields of a linked listing's entry. Refused when the capture is not linked. */
export function updateListing(
  d: ComplaintFile,
  captureId: number,
  patch: Partial<Pick<ListingEntry, 'infringement' | 'notes' | 'title_translation'>>,
): Result<ComplaintFile> {
  const existing = listingFor(d, captureId);
  if (!existing) return { ok: false, reason: 'Link this listing to a right first.' };
  const entry: ListingEntry = { ...existing };
  for (const [k, v] of Object.entries(patch) as [keyof typeof patch, string | undefined][]) {
    if (v === undefined || v === '') delete entry[k];
    else (entry as unknown as Record<string, string>)[k] = v;
  }
  return {
    ok: true,
    value: { ...d, listing: (d.listing ?? []).map((l) => (l.capture === captureId ? entry : l)) },
  };
}

// ---------------------------------------------------------------------------------
// Rights.

const KIND_PREFIX: Record<IpRightKind, string> = {
  trademark: 'TM',
  copyright: 'C',
  design: 'D',
  patent: 'P',
};

/** The next free id for a right of this kind: TM-1, TM-2, C-1… */
export function nextRightId(d: ComplaintFile, kind: IpRightKind): string {
  const taken = new Set((d.right ?? []).map((r) => r.id));
  for (let n = 1; ; n++) {
    const id = `${KIND_PREFIX[kind]}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function addRight(d: ComplaintFile, kind: IpRightKind = 'trademark'): ComplaintFile {
  const r: RightEntry = { id: nextRightId(d, kind), kind };
  return { ...d, right: [...(d.right ?? []), r] };
}

/** How many listing entries (and the `[listings]` default) name this right. */
export function rightUses(d: ComplaintFile, id: string): number {
  const n = (d.listing ?? []).filter((l) => l.right === id).length;
  return n + (d.listings?.right === id ? 1 : 0);
}

/** Why a right cannot be removed yet, in one sentence. */
export function rightInUse(d: ComplaintFile, id: string): string {
  const n = (d.listing ?? []).filter((l) => l.right === id).length;
  const parts: string[] = [];
  if (n) parts.push(`${n} listing${n === 1 ? '' : 's'}`);
  if (d.listings?.right === id) parts.push('the default for listings without their own');
  return `${id} is used by ${parts.join(' and ')}: link ${n === 1 && parts.length === 1 ? 'it' : 'them'} to another right in Review first.`;
}

export function removeRight(d: ComplaintFile, index: number): Result<ComplaintFile> {
  const r = (d.right ?? [])[index];
  if (!r) return { ok: false, reason: 'There is no such right.' };
  const uses = rightUses(d, r.id);
  if (uses > 0) return { ok: false, reason: rightInUse(d, r.id) };
  const right = (d.right ?? []).filter((_, i) => i !== index);
  const out: ComplaintFile = { ...d, right };
  if (right.length === 0) delete out.right;
  return { ok: true, value: out };
}

/** Changes a right's fields; a new id is carried into every listing that names it. */
export function updateRight(d: ComplaintFile, index: number, patch: Partial<RightEntry>): ComplaintFile {
  const rights = d.right ?? [];
  const old = rights[index];
  if (!old) return d;
  const next: RightEntry = { ...old, ...patch };
  let out: ComplaintFile = { ...d, right: rights.map((r, i) => (i === index ? next : r)) };
  if (patch.id !== undefined && patch.id !== old.id && old.id !== '') {
    const renamed = (l: { right?: string | null }) => (l.right === old.id ? { ...l, right: patch.id } : l);
    if (out.listing) out = { ...out, listing: out.listing.map((l) => renamed(l) as ListingEntry) };
    if (out.listings?.right === old.id) out = { ...out, listings: { ...out.listings, right: patch.id } };
  }
  return out;
}

export function addCertificate(d: ComplaintFile, index: number, name: string): ComplaintFile {
  const r = (d.right ?? [])[index];
  if (!r) return d;
  const certificates = r.certificates ?? [];
  if (certificates.includes(name)) return d;
  return updateRight(d, index, { certificates: [...certificates, name] });
}

export function removeCertificate(d: ComplaintFile, index: number, name: string): ComplaintFile {
  const r = (d.right ?? [])[index];
  if (!r) return d;
  const certificates = (r.certificates ?? []).filter((c) => c !== name);
  return updateRight(d, index, { certificates });
}

// ---------------------------------------------------------------------------------
// Parties.

export function setAgent(d: ComplaintFile, on: boolean): ComplaintFile {
  if (on) return d.agent ? d : { ...d, agent: { name: '' } };
  const out = { ...d };
  delete out.agent;
  return out;
}

export function updateContact(
  d: ComplaintFile,
  table: 'rights_holder' | 'agent',
  patch: Partial<Contact>,
): ComplaintFile {
  const base: Contact = d[table] ?? { name: '' };
  return { ...d, [table]: { ...base, ...patch } };
}

// ---------------------------------------------------------------------------------
// Text.

/** Whether a title is worth an English translation: it has letters outside Basic Latin. */
export function needsTranslation(title: string | null | undefined): boolean {
  if (!title) return false;
  return /[^\u0000-\u024f\s\d\p{P}\p{S}]/u.test(title);
}
