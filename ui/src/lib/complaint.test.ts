import { describe, expect, it } from 'vitest';
import scheduleAToml from '../../../examples/schedule-a.toml?raw';
import {
  cleanDraft,
  emptyDraft,
  forVenue,
  isRegion,
  unknownKeys,
  withVenue,
  SCHEDULE_A_DEFAULT_FORUM,
  type ComplaintFile,
} from './complaint';
import { EXAMPLES } from './fixtures.test-data';
import { validateDraft } from './validate';
import { FORUM_HELP, purchaseOption, venueFields, venueRequirements } from './venues';

/**
 * The TOML the examples are written in, read as the Rust side reads it for these files:
 * `[table]` and `[[table]]`, `key = value` with basic strings, multi-line basic strings
 * (a backslash at a line's end joins the next line), booleans, integers and one-line
 * arrays. Nice classes are strings on the Rust side (`de_classes`), as in the UI.
 */
function readToml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let table = root;
  const lines = text.split('\n');
  const value = (raw: string): unknown => {
    const v = raw.trim();
    if (v.startsWith('"')) return JSON.parse(v);
    if (v === 'true' || v === 'false') return v === 'true';
    if (v.startsWith('[')) {
      const inner = v.slice(1, -1).trim();
      return inner === '' ? [] : inner.split(',').map((x) => value(x));
    }
    if (/^-?\d+$/.test(v)) return Number(v);
    throw new Error(`not read by this test's TOML reader: ${v}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    let m = /^\[\[(\w+)\]\]$/.exec(line);
    if (m) {
      const list = (root[m[1]] ??= []) as Record<string, unknown>[];
      table = {};
      list.push(table);
      continue;
    }
    m = /^\[(\w+)\]$/.exec(line);
    if (m) {
      table = (root[m[1]] ??= {}) as Record<string, unknown>;
      continue;
    }
    m = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`not read by this test's TOML reader: ${line}`);
    if (m[2] === '"""') {
      let s = '';
      let joining = false;
      for (i++; lines[i].trim() !== '"""'; i++) {
        const l: string = joining ? lines[i].trimStart() : lines[i];
        joining = l.endsWith('\\');
        s += joining ? l.slice(0, -1) : `${l}\n`;
      }
      table[m[1]] = s;
    } else {
      table[m[1]] = value(m[2]);
    }
  }
  return root;
}

