// What each venue asks for: the fields of its form and the requirements of its
// checklist. Pure functions of the venue and the draft, following
// crates/exhibit-venues/src/validate.rs (the backend's `check_draft` stays the
// authority; this is what the form shows and checks at once).

import { EBAY_BRAND_MAX_CHARS, EBAY_MESSAGE_MAX_CHARS } from './bindings';
import {
  ADDRESSEES,
  ALIBABA_PLATFORMS,
  AMAZON_WHERE,
  COMPLAINT_TYPES,
  INFRINGEMENTS,
  MARKET_KINDS,
  filerTable,
  type ComplaintFile,
  type Option,
  type Venue,
} from './complaint';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'email'
  | 'tel'
  | 'date'
  | 'number'
  | 'checkbox'
  | 'select'
  | 'multi'
  | 'lines'
  | 'yesno'
  | 'attachment'
  /** One of the case's test purchases by order number, or none (`options` lists them). */
  | 'purchase';

export interface FieldSpec {
  /** Dotted path into the draft, as the backend names fields in its issues. */
  path: string;
  label: string;
  kind: FieldKind;
  /** Empty is an error. */
  required: boolean;
  /** Empty is worth a warning. */
  recommended?: boolean;
  options?: readonly Option[];
  help?: string;
  maxChars?: number;
  /** The heading the field is shown under. */
  section: string;
}

export interface Requirement {
  id: string;
  label: string;
  /** The issue fields that belong to this requirement (a field and everything inside it). */
  fields: string[];
}

const YES_NO_US: readonly Option[] = [
  { value: 'true', label: 'Inside the United States' },
  { value: 'false', label: 'Outside the United States' },
];

function contactFields(
  d: ComplaintFile,
  venueShort: string,
  need: { address?: boolean; phone?: boolean; email?: boolean; recommendEmail?: boolean },
): FieldSpec[] {
  const t = filerTable(d);
  const who = t === 'agent' ? "Agent's" : "Rights holder's";
  const section = 'How to reach you';
  const out: FieldSpec[] = [];
  if (need.address)
    out.push({ path: `${t}.address`, label: `${who} postal address`, kind: 'textarea', required: true, section, help: `${venueShort} needs it.` });
  if (need.phone)
    out.push({ path: `${t}.phone`, label: `${who} phone`, kind: 'tel', required: true, section, help: 'With the country code, like +1 503 555 0100.' });
  if (need.email || need.recommendEmail)
    out.push({ path: `${t}.email`, label: `${who} email`, kind: 'email', required: !!need.email, recommended: need.recommendEmail, section });
  return out;
}

function narrativeField(required: boolean, label: string, help?: string): FieldSpec {
  return { path: 'narrative', label, kind: 'textarea', required, section: 'Explanation', help, maxChars: 20000 };
}

function statementFields(good: string, accuracy?: string, authorised?: string): FieldSpec[] {
  const section = 'Statements';
  const out: FieldSpec[] = [{ path: 'statements.good_faith', label: good, kind: 'checkbox', required: true, section }];
  if (accuracy)
    out.push({ path: 'statements.accuracy_under_penalty_of_perjury', label: accuracy, kind: 'checkbox', required: true, section });
  if (authorised) out.push({ path: 'statements.authorised', label: authorised, kind: 'checkbox', required: true, section });
  return out;
}

const GOOD_FAITH =
  'I believe in good faith that the use described is not authorised by the rights owner, its agent or the law.';
const ACCURACY = 'The information in this notice is accurate, under penalty of perjury.';
const AUTHORISED =
  'I own the right, or am authorised to act for its owner, under penalty of perjury.';

function signatureFields(needName: 'required' | 'recommended' | 'optional', needDate: boolean): FieldSpec[] {
  const section = 'Signature';
  return [
    {
      path: 'signature.name',
      label: 'Signed by (name)',
      kind: 'text',
      required: needName === 'required',
      recommended: needName === 'recommended',
      section,
    },
    { path: 'signature.title', label: 'Title', kind: 'text', required: false, section, help: 'Like "Owner, Acme Lantern Co."' },
    { path: 'signature.date', label: 'Date', kind: 'date', required: needDate, section },
    { path: 'signature.place', label: 'Place', kind: 'text', required: false, section },
  ];
}

