import { describe, expect, it } from 'vitest';
import {
  cleanDraft,
  emptyDraft,
  forVenue,
  getPath,
  parsePath,
  setPath,
  unknownKeys,
  type ComplaintFile,
} from './complaint';
import {
  addCertificate,
  addRight,
  isLinked,
  linkListing,
  linkRefusal,
  listingFor,
  needsTranslation,
  nextRightId,
  removeRight,
  unlinkListing,
  updateListing,
  updateRight,
} from './draft';
import { EXAMPLES } from './fixtures.test-data';

function withRights(): ComplaintFile {
  let d = emptyDraft('amazon');
  d = addRight(d, 'trademark');
  d = addRight(d, 'copyright');
  return d;
}

describe('linking listings', () => {
  it('links an ok capture as live evidence with the right and a default infringement', () => {
    const d = withRights();
    const r = linkListing(d, { id: 7, status: 'ok' }, { right: 'TM-1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.listing).toEqual([{ capture: 7, right: 'TM-1', infringement: 'counterfeit' }]);
    expect(d.listing).toBeUndefined(); // the input is untouched
    const c = linkListing(d, { id: 8, status: 'ok' }, { right: 'C-1' });
    expect(c.ok && c.value.listing?.[0].infringement).toBe('copied-photos');
  });

  it('refuses a blocked or failed capture as evidence, and says why', () => {
    const d = withRights();
    for (const status of ['blocked', 'failed'] as const) {
      const r = linkListing(d, { id: 3, status }, { right: 'TM-1' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/cannot be evidence/);
    }
    expect(linkRefusal('blocked')).toMatch(/login wall/);
    expect(linkRefusal('ok')).toBeNull();
  });

  it('links a removed capture only as takedown proof', () => {
    const d = withRights();
    const r = linkListing(d, { id: 4, status: 'removed' }, { right: 'TM-1' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(listingFor(r.value, 4)?.purpose).toBe('takedown-proof');
    expect(linkRefusal('removed', 'live')).toMatch(/takedown/);
    expect(linkRefusal('removed', 'takedown-proof')).toBeNull();
  });

  it('refuses a right that does not exist', () => {
    const r = linkListing(withRights(), { id: 1, status: 'ok' }, { right: 'TM-9' });
    expect(r.ok).toBe(false);
  });

  it('relinking keeps notes and translation; updating edits them; unlinking removes the entry', () => {
    let d = withRights();
    const a = linkListing(d, { id: 5, status: 'ok' }, { right: 'TM-1' });
    if (!a.ok) throw new Error(a.reason);
    const b = updateListing(a.value, 5, { notes: 'Test buy arrived fake.', title_translation: 'ACME lantern' });
    if (!b.ok) throw new Error(b.reason);
    const c = linkListing(b.value, { id: 5, status: 'ok' }, { right: 'C-1', infringement: 'copied-photos' });
    if (!c.ok) throw new Error(c.reason);
    expect(listingFor(c.value, 5)).toEqual({
      capture: 5,
      right: 'C-1',
      infringement: 'copied-photos',
      notes: 'Test buy arrived fake.',
      title_translation: 'ACME lantern',
    });
    const cleared = updateListing(c.value, 5, { notes: '' });
    expect(cleared.ok && listingFor(cleared.value, 5)?.notes).toBeUndefined();
    d = unlinkListing(c.value, 5);
    expect(d.listing).toBeUndefined();
    expect(updateListing(d, 5, { notes: 'x' }).ok).toBe(false);
  });

  it('counts a capture as linked through all_ok only when its status is ok', () => {
    const d: ComplaintFile = { ...withRights(), listings: { all_ok: true, right: 'TM-1' } };
    expect(isLinked(d, 1, 'ok')).toBe(true);
    expect(isLinked(d, 1, 'blocked')).toBe(false);
  });
});

describe('rights', () => {
  it('numbers new rights by kind', () => {
    const d = withRights();
    expect(d.right?.map((r) => r.id)).toEqual(['TM-1', 'C-1']);
    expect(nextRightId(d, 'trademark')).toBe('TM-2');
  });

  it('refuses to remove a right that listings name', () => {
    const linked = linkListing(withRights(), { id: 1, status: 'ok' }, { right: 'TM-1' });
    if (!linked.ok) throw new Error();
    const r = removeRight(linked.value, 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('TM-1 is used by 1 listing: link it to another right in Review first.');
    const free = removeRight(linked.value, 1);
    expect(free.ok && free.value.right?.map((x) => x.id)).toEqual(['TM-1']);
  });

  it('carries a new id into the listings that name the right', () => {
    const linked = linkListing(withRights(), { id: 1, status: 'ok' }, { right: 'TM-1' });
    if (!linked.ok) throw new Error();
    const d = updateRight({ ...linked.value, listings: { right: 'TM-1' } }, 0, { id: 'TM-CN' });
    expect(d.listing?.[0].right).toBe('TM-CN');
    expect(d.listings?.right).toBe('TM-CN');
  });

  it('adds a certificate once', () => {
    let d = addCertificate(withRights(), 0, 'certificates/a.pdf');
    d = addCertificate(d, 0, 'certificates/a.pdf');
    expect(d.right?.[0].certificates).toEqual(['certificates/a.pdf']);
  });
});

describe('paths', () => {
  it('parses dotted paths with indexes', () => {
    expect(parsePath('ustr.market[0].name')).toEqual(['ustr', 'market', 0, 'name']);
    expect(parsePath('right[2].certificates[1]')).toEqual(['right', 2, 'certificates', 1]);
    expect(parsePath('ebay.reason_codes.copied-photos')).toEqual(['ebay', 'reason_codes', 'copied-photos']);
  });

  it('sets without mutating, creating what is missing, and removes with undefined', () => {
    const d = emptyDraft('ustr-notorious-markets');
    const e = setPath(d, 'ustr.market[0].name', 'Lantern Bazaar');
    expect(d.ustr).toBeUndefined();
    expect(getPath(e, 'ustr.market[0].name')).toBe('Lantern Bazaar');
    expect(Array.isArray(e.ustr?.market)).toBe(true);
    const f = setPath(e, 'ustr.market[0].name', undefined);
    expect(getPath(f, 'ustr.market[0].name')).toBeUndefined();
    expect(getPath(e, 'ustr.market[0].name')).toBe('Lantern Bazaar');
  });
});

describe('what is sent to the backend', () => {
  it('leaves out empty optional fields and empty tables, and keeps required keys', () => {
    const d: ComplaintFile = {
      venue: 'dmca',
      rights_holder: { name: 'Jane', organization: '', email: '  ' },
      agent: { name: '' },
      right: [{ id: '', kind: 'copyright', office: '', classes: ['', ' 9 '] }],
      listing: [{ capture: 4, right: 'C-1', notes: '', title_translation: '' }],
      listings: { all_ok: false, right: '' },
      signature: { name: '', date: '' },
      declaration: { declarant: '' },
      narrative: '',
    };
    expect(cleanDraft(d)).toEqual({
      venue: 'dmca',
      rights_holder: { name: 'Jane' },
      right: [{ id: '', kind: 'copyright', classes: ['9'] }],
      listing: [{ capture: 4, right: 'C-1' }],
      statements: { good_faith: false, accuracy_under_penalty_of_perjury: false, authorised: false },
    });
  });

  it('never sends a key the backend does not know', () => {
    const polluted = {
      ...EXAMPLES['alibaba-ipp'],
      ui_only: true,
      rights_holder: { ...EXAMPLES['alibaba-ipp'].rights_holder, role: 'x' },
      listing: [{ capture: 1, right: 'TM-CN', selected: true }],
    } as unknown as ComplaintFile;
    expect(unknownKeys(polluted)).toEqual(['ui_only', 'rights_holder.role', 'listing[0].selected']);
    expect(unknownKeys(cleanDraft(polluted))).toEqual([]);
    for (const ex of Object.values(EXAMPLES)) expect(unknownKeys(cleanDraft(ex))).toEqual([]);
  });

  it('checks and exports without the tables of other venues', () => {
    const d: ComplaintFile = {
      ...EXAMPLES.amazon,
      alibaba: { platform: 'taobao' },
      complaint_type: 'listing',
      addressee: 'cbp',
    };
    const v = forVenue(d);
    expect(v.alibaba).toBeUndefined();
    expect(v.complaint_type).toBeUndefined();
    expect(v.addressee).toBeUndefined();
    expect(v.amazon).toEqual(EXAMPLES.amazon.amazon);
    expect(cleanDraft(d).alibaba).toEqual({ platform: 'taobao' }); // kept when saved
  });
});

describe('translations', () => {
  it('offers one for titles in other scripts', () => {
    expect(needsTranslation('ACME 露营灯 户外')).toBe(true);
    expect(needsTranslation('Фонарь ACME')).toBe(true);
    expect(needsTranslation('ACME Model 7 lantern — 50% off!')).toBe(false);
    expect(needsTranslation(null)).toBe(false);
  });
});

describe('loading a saved draft', () => {
  it('fills in what the forms read, and refuses what is not a draft', async () => {
    const { normaliseLoaded } = await import('./complaint');
    expect(normaliseLoaded({ venue: 'dmca', rights_holder: {} } as unknown as ComplaintFile)).toEqual({
      venue: 'dmca',
      rights_holder: { name: '' },
      statements: { good_faith: false, accuracy_under_penalty_of_perjury: false, authorised: false },
    });
    expect(normaliseLoaded(null)).toBeNull();
    expect(normaliseLoaded({ venue: 'fax' } as unknown as ComplaintFile)).toBeNull();
  });
});