describe('the schedule-a venue', () => {
  it('reads examples/schedule-a.toml as the backend does, and sends it back unchanged', () => {
    const parsed = readToml(scheduleAToml) as unknown as ComplaintFile;
    for (const r of parsed.right ?? []) r.classes = r.classes?.map(String);
    // The backend's reading of the file (examples.json) is every table the TOML has,
    // and the statements the Rust struct always writes.
    const asSerdeWrites = {
      ...parsed,
      statements: { good_faith: false, accuracy_under_penalty_of_perjury: false, authorised: false },
    };
    expect(EXAMPLES['schedule-a']).toEqual(asSerdeWrites);
    // What the UI sends back is the same.
    const sent = forVenue(EXAMPLES['schedule-a']);
    expect(unknownKeys(sent)).toEqual([]);
    expect(sent).toEqual(asSerdeWrites);
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
  });

  it('keeps [schedule_a] only for its own venue, and drops empty fields', () => {
    const d: ComplaintFile = {
      ...EXAMPLES['schedule-a'],
      schedule_a: { court: 'N.D. Ill.', case_number: '  ', forum: ' US-IL ' },
      alibaba: { platform: 'taobao', test_purchase: 'TB-1' },
    };
    expect(cleanDraft(d).schedule_a).toEqual({ court: 'N.D. Ill.', forum: 'US-IL' });
    expect(forVenue(d).alibaba).toBeUndefined();
    const amazon = forVenue({ ...EXAMPLES.amazon, schedule_a: { forum: 'US-IL' } });
    expect(amazon.schedule_a).toBeUndefined();
    expect(cleanDraft({ ...d, schedule_a: { court: '' } }).schedule_a).toBeUndefined();
  });

  it('starts a Schedule A filing in the default forum, and keeps one already chosen', () => {
    const d = withVenue(emptyDraft('dmca'), 'schedule-a');
    expect(d.venue).toBe('schedule-a');
    expect(d.schedule_a).toEqual({ forum: SCHEDULE_A_DEFAULT_FORUM });
    expect(SCHEDULE_A_DEFAULT_FORUM).toBe('US-IL');
    const kept = withVenue({ ...emptyDraft('dmca'), schedule_a: { forum: 'US-NY', court: 'S.D.N.Y.' } }, 'schedule-a');
    expect(kept.schedule_a).toEqual({ forum: 'US-NY', court: 'S.D.N.Y.' });
    expect(withVenue(emptyDraft('schedule-a'), 'amazon').schedule_a).toBeUndefined();
  });

  it('asks for the court, the forum with what a forum is, and the declarant', () => {
    const fields = venueFields('schedule-a', EXAMPLES['schedule-a']);
    const by = (p: string) => fields.find((f) => f.path === p);
    expect(by('schedule_a.court')?.recommended).toBe(true);
    expect(by('schedule_a.forum')?.help).toBe(FORUM_HELP);
    expect(FORUM_HELP).toMatch(/US-IL is Illinois/);
    expect(by('schedule_a.case_number')).toBeDefined();
    expect(by('declaration.declarant')?.required).toBe(true);
    const noDeclarant = { ...EXAMPLES['schedule-a'], declaration: { within_us: true, declarant: '' } };
    expect(validateDraft(noDeclarant).filter((i) => i.severity === 'error').map((i) => i.field)).toEqual([
      'declaration.declarant',
    ]);
    // The defendants' gaps (schedule_a.defendant[N]) sort under their own checklist line.
    const reqs = venueRequirements('schedule-a', EXAMPLES['schedule-a']);
    expect(reqs.find((r) => r.id === 'defendants')?.fields).toEqual(['schedule_a']);
  });

  it('refuses a forum that is not a region code, in the words the backend uses', () => {
    expect(isRegion('US-IL')).toBe(true);
    expect(isRegion('US')).toBe(true);
    expect(isRegion('Illinois')).toBe(false);
    expect(isRegion('us-il')).toBe(false);
    const d = { ...EXAMPLES['schedule-a'], schedule_a: { forum: 'Illinois' } };
    const issue = validateDraft(d).find((i) => i.field === 'schedule_a.forum');
    expect(issue).toEqual({
      severity: 'error',
      field: 'schedule_a.forum',
      message: 'Give the forum as a country and state code such as "US-IL", not "Illinois".',
    });
  });
});

describe("an Alibaba complaint's test purchase", () => {
  it('is chosen among the recorded purchases by order number, or none', () => {
    const options = [
      purchaseOption({ order_number: 'TB-1', ordered_on: '2026-11-02', title: 'ACME lantern', listing_id: '562283240178', verdict: { verdict: 'counterfeit' } }),
      purchaseOption({ order_number: 'TB-2', ordered_on: '2026-11-03', title: null, listing_id: '605258110430' }),
    ];
    expect(options).toEqual([
      { value: 'TB-1', label: 'Order TB-1: ACME lantern, 2026-11-02, found counterfeit' },
      { value: 'TB-2', label: 'Order TB-2: listing 605258110430, 2026-11-03' },
    ]);
    const f = venueFields('alibaba-ipp', EXAMPLES['alibaba-ipp'], { purchases: options }).find(
      (x) => x.path === 'alibaba.test_purchase',
    );
    expect(f).toMatchObject({ kind: 'purchase', required: false, options });
  });

  it('is sent as test_purchase under [alibaba], and left out when none is chosen', () => {
    const d: ComplaintFile = { ...EXAMPLES['alibaba-ipp'], alibaba: { ...EXAMPLES['alibaba-ipp'].alibaba, test_purchase: ' TB-1 ' } };
    expect(forVenue(d).alibaba).toEqual({ ...EXAMPLES['alibaba-ipp'].alibaba, test_purchase: 'TB-1' });
    expect(unknownKeys(forVenue(d))).toEqual([]);
    const none = { ...d, alibaba: { ...d.alibaba, test_purchase: '' } };
    expect(forVenue(none).alibaba).toEqual(EXAMPLES['alibaba-ipp'].alibaba);
  });
});