function declarationFields(declarantRequired = false, declarantHelp?: string): FieldSpec[] {
  const section = 'Declaration (28 U.S.C. § 1746)';
  return [
    { path: 'declaration.declarant', label: 'Declarant', kind: 'text', required: declarantRequired, recommended: !declarantRequired, section, help: declarantHelp },
    { path: 'declaration.within_us', label: 'Signed', kind: 'yesno', options: YES_NO_US, required: false, recommended: true, section, help: 'The wording of the declaration differs.' },
    { path: 'declaration.title', label: "Declarant's title", kind: 'text', required: false, section },
    { path: 'declaration.place', label: 'Place', kind: 'text', required: false, section },
    { path: 'declaration.date', label: 'Date (the signature date when empty)', kind: 'date', required: false, section },
  ];
}

function marketFields(i: number): FieldSpec[] {
  const p = `ustr.market[${i}]`;
  const section = `Market ${i + 1}`;
  const text = (f: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
    path: `${p}.${f}`,
    label,
    kind: 'textarea',
    required: false,
    section,
    ...extra,
  });
  return [
    { path: `${p}.name`, label: 'Name', kind: 'text', required: true, section },
    { path: `${p}.kind`, label: 'Kind', kind: 'select', options: MARKET_KINDS, required: false, section },
    { path: `${p}.urls`, label: 'Domain names or URLs, one a line', kind: 'lines', required: true, section },
    { path: `${p}.location`, label: 'Where it is run from (city, country)', kind: 'text', required: true, section, help: 'Markets outside the United States only.' },
    text('operator', 'Operator', { kind: 'text', recommended: true }),
    text('goods', 'Goods sold', { recommended: true }),
    text('enforcement_actions', 'Enforcement actions and outcomes', { recommended: true }),
    text('hosting_provider', 'Hosting provider', { kind: 'text' }),
    text('domain_registration', 'Domain registration', { kind: 'text' }),
    text('volume', 'Volume of infringing listings'),
    text('traffic', 'Traffic'),
    text('revenue_sources', 'Revenue sources'),
    text('government_links', 'Links to government'),
    text('harm', 'Harm to your business'),
    text('harm_change', 'How the harm has changed'),
    text('health_safety_risks', 'Health and safety risks'),
    text('rights_holder_actions', 'What you have done'),
    text('operator_measures', "The operator's anti-counterfeiting measures"),
  ];
}

/** What the form knows of the case beyond the draft. */
export interface VenueContext {
  /** The case's test purchases, as choices by order number. */
  purchases?: readonly Option[];
}

/** A recorded test purchase as a choice: its order number, with what it bought and when. */
export function purchaseOption(p: {
  order_number: string;
  ordered_on: string;
  title: string | null;
  listing_id: string | null;
  verdict?: { verdict: string } | null;
}): Option {
  const what = p.title?.trim() || (p.listing_id ? `listing ${p.listing_id}` : 'a listing');
  const verdict = p.verdict ? `, found ${p.verdict.verdict}` : '';
  return { value: p.order_number, label: `Order ${p.order_number}: ${what}, ${p.ordered_on}${verdict}` };
}

/** Said beside the forum field: what a forum is, in plain words. */
export const FORUM_HELP =
  'The state whose federal court hears the case, as a code: US-IL is Illinois, where most of these suits are filed. The court can only rule on a seller that sells into that state, so each defendant needs a test purchase or a checkout shipping there.';

