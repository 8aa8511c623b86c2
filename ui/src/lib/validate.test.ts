import { describe, expect, it } from 'vitest';
import { cleanDraft, setPath, type ComplaintFile, type Venue } from './complaint';
import { EXAMPLES } from './fixtures.test-data';
import {
  batesPrefixProblem,
  buildChecklist,
  describeBatches,
  isEmail,
  isIsoDate,
  validateDraft,
  validateNewCase,
} from './validate';
import { venueFields, venueRequirements } from './venues';

const errorsOf = (d: ComplaintFile) =>
  validateDraft(d)
    .filter((i) => i.severity === 'error')
    .map((i) => i.field);

const clone = (d: ComplaintFile): ComplaintFile => structuredClone(d);

describe('validateDraft: the examples pass', () => {
  for (const [venue, draft] of Object.entries(EXAMPLES)) {
    it(`${venue} has no errors`, () => {
      expect(errorsOf(draft)).toEqual([]);
    });
  }
});

describe('validateDraft: what each venue requires', () => {
  const cases: [Venue, string, unknown][] = [
    ['alibaba-ipp', 'alibaba.platform', undefined],
    ['alibaba-ipp', 'alibaba.reason', ''],
    ['alibaba-ipp', 'alibaba.identity_proof', undefined],
    ['alibaba-ipp', 'complaint_type', undefined],
    ['amazon', 'amazon.marketplace_country', undefined],
    ['amazon', 'amazon.where', []],
    ['amazon', 'rights_holder.address', undefined],
    ['amazon', 'rights_holder.phone', '  '],
    ['amazon', 'statements.authorised', false],
    ['amazon', 'signature.name', ''],
    ['ebay-vero', 'ebay.reason_code', undefined],
    ['ebay-vero', 'narrative', ''],
    ['ebay-vero', 'signature.date', undefined],
    ['ebay-vero', 'statements.good_faith', false],
    ['dmca', 'rights_holder.email', undefined],
    ['dmca', 'statements.accuracy_under_penalty_of_perjury', false],
    ['eu-dsa', 'narrative', undefined],
    ['eu-dsa', 'rights_holder.email', ''],
    ['eu-dsa', 'statements.good_faith', false],
    ['ustr-notorious-markets', 'ustr.docket', ''],
    ['ustr-notorious-markets', 'ustr.market[0].location', undefined],
    ['ustr-notorious-markets', 'ustr.market[0].urls', []],
    ['agency-letter', 'agency.violator_name', undefined],
    ['agency-letter', 'agency.ask', ''],
    ['agency-letter', 'addressee_name', undefined],
    ['agency-letter', 'addressee', undefined],
  ];
  for (const [venue, path, value] of cases) {
    it(`${venue}: ${path} empty is an error at ${path}`, () => {
      const d = setPath(clone(EXAMPLES[venue]), path, value);
      expect(errorsOf(d)).toContain(path);
    });
  }

  it('a field one venue requires is not asked by another', () => {
    const dsa = setPath(clone(EXAMPLES['eu-dsa']), 'rights_holder.phone', undefined);
    expect(errorsOf(dsa)).not.toContain('rights_holder.phone');
    const amazon = setPath(clone(EXAMPLES.amazon), 'narrative', undefined);
    expect(errorsOf(amazon)).not.toContain('narrative');
  });

  it('asks the agent, not the rights holder, for contact details when an agent files', () => {
    const d = { ...clone(EXAMPLES.dmca), agent: { name: 'Law Firm LLP' } };
    const errs = errorsOf(d);
    expect(errs).toEqual(expect.arrayContaining(['agent.address', 'agent.phone', 'agent.email']));
    expect(errs).not.toContain('rights_holder.email');
  });

  it('needs a power of attorney for Alibaba only when an agent files', () => {
    const own = clone(EXAMPLES['alibaba-ipp']);
    expect(errorsOf(own)).not.toContain('alibaba.power_of_attorney');
    const agent = { ...own, agent: { name: 'Law Firm LLP' } };
    expect(errorsOf(agent)).toContain('alibaba.power_of_attorney');
  });

  it('CBP letters must say whether there is an immediate threat', () => {
    const d = clone(EXAMPLES['agency-letter']);
    d.addressee = 'cbp';
    delete d.agency!.immediate_threat;
    expect(errorsOf(d)).toContain('agency.immediate_threat');
    expect(errorsOf(d)).not.toContain('addressee_name');
  });

  it('checks email shape, date shape and the eBay limits', () => {
    let d = setPath(clone(EXAMPLES['ebay-vero']), 'rights_holder.email', 'legal at acme');
    d = setPath(d, 'signature.date', '28/11/2026');
    d = setPath(d, 'ebay.brand', 'B'.repeat(51));
    d = setPath(d, 'ebay.message_to_seller', 'm'.repeat(1001));
    const errs = errorsOf(d);
    expect(errs).toEqual(
      expect.arrayContaining(['rights_holder.email', 'signature.date', 'ebay.brand', 'ebay.message_to_seller']),
    );
  });

  it('needs a rights holder, a right with a unique id, and listings', () => {
    const d: ComplaintFile = {
      venue: 'eu-dsa',
      rights_holder: { name: '' },
      right: [
        { id: 'TM-1', kind: 'trademark' },
        { id: 'TM-1', kind: 'trademark' },
      ],
    };
    const errs = errorsOf(d);
    expect(errs).toEqual(expect.arrayContaining(['rights_holder.name', 'right[1].id', 'listing']));
    expect(errorsOf({ ...d, right: [] })).toContain('right');
  });

  it('warns, without erring, when there is no declaration', () => {
    const d = clone(EXAMPLES.dmca);
    delete d.declaration;
    const issues = validateDraft(d);
    expect(issues.find((i) => i.field === 'declaration')?.severity).toBe('warning');
    expect(errorsOf(d)).toEqual([]);
  });
});

