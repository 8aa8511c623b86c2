// Client-side checks for immediate feedback while typing: required fields left empty,
// email and date shapes, a few limits. The backend's `check_draft` is the authority;
// these use the same field paths so the checklist can show either.

import { BATES_PREFIX_PROBLEM, MAX_BATES_PREFIX_CHARS } from './bindings';
import {
  fieldWithin,
  filerTable,
  getPath,
  isRegion,
  venueInfo,
  type ComplaintFile,
} from './complaint';
import { venueFields, type FieldSpec, type Requirement } from './venues';
import type { Issue } from './types';

/** Roughly `name@domain.tld`: one @, no spaces, a dot in the domain. */
export function isEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s.trim());
}

/** `YYYY-MM-DD`, a real calendar date. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Digits with an optional leading +, spaces, dashes, dots and brackets; 6 to 20 digits. */
export function isPhone(s: string): boolean {
  const t = s.trim();
  if (!/^\+?[\d\s\-().]+$/.test(t)) return false;
  const digits = t.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 20;
}

export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0 || v.every((x) => isBlank(x));
  if (typeof v === 'number') return Number.isNaN(v);
  return false;
}

function fieldIssue(spec: FieldSpec, d: ComplaintFile): Issue | null {
  const v = getPath(d, spec.path);
  const short = venueInfo(d.venue).short;
  if (spec.kind === 'checkbox') {
    if (spec.required && v !== true)
      return { severity: 'error', field: spec.path, message: `${short} requires this statement: tick it if it is true.` };
    return null;
  }
  if (isBlank(v)) {
    if (spec.required)
      return { severity: 'error', field: spec.path, message: `${short} needs this: fill in "${spec.label}".` };
    if (spec.recommended)
      return { severity: 'warning', field: spec.path, message: `Worth adding: "${spec.label}".` };
    return null;
  }
  if (spec.maxChars && typeof v === 'string' && [...v].length > spec.maxChars)
    return {
      severity: 'error',
      field: spec.path,
      message: `"${spec.label}" is ${[...v].length} characters long; the limit is ${spec.maxChars.toLocaleString('en')}. Shorten it.`,
    };
  if (spec.kind === 'date' && typeof v === 'string' && !isIsoDate(v))
    return { severity: 'error', field: spec.path, message: `"${v}" is not a date: write it as YYYY-MM-DD, like 2026-11-28.` };
  if (spec.kind === 'email' && typeof v === 'string' && !isEmail(v))
    return { severity: 'error', field: spec.path, message: `"${v}" does not look like an email address: write it as name@example.com.` };
  if (spec.kind === 'number' && spec.path === 'ustr.year' && typeof v === 'number' && (v < 2000 || v > 2100))
    return { severity: 'error', field: spec.path, message: `${v} is not the year of a review: write the year, like 2026.` };
  return null;
}

/** Every problem the UI can see without the backend, for the draft's own venue. */
export function validateDraft(d: ComplaintFile): Issue[] {
  const issues: Issue[] = [];
  const short = venueInfo(d.venue).short;
  if (isBlank(d.rights_holder?.name))
    issues.push({ severity: 'error', field: 'rights_holder.name', message: "Give the rights holder's name." });
  const t = filerTable(d);
  if (t === 'agent' && isBlank(d.agent?.name))
    issues.push({ severity: 'error', field: 'agent.name', message: "Give the agent's name, or remove the agent if the rights holder files." });
  for (const table of ['rights_holder', 'agent'] as const) {
    const c = d[table];
    if (!c) continue;
    if (c.email && !isBlank(c.email) && !isEmail(c.email))
      issues.push({ severity: 'error', field: `${table}.email`, message: `"${c.email}" does not look like an email address: write it as name@example.com.` });
    if (c.phone && !isBlank(c.phone) && !isPhone(c.phone))
      issues.push({ severity: 'error', field: `${table}.phone`, message: `"${c.phone}" does not look like a phone number: write it with the country code, like +1 503 555 0100.` });
  }
  const rights = d.right ?? [];
  if (rights.length === 0)
    issues.push({ severity: 'error', field: 'right', message: 'Add at least one right: the trademark, copyright, design or patent the listings infringe.' });
  const seen = new Map<string, number>();
  rights.forEach((r, i) => {
    const id = (r.id ?? '').trim();
    if (id === '') {
      issues.push({ severity: 'error', field: `right[${i}].id`, message: `Give right ${i + 1} a short id, like "TM-1", so listings can name it.` });
    } else if (seen.has(id)) {
      issues.push({ severity: 'error', field: `right[${i}].id`, message: `Two rights have the id "${id}": give each its own.` });
    } else {
      seen.set(id, i);
    }
    if (d.venue === 'dmca' && r.kind !== 'copyright' && (d.listing ?? []).some((l) => l.right === id))
      issues.push({ severity: 'error', field: `right[${i}].kind`, message: `A DMCA notice covers copyright only, but ${id} is a ${r.kind}.` });
  });
  const anyListing = (d.listing ?? []).length > 0 || d.listings?.all_ok === true;
  if (!anyListing)
    issues.push({ severity: 'error', field: 'listing', message: 'There is nothing to report yet: link captures to a right in Review, or include every capture whose status is ok.' });
  for (const spec of venueFields(d.venue, d)) {
    // A table that is absent altogether is not worth a warning per field.
    if (spec.path.startsWith('declaration.') && !d.declaration && !spec.required) continue;
    const issue = fieldIssue(spec, d);
    if (issue) issues.push(issue);
  }
  const forum = d.schedule_a?.forum;
  if (d.venue === 'schedule-a' && typeof forum === 'string' && !isBlank(forum) && !isRegion(forum.trim()))
    issues.push({ severity: 'error', field: 'schedule_a.forum', message: `Give the forum as a country and state code such as "US-IL", not "${forum.trim()}".` });
  if (d.venue === 'ustr-notorious-markets' && (d.ustr?.market ?? []).length === 0)
    issues.push({ severity: 'error', field: 'ustr.market', message: `${short} needs at least one market: add one.` });
  if (d.declaration) {
    if (isBlank(d.declaration.declarant))
      issues.push({ severity: 'error', field: 'declaration.declarant', message: 'Name who makes the declaration.' });
    if (d.declaration.within_us === undefined)
      issues.push({ severity: 'error', field: 'declaration.within_us', message: 'Say whether the declaration is signed inside or outside the United States.' });
  } else {
    issues.push({ severity: 'warning', field: 'declaration', message: 'Fill in who makes the declaration and where, or the packet prints blanks for them.' });
  }
  return dedupe(issues);
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.severity}|${i.field}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The first error (or else warning) for exactly this field: what a form shows beside it. */
export function issueFor(issues: Issue[], path: string): Issue | undefined {
  const mine = issues.filter((i) => i.field === path);
  return mine.find((i) => i.severity === 'error') ?? mine[0];
}