/** The fields `venue`'s form shows, in order, for this draft. */
export function venueFields(venue: Venue, d: ComplaintFile, ctx: VenueContext = {}): FieldSpec[] {
  switch (venue) {
    case 'alibaba-ipp': {
      const section = 'Alibaba IPP';
      const f: FieldSpec[] = [
        { path: 'complaint_type', label: 'Report single listings or a whole store', kind: 'select', options: COMPLAINT_TYPES, required: true, section },
        { path: 'alibaba.platform', label: 'Platform', kind: 'select', options: ALIBABA_PLATFORMS, required: true, section },
        { path: 'alibaba.reason', label: 'Reason, as worded in the IPP drop-down', kind: 'text', required: true, section, help: 'For example "Counterfeit goods".' },
        { path: 'alibaba.identity_proof', label: 'Proof of identity (ID, passport or business registration)', kind: 'attachment', required: true, section },
      ];
      if (filerTable(d) === 'agent')
        f.push({ path: 'alibaba.power_of_attorney', label: 'Power of attorney (an agent files)', kind: 'attachment', required: true, section });
      f.push({
        path: 'alibaba.test_purchase',
        label: 'Test purchase to report',
        kind: 'purchase',
        options: ctx.purchases ?? [],
        required: false,
        section,
        help: 'Alibaba accepts one test purchase a complaint: its order, photos and verdict are printed as a signed test-buy report beside the packet.',
      });
      f.push(narrativeField(false, 'Why these listings infringe'));
      return [...f, ...signatureFields('optional', false), ...declarationFields()];
    }
    case 'amazon': {
      const section = 'Amazon';
      return [
        { path: 'amazon.marketplace_country', label: "Marketplace's country (US, DE, GB, JP…)", kind: 'text', required: true, section },
        { path: 'amazon.where', label: 'Where the infringement shows', kind: 'multi', options: AMAZON_WHERE, required: true, section },
        { path: 'amazon.test_buy_orders', label: 'Test-buy order ids, one a line', kind: 'lines', required: false, section, help: 'Like 112-1234567-1234567.' },
        ...contactFields(d, 'Amazon', { address: true, phone: true, email: true }),
        narrativeField(false, 'Why these listings infringe'),
        ...statementFields(GOOD_FAITH, ACCURACY, AUTHORISED),
        ...signatureFields('required', false),
        ...declarationFields(),
      ];
    }
    case 'ebay-vero': {
      const section = 'eBay VeRO';
      const f: FieldSpec[] = [
        { path: 'ebay.reason_code', label: 'Reason code for every listing', kind: 'text', required: true, section, help: '1.x counterfeit, 2.x trademark in the listing, 3.x copyright in the item, 4.x copied text or image, 5.x patent. Like "1.1".' },
        { path: 'ebay.brand', label: 'Brand', kind: 'text', required: false, section, maxChars: EBAY_BRAND_MAX_CHARS },
        { path: 'ebay.message_to_seller', label: 'Message to the seller', kind: 'textarea', required: false, section, maxChars: EBAY_MESSAGE_MAX_CHARS },
      ];
      for (const inf of INFRINGEMENTS)
        f.push({ path: `ebay.reason_codes.${inf.value}`, label: `Reason code for "${inf.label}" listings (optional)`, kind: 'text', required: false, section: 'eBay reason codes by kind' });
      return [
        ...f,
        ...contactFields(d, 'eBay VeRO', { address: true, phone: true, email: true }),
        narrativeField(true, 'Explanation: why these listings infringe'),
        ...statementFields(GOOD_FAITH, ACCURACY, AUTHORISED),
        ...signatureFields('required', true),
        ...declarationFields(),
      ];
    }
    case 'dmca':
      return [
        ...contactFields(d, 'A DMCA notice', { address: true, phone: true, email: true }),
        narrativeField(false, 'Why these listings infringe'),
        ...statementFields(GOOD_FAITH, ACCURACY, AUTHORISED),
        ...signatureFields('required', false),
        ...declarationFields(),
      ];
    case 'eu-dsa':
      return [
        narrativeField(true, 'Why the listings are illegal (Article 16(2)(a))', 'Name the right and how each listing infringes it.'),
        ...contactFields(d, 'A DSA notice', { email: true }),
        ...statementFields('I believe in good faith that this notice is accurate and complete (Article 16(2)(d)).'),
        ...signatureFields('optional', false),
        ...declarationFields(),
      ];
    case 'ustr-notorious-markets': {
      const section = 'USTR review';
      const markets = d.ustr?.market ?? [];
      return [
        { path: 'ustr.docket', label: 'Docket number (like USTR-2026-0001)', kind: 'text', required: true, section },
        { path: 'ustr.year', label: 'Year of the review', kind: 'number', required: false, section },
        { path: 'ustr.focus', label: "This year's focus, in your words", kind: 'textarea', required: false, section },
        narrativeField(false, 'About you and the problem'),
        ...markets.flatMap((_, i) => marketFields(i)),
        ...signatureFields('recommended', false),
        ...declarationFields(),
      ];
    }
    case 'agency-letter': {
      const section = 'The letter';
      const a = d.addressee;
      const f: FieldSpec[] = [
        { path: 'addressee', label: 'Addressed to', kind: 'select', options: ADDRESSEES, required: true, section },
      ];
      if (a === 'embassy')
        f.push({ path: 'addressee_name', label: 'Which embassy or attaché', kind: 'text', required: true, section });
      const v = 'The violator';
      f.push(
        { path: 'agency.violator_name', label: 'Seller or company name', kind: 'text', required: true, section: v },
        { path: 'agency.violator_address', label: 'Address', kind: 'textarea', required: false, recommended: true, section: v },
        { path: 'agency.violator_website', label: 'Website or store page', kind: 'text', required: false, recommended: true, section: v },
        { path: 'agency.violator_country', label: 'Country', kind: 'text', required: false, section: v },
        { path: 'agency.product', label: 'Your product that is copied', kind: 'text', required: true, section: v },
      );
      if (a === 'cbp')
        f.push({ path: 'agency.immediate_threat', label: 'Immediate threat to life or property?', kind: 'yesno', options: [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }], required: true, section: v });
      const w = 'What you ask';
      f.push(
        { path: 'agency.ask', label: 'What you ask the addressee to do', kind: 'textarea', required: true, section: w },
        { path: 'agency.prior_takedowns', label: 'Steps already taken, and what came of them', kind: 'textarea', required: false, recommended: true, section: w },
        { path: 'agency.scale', label: 'Volume and prices', kind: 'textarea', required: false, section: w },
        { path: 'agency.how_found', label: 'How you found the listings', kind: 'textarea', required: false, section: w },
        { path: 'agency.test_buys', label: 'Test buys and what arrived', kind: 'textarea', required: false, section: w },
        narrativeField(false, 'Background'),
      );
      return [
        ...f,
        ...contactFields(d, 'An agency letter', { recommendEmail: true }),
        ...signatureFields('recommended', false),
        ...declarationFields(),
      ];
    }
    case 'schedule-a': {
      const section = 'The court';
      return [
        { path: 'schedule_a.court', label: 'Court', kind: 'text', required: false, recommended: true, section, help: 'Like "United States District Court for the Northern District of Illinois".' },
        { path: 'schedule_a.forum', label: 'Forum', kind: 'text', required: false, section, help: FORUM_HELP },
        { path: 'schedule_a.case_number', label: 'Case number', kind: 'text', required: false, section, help: 'Once the court has given one, like 1:26-cv-01234.' },
        narrativeField(false, 'What the defendants do'),
        ...signatureFields('recommended', false),
        ...declarationFields(true, "The investigator who made or oversaw the captures and test purchases: the declaration authenticates them."),
      ];
    }
  }
}

