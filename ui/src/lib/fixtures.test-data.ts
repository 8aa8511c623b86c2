// The eight complaints of examples/*.toml, as the JSON the UI sends (field names as in
// the TOML: `right` for [[right]], `listing` for [[listing]], `listings` for [listings]).

import type { ComplaintFile, Contact } from './complaint';

const holder: Contact = {
  name: 'Jane Doe',
  organization: 'Acme Lantern Co.',
  address: '100 Harbor Street, Portland, OR 97201, USA',
  email: 'legal@acme-lantern.example',
  phone: '+1 503 555 0100',
};

const statementsAll = { good_faith: true, accuracy_under_penalty_of_perjury: true, authorised: true };

export const EXAMPLES: Record<string, ComplaintFile> = {
  'agency-letter': {
    venue: 'agency-letter',
    addressee: 'embassy',
    addressee_name: 'U.S. Embassy Beijing, Intellectual Property Attaché',
    narrative: 'We are a small US company.',
    rights_holder: holder,
    right: [
      { id: 'TM-CN', kind: 'trademark', registration_number: '12345678', office: 'CNIPA', classes: ['11'], certificates: ['certificates/acme-cnipa.pdf'] },
      { id: 'TM-US', kind: 'trademark', registration_number: '1234567', office: 'USPTO', classes: ['11'], certificates: ['certificates/acme-uspto.pdf'] },
    ],
    listing: [
      { capture: 1, right: 'TM-CN', infringement: 'counterfeit' },
      { capture: 2, right: 'TM-CN', infringement: 'counterfeit' },
      { capture: 3, right: 'TM-CN', infringement: 'trademark-misuse', notes: "Uses the ACME mark in the title for a different brand's lantern." },
    ],
    agency: {
      violator_name: 'Shenzhen Example Lighting Trading Co., Ltd.',
      violator_address: "Building 5, Example Industrial Park, Bao'an District, Shenzhen, Guangdong, China",
      violator_website: 'https://shop.example-lighting.example',
      violator_country: 'China',
      product: 'ACME Model 7 camping lantern',
      immediate_threat: false,
      prior_takedowns: 'Three Taobao IPP complaints since August 2026.',
      ask: 'Advice on which local market-supervision authority to approach.',
      scale: 'About 40 listings a month.',
      how_found: 'Regular keyword searches for ACME on Taobao and Tmall.',
    },
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28', place: 'Portland, Oregon' },
    declaration: { within_us: true, declarant: 'Jane Doe', place: 'Portland, Oregon' },
  },
  'alibaba-ipp': {
    venue: 'alibaba-ipp',
    complaint_type: 'listing',
    narrative: 'These listings sell counterfeit ACME Model 7 camping lanterns.',
    rights_holder: holder,
    right: [
      { id: 'TM-CN', kind: 'trademark', registration_number: '12345678', office: 'CNIPA', classes: ['11'], owner: 'Acme Lantern Co.', certificates: ['certificates/acme-cnipa.pdf'] },
    ],
    listings: { all_ok: true, right: 'TM-CN', infringement: 'counterfeit' },
    alibaba: { platform: 'taobao', reason: 'Counterfeit goods', identity_proof: 'certificates/acme-business-registration.pdf' },
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28', place: 'Portland, Oregon' },
    declaration: { within_us: true, declarant: 'Jane Doe', title: 'Owner of Acme Lantern Co.', place: 'Portland, Oregon' },
  },
  amazon: {
    venue: 'amazon',
    narrative: 'These ASINs sell counterfeit ACME Model 7 lanterns.',
    rights_holder: holder,
    right: [
      { id: 'TM-US', kind: 'trademark', registration_number: '1234567', office: 'USPTO', classes: ['11'], owner: 'Acme Lantern Co.', certificates: ['certificates/acme-uspto.pdf'] },
    ],
    listing: [
      { capture: 1, right: 'TM-US', infringement: 'counterfeit', notes: 'Test buy received 2026-11-20: no serial number, wrong battery cover.' },
      { capture: 2, right: 'TM-US', infringement: 'counterfeit' },
      { capture: 3, right: 'TM-US', infringement: 'counterfeit' },
    ],
    amazon: { marketplace_country: 'US', where: ['product', 'packaging'], test_buy_orders: ['112-1234567-1234567'] },
    statements: statementsAll,
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28' },
    declaration: { within_us: true, declarant: 'Jane Doe', place: 'Portland, Oregon' },
  },
  dmca: {
    venue: 'dmca',
    narrative: 'Each listing uses photographs taken by Acme Lantern Co.',
    rights_holder: holder,
    right: [
      {
        id: 'C-1',
        kind: 'copyright',
        work_description: 'Product photographs of the ACME Model 7 lantern (six images).',
        work_link: 'https://acme-lantern.example/model-7',
        owner: 'Acme Lantern Co.',
      },
    ],
    listings: { all_ok: true, right: 'C-1', infringement: 'copied-photos' },
    statements: statementsAll,
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28', place: 'Portland, Oregon' },
    declaration: { within_us: true, declarant: 'Jane Doe', place: 'Portland, Oregon' },
  },
  'ebay-vero': {
    venue: 'ebay-vero',
    narrative: 'The items listed are counterfeit ACME Model 7 lanterns.',
    rights_holder: holder,
    right: [
      { id: 'TM-US', kind: 'trademark', registration_number: '1234567', office: 'USPTO', classes: ['11'], certificates: ['certificates/acme-uspto.pdf'] },
    ],
    listings: { all_ok: true, right: 'TM-US', infringement: 'counterfeit' },
    ebay: { reason_code: '1.1', brand: 'ACME', message_to_seller: 'Your listing offers a counterfeit ACME lantern.' },
    statements: statementsAll,
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28' },
    declaration: { within_us: true, declarant: 'Jane Doe', place: 'Portland, Oregon' },
  },
  'eu-dsa': {
    venue: 'eu-dsa',
    narrative: 'The listings offer counterfeit ACME lanterns to buyers in the EU.',
    rights_holder: { name: 'Jane Doe', organization: 'Acme Lantern Co.', address: '100 Harbor Street, Portland, OR 97201, USA', email: 'legal@acme-lantern.example' },
    right: [
      { id: 'TM-EU', kind: 'trademark', registration_number: '018123456', office: 'EUIPO', classes: ['11'], certificates: ['certificates/acme-euipo.pdf'] },
    ],
    listings: { all_ok: true, right: 'TM-EU', infringement: 'counterfeit' },
    statements: { good_faith: true, accuracy_under_penalty_of_perjury: false, authorised: false },
    signature: { name: 'Jane Doe', date: '2026-11-28' },
    declaration: { within_us: false, declarant: 'Jane Doe', place: 'Lyon, France' },
  },
  'ustr-notorious-markets': {
    venue: 'ustr-notorious-markets',
    narrative: 'Acme Lantern Co. is a small US maker of camping lanterns.',
    rights_holder: holder,
    right: [
      { id: 'TM-US', kind: 'trademark', registration_number: '1234567', office: 'USPTO', classes: ['11'], certificates: ['certificates/acme-uspto.pdf'] },
      { id: 'TM-CN', kind: 'trademark', registration_number: '12345678', office: 'CNIPA', classes: ['11'], certificates: ['certificates/acme-cnipa.pdf'] },
    ],
    listings: { all_ok: true, right: 'TM-US', infringement: 'counterfeit' },
    listing: [{ capture: 3, right: 'TM-CN', infringement: 'counterfeit' }],
    ustr: {
      docket: 'USTR-2026-0001',
      year: 2026,
      focus: 'Small manufacturers cannot keep up with counterfeit listings.',
      market: [
        {
          name: 'Lantern Bazaar',
          kind: 'online',
          urls: ['lantern-bazaar.example', 'lanternbazaar-shop.example'],
          hosting_provider: 'Example Cloud Ltd.',
          operator: 'Lantern Bazaar Trading Co., Ltd.',
          location: 'Guangzhou, China',
          goods: 'Counterfeit outdoor and camping equipment.',
          volume: 'Over 400 ACME listings found in October 2026.',
          enforcement_actions: 'No enforcement action known.',
          rights_holder_actions: 'Acme filed 38 notices in 2026.',
          operator_measures: 'A notice form exists.',
        },
      ],
    },
    signature: { name: 'Jane Doe', title: 'Owner, Acme Lantern Co.', date: '2026-11-28' },
    declaration: { within_us: true, declarant: 'Jane Doe', place: 'Portland, Oregon' },
  },
  // Whole, as written in examples/schedule-a.toml: complaint.test.ts parses that file and
  // compares.
  'schedule-a': {
    venue: 'schedule-a',
    narrative:
      'Each defendant offers counterfeit ACME Model 7 camping lanterns for sale to buyers in Illinois under the ACME mark. Acme Lantern Co. makes every genuine ACME lantern and has never supplied or licensed these sellers.\n',
    rights_holder: holder,
    agent: {
      name: 'Sam Counsel',
      organization: 'Counsel & Partners LLP',
      address: '1 N Wacker Dr, Chicago, IL 60606, USA',
      email: 'sam@counsel.example',
      phone: '+1 312 555 0100',
    },
    right: [
      { id: 'TM-US', kind: 'trademark', registration_number: '1234567', office: 'USPTO', classes: ['11'], owner: 'Acme Lantern Co.', certificates: ['certificates/acme-uspto.pdf'] },
    ],
    listings: { all_ok: true, right: 'TM-US', infringement: 'counterfeit' },
    schedule_a: { court: 'United States District Court for the Northern District of Illinois', forum: 'US-IL' },
    signature: { name: 'Sam Counsel', title: 'Attorney for Plaintiff', date: '2026-11-28', place: 'Chicago, Illinois' },
    declaration: {
      within_us: true,
      declarant: 'Alex Investigator',
      title: 'Investigator, Counsel & Partners LLP',
      place: 'Chicago, Illinois',
    },
  },
};