export type CheckState = 'ok' | 'warning' | 'error';

export interface ChecklistItem {
  requirement: Requirement;
  state: CheckState;
  issues: Issue[];
}

export interface Checklist {
  items: ChecklistItem[];
  /** Issues that belong to no requirement: shown after the list. */
  other: Issue[];
}

/**
 * Sorts issues under the requirement whose field matches most closely; a requirement
 * is red with any error, amber with only warnings, green with none.
 */
export function buildChecklist(reqs: Requirement[], issues: Issue[]): Checklist {
  const buckets = new Map<string, Issue[]>(reqs.map((r) => [r.id, []]));
  const other: Issue[] = [];
  for (const issue of issues) {
    let best: Requirement | null = null;
    let bestLen = -1;
    for (const r of reqs) {
      for (const f of r.fields) {
        if (fieldWithin(issue.field, f) && f.length > bestLen) {
          best = r;
          bestLen = f.length;
        }
      }
    }
    if (best) buckets.get(best.id)!.push(issue);
    else other.push(issue);
  }
  const items = reqs.map((requirement) => {
    const mine = buckets.get(requirement.id)!;
    const state: CheckState = mine.some((i) => i.severity === 'error')
      ? 'error'
      : mine.length
        ? 'warning'
        : 'ok';
    return { requirement, state, issues: mine };
  });
  return { items, other };
}

export function errorCount(issues: Issue[]): number {
  return issues.filter((i) => i.severity === 'error').length;
}

/** "3 batches: 300, 300 and 12 listings" and the like. */
export function describeBatches(batches: number[]): string {
  if (batches.length === 0) return 'No listings to file yet.';
  const total = batches.reduce((a, b) => a + b, 0);
  if (batches.length === 1) return `One filing of ${total} listing${total === 1 ? '' : 's'}.`;
  const parts = batches.map(String);
  const list = parts.slice(0, -1).join(', ') + ' and ' + parts[parts.length - 1];
  return `${batches.length} filings of ${list} listings (${total} in all).`;
}

// ---------------------------------------------------------------------------------
// The new-case form.

export interface NewCaseForm {
  path: string;
  title: string;
  collectorName: string;
  organization: string;
  role: string;
  contact: string;
  passphrase: string;
  confirmation: string;
}

export interface FormProblem {
  field: keyof NewCaseForm;
  message: string;
}

/** What stops "Create case" before asking the backend. */
export function validateNewCase(f: NewCaseForm, strengthAcceptable: boolean | null): FormProblem[] {
  const out: FormProblem[] = [];
  if (f.path.trim() === '') out.push({ field: 'path', message: 'Choose where to save the case file.' });
  if (f.title.trim() === '') out.push({ field: 'title', message: 'Give the case a title, like "Acme vs. Taobao sellers".' });
  if (f.collectorName.trim() === '') out.push({ field: 'collectorName', message: 'Give the name of the person who collects the evidence.' });
  if (f.contact.trim() !== '' && f.contact.includes('@') && !isEmail(f.contact))
    out.push({ field: 'contact', message: `"${f.contact}" does not look like an email address.` });
  if (f.passphrase === '') out.push({ field: 'passphrase', message: 'Choose a passphrase.' });
  else if (strengthAcceptable === false)
    out.push({ field: 'passphrase', message: 'This passphrase is too easy to guess: add more unusual words.' });
  if (f.passphrase !== '' && f.confirmation !== f.passphrase)
    out.push({ field: 'confirmation', message: 'The two passphrases are not the same: type it again.' });
  return out;
}

/**
 * A Bates prefix is 1 to MAX_BATES_PREFIX_CHARS letters, digits, '-' or '_' (or empty
 * for the default), as the backend's `rules::bates_prefix_problem` has it, in its words.
 */
export function batesPrefixProblem(prefix: string): string | null {
  const p = prefix.trim();
  if (p === '') return null;
  if (p.length > MAX_BATES_PREFIX_CHARS || !/^[A-Za-z0-9_-]+$/.test(p)) return BATES_PREFIX_PROBLEM;
  return null;
}