/** The checklist for `venue`: each requirement goes green when no error names its fields. */
export function venueRequirements(venue: Venue, d: ComplaintFile): Requirement[] {
  const t = filerTable(d);
  const contact = (id: string, label: string, which: string[]): Requirement => ({
    id,
    label,
    fields: which.map((w) => `${t}.${w}`),
  });
  const common: Requirement[] = [
    { id: 'holder', label: "The rights holder's name", fields: ['rights_holder.name', 'agent.name'] },
    { id: 'contact-shape', label: 'Email addresses and phone numbers well formed', fields: ['rights_holder.email', 'rights_holder.phone', 'agent.email', 'agent.phone'] },
    { id: 'rights', label: 'At least one right, each complete', fields: ['right'] },
    { id: 'listings', label: 'Listings to report', fields: ['listing', 'listings'] },
    { id: 'declaration', label: 'Who makes the declaration, and where', fields: ['declaration'] },
  ];
  const signature = (label: string): Requirement => ({ id: 'signature', label, fields: ['signature'] });
  const statements = (label: string): Requirement => ({ id: 'statements', label, fields: ['statements'] });
  let own: Requirement[];
  switch (venue) {
    case 'alibaba-ipp':
      own = [
        { id: 'complaint_type', label: 'Single listings or a whole store', fields: ['complaint_type'] },
        { id: 'platform', label: 'The platform', fields: ['alibaba.platform'] },
        { id: 'reason', label: 'The reason, as in the IPP form', fields: ['alibaba.reason'] },
        { id: 'identity', label: 'Proof of identity', fields: ['alibaba.identity_proof', 'alibaba.power_of_attorney'] },
      ];
      break;
    case 'amazon':
      own = [
        { id: 'country', label: "The marketplace's country", fields: ['amazon.marketplace_country'] },
        { id: 'where', label: 'Where the infringement shows', fields: ['amazon.where', 'amazon.test_buy_orders'] },
        contact('contact', 'Your address, phone and email', ['address', 'phone', 'email']),
        statements('The three statements'),
        signature('Your electronic signature'),
      ];
      break;
    case 'ebay-vero':
      own = [
        { id: 'reason_code', label: 'A reason code for every listing', fields: ['ebay.reason_code', 'ebay.reason_codes'] },
        { id: 'limits', label: 'Brand and message to the seller within limits', fields: ['ebay.brand', 'ebay.message_to_seller'] },
        { id: 'narrative', label: 'An explanation', fields: ['narrative'] },
        contact('contact', 'Your address, phone and email', ['address', 'phone', 'email']),
        statements('The three statements'),
        signature('Signature and date'),
      ];
      break;
    case 'dmca':
      own = [
        contact('contact', 'Your address, phone and email', ['address', 'phone', 'email']),
        statements('The good-faith, accuracy and authority statements'),
        signature('Signature'),
      ];
      break;
    case 'eu-dsa':
      own = [
        { id: 'narrative', label: 'Why the listings are illegal', fields: ['narrative'] },
        contact('contact', 'Your email', ['email']),
        statements('The bona fide statement'),
      ];
      break;
    case 'ustr-notorious-markets':
      own = [
        { id: 'docket', label: 'The docket number and year', fields: ['ustr', 'ustr.docket', 'ustr.year'] },
        { id: 'markets', label: 'At least one market outside the US, described', fields: ['ustr.market'] },
        signature('Signature'),
      ];
      break;
    case 'agency-letter':
      own = [
        { id: 'addressee', label: 'Who the letter is for', fields: ['addressee', 'addressee_name'] },
        { id: 'violator', label: 'The violator and the product', fields: ['agency', 'agency.violator_name', 'agency.product', 'agency.violator_country', 'agency.immediate_threat'] },
        { id: 'ask', label: 'What you ask for', fields: ['agency.ask'] },
        { id: 'history', label: 'Address, website and steps already taken', fields: ['agency.violator_address', 'agency.violator_website', 'agency.prior_takedowns'] },
        contact('contact', 'An email or phone to reach you', ['email']),
        signature('Signature'),
      ];
      break;
    case 'schedule-a':
      own = [
        { id: 'court', label: 'The court and the forum', fields: ['schedule_a.court', 'schedule_a.forum', 'schedule_a.case_number'] },
        { id: 'defendants', label: "Each defendant's evidence: a sale into the forum, where the seller is", fields: ['schedule_a'] },
        signature('Signature'),
      ];
      break;
  }
  return [...common.slice(0, 1), ...own, ...common.slice(1)];
}