describe('venue forms', () => {
  it('every venue form field path resolves into the draft shape the backend knows', () => {
    for (const draft of Object.values(EXAMPLES)) {
      for (const f of venueFields(draft.venue, draft)) {
        const top = f.path.split(/[.[]/)[0];
        expect(['rights_holder', 'agent', 'narrative', 'complaint_type', 'alibaba', 'amazon', 'ebay', 'ustr', 'agency', 'schedule_a', 'statements', 'signature', 'declaration', 'addressee', 'addressee_name']).toContain(top);
      }
    }
  });

  it('shows one set of fields per USTR market', () => {
    const d = clone(EXAMPLES['ustr-notorious-markets']);
    d.ustr!.market!.push({ name: 'Second' });
    const paths = venueFields('ustr-notorious-markets', d).map((f) => f.path);
    expect(paths).toContain('ustr.market[0].name');
    expect(paths).toContain('ustr.market[1].location');
  });

  it('asks the embassy name only for an embassy letter', () => {
    const d = clone(EXAMPLES['agency-letter']);
    expect(venueFields('agency-letter', d).map((f) => f.path)).toContain('addressee_name');
    d.addressee = 'ipr-center';
    expect(venueFields('agency-letter', d).map((f) => f.path)).not.toContain('addressee_name');
  });
});

describe('checklist', () => {
  it('turns a requirement red with its errors and green without', () => {
    const d = clone(EXAMPLES.amazon);
    const reqs = venueRequirements('amazon', d);
    const list = buildChecklist(reqs, [
      { severity: 'error', field: 'amazon.marketplace_country', message: 'Needs the country.' },
      { severity: 'warning', field: 'right[0].office', message: 'Check the office.' },
      { severity: 'error', field: 'something.else', message: 'Unplaced.' },
    ]);
    const byId = Object.fromEntries(list.items.map((i) => [i.requirement.id, i]));
    expect(byId.country.state).toBe('error');
    expect(byId.country.issues[0].message).toBe('Needs the country.');
    expect(byId.rights.state).toBe('warning');
    expect(byId.statements.state).toBe('ok');
    expect(list.other.map((i) => i.field)).toEqual(['something.else']);
  });

  it('does not confuse right[…] with rights_holder', () => {
    const reqs = venueRequirements('dmca', EXAMPLES.dmca);
    const list = buildChecklist(reqs, [{ severity: 'error', field: 'rights_holder.name', message: 'x' }]);
    const byId = Object.fromEntries(list.items.map((i) => [i.requirement.id, i]));
    expect(byId.holder.state).toBe('error');
    expect(byId.rights.state).toBe('ok');
  });

  it('describes batches', () => {
    expect(describeBatches([])).toMatch(/No listings/);
    expect(describeBatches([12])).toBe('One filing of 12 listings.');
    expect(describeBatches([300, 300, 12])).toBe('3 filings of 300, 300 and 12 listings (612 in all).');
  });
});

describe('shapes', () => {
  it('email', () => {
    expect(isEmail('legal@acme-lantern.example')).toBe(true);
    expect(isEmail('a.b+c@x.co.uk')).toBe(true);
    expect(isEmail('legal@acme')).toBe(false);
    expect(isEmail('legal at acme.com')).toBe(false);
    expect(isEmail('@acme.com')).toBe(false);
  });
  it('date', () => {
    expect(isIsoDate('2026-11-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('28.11.2026')).toBe(false);
  });
  it('Bates prefix', () => {
    expect(batesPrefixProblem('')).toBeNull();
    expect(batesPrefixProblem('ACME-')).toBeNull();
    expect(batesPrefixProblem('AC ME')).not.toBeNull();
    expect(batesPrefixProblem('A'.repeat(21))).not.toBeNull();
  });
  it('the new-case form', () => {
    const ok = {
      path: '/tmp/a.exhibit',
      title: 'Acme',
      collectorName: 'Jane',
      organization: '',
      role: '',
      contact: '',
      passphrase: 'correct horse battery staple',
      confirmation: 'correct horse battery staple',
    };
    expect(validateNewCase(ok, true)).toEqual([]);
    expect(validateNewCase({ ...ok, confirmation: 'x' }, true).map((p) => p.field)).toEqual(['confirmation']);
    expect(validateNewCase(ok, false).map((p) => p.field)).toEqual(['passphrase']);
    expect(validateNewCase({ ...ok, path: ' ', title: '' }, null).map((p) => p.field)).toEqual(['path', 'title']);
  });
});

describe('the examples survive cleaning', () => {
  for (const [venue, draft] of Object.entries(EXAMPLES)) {
    it(`${venue} is unchanged by cleanDraft`, () => {
      const expected = { ...draft, statements: draft.statements ?? { good_faith: false, accuracy_under_penalty_of_perjury: false, authorised: false } };
      expect(cleanDraft(draft)).toEqual(expected);
    });
  }
});
