import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));
vi.mock('@tauri-apps/api/webview', () => ({ getCurrentWebview: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import * as backend from './backend';
import { toAppError } from './errors';

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('backend error normalisation', () => {
  it('passes a backend {code, message} through unchanged', async () => {
    invokeMock.mockRejectedValueOnce({ code: 'wrong_passphrase', message: 'The passphrase is wrong.' });
    expect(await rejection(backend.openCase('/tmp/a.exhibit', 'nope'))).toEqual({
      code: 'wrong_passphrase',
      message: 'The passphrase is wrong.',
    });
  });

  it('turns a string rejection into an internal error with that text', async () => {
    invokeMock.mockRejectedValueOnce('command not found');
    expect(await rejection(backend.caseInfo())).toEqual({ code: 'internal', message: 'command not found' });
  });

  it('turns an Error into an internal error with its message', async () => {
    invokeMock.mockRejectedValueOnce(new TypeError('window.__TAURI_INTERNALS__ is undefined'));
    expect(await rejection(backend.recentCases())).toEqual({
      code: 'internal',
      message: 'window.__TAURI_INTERNALS__ is undefined',
    });
  });

  it('handles undefined, numbers and odd objects', () => {
    expect(toAppError(undefined)).toEqual({ code: 'internal', message: 'undefined' });
    expect(toAppError(42)).toEqual({ code: 'internal', message: '42' });
    expect(toAppError({ code: 3 })).toEqual({ code: 'internal', message: '{"code":3}' });
  });

  it('normalises dialog and opener failures too', async () => {
    invokeMock.mockRejectedValueOnce({ code: 'bad_input', message: 'The dialog purpose is not in the expected shape.' });
    expect(await rejection(backend.choosePath('bundle'))).toEqual({
      code: 'bad_input',
      message: 'The dialog purpose is not in the expected shape.',
    });
    // The folder is shown by the backend, which refuses a path this run did not export.
    invokeMock.mockRejectedValueOnce({ code: 'not_exported', message: 'Only a packet this app has just exported can be shown in its folder.' });
    expect(await rejection(backend.revealInFolder('/etc/passwd'))).toEqual({
      code: 'not_exported',
      message: 'Only a packet this app has just exported can be shown in its folder.',
    });
    expect(invokeMock).toHaveBeenLastCalledWith('reveal_export', { path: '/etc/passwd' });
  });
});

describe('commands', () => {
  it('resolves with the result and sends camelCase arguments', async () => {
    invokeMock.mockResolvedValueOnce({ batch_id: 3 });
    expect(await backend.startCapture(['https://a.example'], 'http')).toEqual({ batch_id: 3 });
    expect(invokeMock).toHaveBeenLastCalledWith('start_capture', { urls: ['https://a.example'], mode: 'http' });

    invokeMock.mockResolvedValueOnce(null);
    await backend.cancelCapture(3);
    expect(invokeMock).toHaveBeenLastCalledWith('cancel_capture', { batchId: 3 });

    invokeMock.mockResolvedValueOnce({ job_id: 'j1' });
    const draft = { venue: 'dmca' as const, rights_holder: { name: 'J' } };
    await backend.startExport(draft, '/out', 'ACME-');
    expect(invokeMock).toHaveBeenLastCalledWith('start_export', { draft, outDir: '/out', batesPrefix: 'ACME-' });
    invokeMock.mockResolvedValueOnce({ job_id: 'j2' });
    await backend.startExport(draft, '/out');
    expect(invokeMock).toHaveBeenLastCalledWith('start_export', { draft, outDir: '/out' });

    invokeMock.mockResolvedValueOnce({ total: 0, items: [] });
    await backend.capturePage({ offset: 60, limit: 60, linked: false });
    expect(invokeMock).toHaveBeenLastCalledWith('capture_page', { query: { offset: 60, limit: 60, linked: false } });

    invokeMock.mockResolvedValueOnce({ score: 4, acceptable: true, warning: null, suggestions: [] });
    await backend.passphraseStrength('pw', ['Acme']);
    expect(invokeMock).toHaveBeenLastCalledWith('passphrase_strength', { passphrase: 'pw', inputs: ['Acme'] });
  });

  it('asks the backend to open each dialog, and names only chosen paths afterwards', async () => {
    invokeMock.mockResolvedValueOnce('/home/u/list.csv');
    expect(await backend.choosePath('url_list')).toBe('/home/u/list.csv');
    expect(invokeMock).toHaveBeenLastCalledWith('choose_path', { purpose: 'url_list' });
    invokeMock.mockResolvedValueOnce(null);
    expect(await backend.choosePath('case_new', 'acme.exhibit')).toBeNull();
    expect(invokeMock).toHaveBeenLastCalledWith('choose_path', { purpose: 'case_new', suggestedName: 'acme.exhibit' });

    invokeMock.mockRejectedValueOnce({ code: 'path_not_chosen', message: 'Not chosen.' });
    expect(await rejection(backend.readUrlList('/etc/passwd'))).toEqual({ code: 'path_not_chosen', message: 'Not chosen.' });
    expect(invokeMock).toHaveBeenLastCalledWith('read_url_list', { path: '/etc/passwd' });

    invokeMock.mockResolvedValueOnce({ path: '/a.wacz', captures: [] });
    await backend.importWacz('/a.wacz');
    expect(invokeMock).toHaveBeenLastCalledWith('import_wacz', { path: '/a.wacz' });
    invokeMock.mockResolvedValueOnce({ path: '/b.wacz', pages: 1 });
    await backend.exportWacz('/b.wacz');
    expect(invokeMock).toHaveBeenLastCalledWith('export_wacz', { path: '/b.wacz' });
  });

  it('checks the open case through verify_case, every page unless asked for the quick check', async () => {
    const report = {
      ok: true,
      problems: [],
      pages_checked: 42,
      captures_checked: 2,
      artifacts_checked: 9,
      bytes_checked: 123456,
      events_checked: 5,
      custody_head: 'ab'.repeat(32),
    };
    invokeMock.mockResolvedValueOnce(report);
    expect(await backend.verifyCase(false)).toEqual(report);
    expect(invokeMock).toHaveBeenLastCalledWith('verify_case', { quick: false });
    invokeMock.mockResolvedValueOnce({ ...report, pages_checked: 0 });
    expect((await backend.verifyCase(true)).pages_checked).toBe(0);
    expect(invokeMock).toHaveBeenLastCalledWith('verify_case', { quick: true });
    invokeMock.mockRejectedValueOnce({ code: 'busy', message: 'A capture batch is running.' });
    expect(await rejection(backend.verifyCase(false))).toEqual({ code: 'busy', message: 'A capture batch is running.' });
  });

  it('reads packet bytes whether they come as an ArrayBuffer or a number array', async () => {
    invokeMock.mockResolvedValueOnce(new Uint8Array([37, 80, 68, 70]).buffer);
    expect(Array.from(await backend.packetBytes('/p.pdf'))).toEqual([37, 80, 68, 70]);
    invokeMock.mockResolvedValueOnce([37, 80]);
    expect(Array.from(await backend.packetBytes('/p.pdf'))).toEqual([37, 80]);
    invokeMock.mockRejectedValueOnce({ code: 'not_exported', message: 'Not exported here.' });
    expect(await rejection(backend.packetBytes('/etc/passwd'))).toEqual({ code: 'not_exported', message: 'Not exported here.' });
  });

  it('subscribes to events and hands over the payload', async () => {
    const unlisten = vi.fn();
    let handler: ((e: { payload: unknown }) => void) | undefined;
    vi.mocked(listen).mockImplementationOnce(async (_name, h) => {
      handler = h as typeof handler;
      return unlisten;
    });
    const seen: unknown[] = [];
    const off = await backend.onCaptureProgress((p) => seen.push(p));
    expect(vi.mocked(listen).mock.calls[0][0]).toBe('capture-progress');
    handler!({ payload: { batch_id: 1, index: 0, url: 'u', state: 'ok' } });
    expect(seen).toEqual([{ batch_id: 1, index: 0, url: 'u', state: 'ok' }]);
    off();
    expect(unlisten).toHaveBeenCalled();
  });

  it('builds screenshot URLs on the exhibit protocol only', () => {
    expect(backend.screenshotUrl(12, 360)).toBe('exhibit://localhost/capture/12/screenshot?w=360');
    expect(backend.screenshotUrl(12)).toBe('exhibit://localhost/capture/12/screenshot');
  });

  it("sends the campaign's choices as the commands take them: recapture scope and mode, threshold, timeline", async () => {
    invokeMock.mockResolvedValue({ job_id: 1 });
    await backend.startRecapture();
    await backend.startRecapture({ filing: 3 });
    await backend.startRecapture({ listings: [2, 5], mode: 'http' });
    await backend.startRecapture({ all: true, mode: 'browser' });
    expect(invokeMock.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['start_recapture', {}],
      ['start_recapture', { filing: 3 }],
      ['start_recapture', { listings: [2, 5], mode: 'http' }],
      ['start_recapture', { all: true, mode: 'browser' }],
    ]);
    invokeMock.mockReset();
    invokeMock.mockResolvedValue({});
    await backend.relistings();
    await backend.relistings(4);
    await backend.decideRelisting(1, 2, true);
    await backend.decideRelisting(1, 2, false, 4);
    await backend.timeline();
    await backend.sellers();
    expect(invokeMock.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['relistings', {}],
      ['relistings', { threshold: 4 }],
      ['decide_relisting', { original: 1, relisting: 2, confirmed: true }],
      ['decide_relisting', { original: 1, relisting: 2, confirmed: false, threshold: 4 }],
      ['timeline', undefined],
      ['sellers', undefined],
    ]);
  });
});
