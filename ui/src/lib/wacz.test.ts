import { describe, expect, it } from 'vitest';
import type { WaczExportReport, WaczImportReport } from './types';
import { exportSummary, fileName, importSummary, signatureOf } from './wacz';

const base: WaczImportReport = {
  path: '/home/u/crawl.wacz',
  sha256: 'a'.repeat(64),
  datapackage_sha256: 'b'.repeat(64),
  software: null,
  pages: 1,
  records_checked: 1,
  unverified_records: 1,
  signature_present: false,
  signature: null,
  signer: null,
  signed_at: null,
  captures: [{ capture_id: 1, page_id: 'p', url: 'https://a.example/', status: 'ok', http_status: 200, title: null, error: null, record_id: null }],
};

describe('WACZ results', () => {
  it('names the signer and time, or says unsigned', () => {
    expect(signatureOf({ ...base, signature_present: true, signer: 'key:ab12', signed_at: '2026-11-28T12:00:00Z' })).toEqual({
      state: 'signed',
      text: 'Signed by key:ab12 at 2026-11-28T12:00:00Z',
    });
    expect(signatureOf({ ...base, signer: 'example.org' }).text).toBe('Signed by example.org');
    expect(signatureOf({ ...base, signature_present: false, signer: null }).state).toBe('unsigned');
    expect(signatureOf(base)).toEqual({ state: 'unsigned', text: 'Unsigned' });
    expect(signatureOf({ ...base, signature_present: true }).state).toBe('unchecked');
  });

  it('sums up an import and an export in one sentence', () => {
    expect(importSummary(base)).toBe(
      'Imported 1 page from crawl.wacz (the software that wrote it is not named; 1 WARC record checked, 1 record without a digest of their own).',
    );
    const out: WaczExportReport = { path: '/o/c.wacz', pages: 3, records: 12, bytes: 123456, sha256: 'c'.repeat(64), datapackage_sha256: 'd'.repeat(64), skipped: [{ capture_id: 4, reason: 'x' }] };
    expect(exportSummary(out)).toBe('Wrote 3 pages (12 WARC records, 123,456 bytes). 1 capture could not be written and is listed below.');
    expect(fileName('C:\\u\\a.wacz')).toBe('a.wacz');
  });
});
