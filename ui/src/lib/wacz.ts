// How the results of a WACZ import and export read. Pure: the components bind these
// strings as text (everything in them may come from the imported file).

import type { WaczExportReport, WaczImportReport } from './types';

/** Whether and by whom an imported archive was signed. */
export interface SignatureState {
  state: 'signed' | 'unsigned' | 'unchecked';
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The file name at the end of a path (either separator). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * "Signed by X at T" when the facade names a signer, "Unsigned" when it says there is no
 * signature. A signed archive whose signature fails never gets here: the import is refused
 * with its own error code.
 */
export function signatureOf(r: WaczImportReport): SignatureState {
  if (r.signer) {
    return { state: 'signed', text: r.signed_at ? `Signed by ${r.signer} at ${r.signed_at}` : `Signed by ${r.signer}` };
  }
  if (r.signature_present) {
    return { state: 'unchecked', text: 'Carries a signature, which this version of Exhibit does not check' };
  }
  return { state: 'unsigned', text: 'Unsigned' };
}

/** One sentence on what an import brought in. */
export function importSummary(r: WaczImportReport): string {
  const by = r.software ? `written by ${r.software}` : 'the software that wrote it is not named';
  const unverified = r.unverified_records
    ? `, ${plural(r.unverified_records, 'record')} without a digest of their own`
    : '';
  return `Imported ${plural(r.captures.length, 'page')} from ${fileName(r.path)} (${by}; ${plural(r.records_checked, 'WARC record')} checked${unverified}).`;
}

/** One sentence on what an export wrote. */
export function exportSummary(r: WaczExportReport): string {
  const skipped = r.skipped.length ? ` ${plural(r.skipped.length, 'capture')} could not be written and ${r.skipped.length === 1 ? 'is' : 'are'} listed below.` : '';
  return `Wrote ${plural(r.pages, 'page')} (${plural(r.records, 'WARC record')}, ${r.bytes.toLocaleString('en')} bytes).${skipped}`;
}
