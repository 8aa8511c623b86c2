import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { emptyDraft, type ComplaintFile } from './complaint';
import { DraftStore, type DraftApi } from './draftStore.svelte';
import type { ComplaintCheck } from './types';

function fakeApi() {
  const saved: ComplaintFile[] = [];
  const checked: ComplaintFile[] = [];
  // The facade names the venue by its title in the check.
  let respond: (d: ComplaintFile) => ComplaintCheck = () => ({ venue: 'DMCA notice (17 U.S.C. § 512(c)(3))', issues: [], batches: [1], schedule_a: null });
  const api: DraftApi = {
    saveDraft: vi.fn(async (d: ComplaintFile) => {
      saved.push(d);
      return null;
    }),
    checkDraft: vi.fn(async (d: ComplaintFile) => {
      checked.push(d);
      return respond(d);
    }),
  };
  return { api, saved, checked, setResponse: (f: typeof respond) => (respond = f) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DraftStore', () => {
  it('saves and checks once, 300 ms after the last keystroke, with the cleaned draft', async () => {
    const f = fakeApi();
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('dmca'));
    await vi.advanceTimersByTimeAsync(300);
    expect(f.checked).toHaveLength(1);
    s.set('rights_holder.name', 'J');
    s.set('rights_holder.name', 'Ja');
    s.set('rights_holder.organization', '');
    s.set('rights_holder.name', 'Jane');
    expect(s.saveState).toBe('pending');
    await vi.advanceTimersByTimeAsync(299);
    expect(f.saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.saved).toHaveLength(1);
    expect(f.saved[0].rights_holder).toEqual({ name: 'Jane' });
    expect(f.checked).toHaveLength(2);
    expect(s.saveState).toBe('saved');
  });

  it("shows the backend's issues, and the quick checks for fields edited since", async () => {
    const f = fakeApi();
    f.setResponse(() => ({
      venue: 'EU Digital Services Act notice (Article 16)',
      issues: [
        { severity: 'error', field: 'rights_holder.email', message: 'Backend: the email is missing.' },
        { severity: 'error', field: 'listing', message: 'Backend: nothing to report.' },
      ],
      batches: [],
      schedule_a: null,
    }));
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('eu-dsa'));
    await vi.advanceTimersByTimeAsync(300);
    flushSync();
    expect(s.fresh).toBe(true);
    expect(s.issues.map((i) => i.message)).toEqual(['Backend: the email is missing.', 'Backend: nothing to report.']);

    s.set('rights_holder.email', 'legal@acme.example');
    flushSync();
    expect(s.fresh).toBe(false);
    // The backend's stale complaint about the email is gone at once; the rest stays.
    expect(s.issues.map((i) => i.message)).toEqual(['Backend: nothing to report.']);

    s.set('rights_holder.email', 'legal at acme');
    flushSync();
    expect(s.issues.find((i) => i.field === 'rights_holder.email')?.message).toMatch(/does not look like an email/);
  });

  it('ignores a check that comes back after a newer one was sent', async () => {
    const f = fakeApi();
    const resolvers: ((c: ComplaintCheck) => void)[] = [];
    f.api.checkDraft = vi.fn(() => new Promise<ComplaintCheck>((r) => resolvers.push(r)));
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('dmca'));
    await vi.advanceTimersByTimeAsync(300);
    s.set('narrative', 'x');
    await vi.advanceTimersByTimeAsync(300);
    expect(resolvers).toHaveLength(2);
    resolvers[1]({ venue: 'dmca', issues: [], batches: [2], schedule_a: null });
    await vi.advanceTimersByTimeAsync(0);
    resolvers[0]({ venue: 'dmca', issues: [{ severity: 'error', field: 'old', message: 'old' }], batches: [1], schedule_a: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.check?.batches).toEqual([2]);
  });

  it('falls back to the quick checks when check_draft fails, and reports a failed save', async () => {
    const f = fakeApi();
    f.api.checkDraft = vi.fn(async () => {
      throw { code: 'no_case', message: 'No case is open.' };
    });
    f.api.saveDraft = vi.fn(async () => {
      throw 'disk full';
    });
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('dmca'));
    s.set('rights_holder.name', 'Jane');
    await vi.advanceTimersByTimeAsync(300);
    flushSync();
    expect(s.checkError).toEqual({ code: 'no_case', message: 'No case is open.' });
    expect(s.issues.some((i) => i.field === 'right')).toBe(true);
    expect(s.saveState).toBe('error');
    expect(s.saveError).toEqual({ code: 'internal', message: 'disk full' });
  });

  it('flush saves at once', async () => {
    const f = fakeApi();
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('dmca'));
    s.set('narrative', 'Because.');
    await s.flush();
    expect(f.saved.at(-1)?.narrative).toBe('Because.');
  });
});

describe('DraftStore after a venue switch', () => {
  it("does not show the old venue's backend issues while the new check runs", async () => {
    vi.useFakeTimers();
    const f = fakeApi();
    f.setResponse((d) => ({
      venue: d.venue === 'alibaba-ipp' ? 'Alibaba IPP' : 'EU Digital Services Act notice (Article 16)',
      issues: d.venue === 'alibaba-ipp' ? [{ severity: 'error', field: 'alibaba.platform', message: 'Backend: platform.' }] : [],
      batches: [],
      schedule_a: null,
    }));
    const s = new DraftStore(f.api, 300);
    s.reset(emptyDraft('alibaba-ipp'));
    await vi.advanceTimersByTimeAsync(300);
    flushSync();
    expect(s.issues.map((i) => i.field)).toContain('alibaba.platform');
    s.set('venue', 'eu-dsa');
    flushSync();
    expect(s.issues.map((i) => i.field)).not.toContain('alibaba.platform');
    expect(s.issues.map((i) => i.field)).toContain('narrative');
    await vi.advanceTimersByTimeAsync(300);
    flushSync();
    expect(s.issues).toEqual([]);
    vi.useRealTimers();
  });
});
