import { describe, expect, it } from 'vitest';
import { caseCheckAdvice, caseCheckSummary, problemLabel, problemPlace } from './caseCheck';
import type { CaseCheck } from './types';

function report(o: Partial<CaseCheck> = {}): CaseCheck {
  return {
    ok: true,
    problems: [],
    pages_checked: 1234,
    captures_checked: 12,
    artifacts_checked: 96,
    bytes_checked: 5 * 1024 * 1024,
    events_checked: 40,
    custody_head: 'ab'.repeat(32),
    ...o,
  };
}

describe('caseCheckSummary', () => {
  it('says what was checked and that it matched', () => {
    expect(caseCheckSummary(report())).toBe(
      'Intact: 1,234 pages, 12 captures, 96 artifacts (5.0 MB) match; custody log of 40 events unbroken',
    );
  });

  it('says the quick check read no page for its own sake', () => {
    expect(caseCheckSummary(report({ pages_checked: 0, captures_checked: 1, artifacts_checked: 1, bytes_checked: 200, events_checked: 1 }))).toBe(
      'Intact (quick check: pages that hold no evidence were not read): 1 capture, 1 artifact (200 B) match; custody log of 1 event unbroken',
    );
  });

  it('counts the problems when it is not intact', () => {
    const r = report({ ok: false, problems: [{ code: 'page_damaged', message: 'x' }, { code: 'artifact_changed', message: 'y' }] });
    expect(caseCheckSummary(r)).toBe(
      'Not intact: 2 problems found in 1,234 pages, 12 captures, 96 artifacts (5.0 MB) and a custody log of 40 events',
    );
  });
});

describe('problems', () => {
  it('labels each by its code, never by its message', () => {
    expect(problemLabel('page_damaged')).toBe('Damaged page');
    expect(problemLabel('event_unlinked')).toBe('Custody log broken');
    expect(problemLabel('something_new')).toBe('Problem');
  });

  it('says where each is', () => {
    expect(problemPlace({ code: 'artifact_changed', capture_id: 7, artifact: 'screenshot', event_seq: 9, message: '' })).toBe(
      'capture #7 · screenshot · custody event #9',
    );
    expect(problemPlace({ code: 'page_damaged', message: 'Page 3 of the case file …' })).toBe('');
  });

  it('advises by the codes found', () => {
    expect(caseCheckAdvice(report())).toBeNull();
    // The same message under another code gives other advice: the message is never read.
    const message = 'The case file is damaged.';
    const damaged = caseCheckAdvice(report({ ok: false, problems: [{ code: 'page_damaged', message }] }));
    const changed = caseCheckAdvice(report({ ok: false, problems: [{ code: 'artifact_changed', message }] }));
    expect(damaged).toMatch(/damaged on disk/);
    expect(changed).toMatch(/no longer matches/);
  });
});
