// The complaints of examples/*.toml, keyed by file stem, exactly as the app hands a
// complaint to the UI: read by the backend's `ComplaintFile::from_toml` and sent as
// serde's JSON. `examples.json` is generated from the examples by
// src-tauri/src/bindings.rs, whose test fails when it is stale.

import type { ComplaintFile } from './complaint';
import examples from './examples.json';

export const EXAMPLES: Record<string, ComplaintFile> = examples as Record<string, ComplaintFile>;
