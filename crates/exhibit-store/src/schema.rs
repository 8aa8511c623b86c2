//! Versioned, append-only schema migrations.
//!
//! Never edit or reorder a migration that has shipped: add a new one at the end. The
//! case file's `user_version` counts the migrations applied, so a case made by a newer
//! Exhibit (more migrations than this build knows) is refused with a clear error.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every case file: "EXHB" in ASCII.
pub const APPLICATION_ID: i64 = 0x4558_4842;

/// The first schema. Its `parties`, `ip_rights` and `ip_right_files` tables are unused:
/// the rights holder, agent and rights are the complaint file's now. They stay, because a
/// migration is never edited once shipped.
const V1: &str = r#"
CREATE TABLE case_info (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    format      TEXT NOT NULL
);

CREATE TABLE collector (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    name         TEXT NOT NULL,
    organization TEXT,
    role         TEXT,
    contact      TEXT
);

CREATE TABLE parties (
    id           INTEGER PRIMARY KEY,
    role         TEXT NOT NULL CHECK (role IN ('rights_holder', 'agent')),
    name         TEXT NOT NULL,
    organization TEXT,
    address      TEXT,
    email        TEXT,
    phone        TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE ip_rights (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('trademark', 'copyright', 'design', 'patent')),
    registration_number TEXT NOT NULL,
    office              TEXT NOT NULL,
    classes             TEXT NOT NULL,   -- JSON array of strings
    owner               TEXT NOT NULL,
    created_at          TEXT NOT NULL
);

-- Certificates and other files attached to a right, hashed when attached.
CREATE TABLE ip_right_files (
    id          INTEGER PRIMARY KEY,
    ip_right_id INTEGER NOT NULL REFERENCES ip_rights(id),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    added_at    TEXT NOT NULL
);

-- A listing is one item on one marketplace; it can be captured many times.
CREATE TABLE listings (
    id          INTEGER PRIMARY KEY,
    marketplace TEXT NOT NULL,
    listing_ref TEXT NOT NULL,
    first_url   TEXT NOT NULL,
    UNIQUE (marketplace, listing_ref)
);

CREATE TABLE captures (
    id            INTEGER PRIMARY KEY,
    listing_id    INTEGER REFERENCES listings(id),
    mode          TEXT NOT NULL,
    requested_url TEXT NOT NULL,
    final_url     TEXT,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'blocked', 'removed', 'failed')),
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    record        TEXT NOT NULL,     -- the canonical capture record, JSON, exactly as hashed
    record_sha256 TEXT NOT NULL
);
CREATE INDEX captures_listing ON captures(listing_id);

CREATE TABLE artifacts (
    id          INTEGER PRIMARY KEY,
    capture_id  INTEGER NOT NULL REFERENCES captures(id),
    kind        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    UNIQUE (capture_id, kind)
);

CREATE TABLE custody_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

-- The custody log is append-only, and evidence bytes never change once stored.
-- These triggers make that hold for every code path, not just the ones we wrote.
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER artifacts_no_update BEFORE UPDATE ON artifacts
BEGIN SELECT RAISE(ABORT, 'stored evidence cannot be changed'); END;
CREATE TRIGGER artifacts_no_delete BEFORE DELETE ON artifacts
BEGIN SELECT RAISE(ABORT, 'stored evidence cannot be deleted'); END;
CREATE TRIGGER captures_no_update BEFORE UPDATE ON captures
BEGIN SELECT RAISE(ABORT, 'a capture record cannot be changed'); END;
CREATE TRIGGER captures_no_delete BEFORE DELETE ON captures
BEGIN SELECT RAISE(ABORT, 'a capture record cannot be deleted'); END;
"#;

/// The app's working state, and files attached to the case by name.
const V2: &str = r#"
-- The complaint being prepared in the app, as JSON. It is work in progress, edited as
-- the user types, so it is not evidence and not in the custody log; what is exported
-- from it is.
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    complaint  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Certificates, identity proofs and other files a complaint names, by a name unique in
-- the case. Hashed when attached, logged as 'file.attached', never changed.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    content    BLOB NOT NULL,
    added_at   TEXT NOT NULL
);
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'an attached file cannot be changed'); END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'an attached file cannot be deleted'); END;
"#;

/// Trusted time: RFC 3161 tokens from independent time-stamp authorities.
const V3: &str = r#"
-- A token is stored only after it verified in full (status, imprint, nonce, signature,
-- chain to a trusted root with the timeStamping usage). `data` is the exact bytes whose
-- SHA-256 was stamped: a capture's timestamp statement, or an export's manifest.
CREATE TABLE timestamps (
    id              INTEGER PRIMARY KEY,
    subject         TEXT NOT NULL CHECK (subject IN ('capture', 'export')),
    capture_id      INTEGER REFERENCES captures(id),
    data            BLOB NOT NULL,
    data_sha256     TEXT NOT NULL,
    tsa_url         TEXT NOT NULL,
    tsa_name        TEXT NOT NULL,
    gen_time        TEXT NOT NULL,
    serial          TEXT NOT NULL,
    policy          TEXT NOT NULL,
    response        BLOB NOT NULL,   -- the TimeStampResp, DER: the bundle's .tsr file
    response_sha256 TEXT NOT NULL,
    delay_ms        INTEGER NOT NULL, -- gen_time minus the capture's end (or the export's start)
    recorded_at     TEXT NOT NULL,
    CHECK ((subject = 'capture') = (capture_id IS NOT NULL))
);
CREATE INDEX timestamps_capture ON timestamps(capture_id);
CREATE TRIGGER timestamps_no_update BEFORE UPDATE ON timestamps
BEGIN SELECT RAISE(ABORT, 'a timestamp cannot be changed'); END;
CREATE TRIGGER timestamps_no_delete BEFORE DELETE ON timestamps
BEGIN SELECT RAISE(ABORT, 'a timestamp cannot be deleted'); END;
"#;

/// The enforcement campaign: complaints sent, what the platforms answered, and the
/// relistings the user confirmed.
const V4: &str = r#"
-- One complaint sent to one venue. `filed_on` is the day it was sent (YYYY-MM-DD, UTC);
-- `export_sha256` the manifest of the export it was made from, when it was.
CREATE TABLE filings (
    id            INTEGER PRIMARY KEY,
    venue         TEXT NOT NULL,
    reference     TEXT NOT NULL,
    filed_on      TEXT NOT NULL,
    export_sha256 TEXT,
    recorded_at   TEXT NOT NULL
);

-- The listings a filing reported, each with the capture the complaint showed.
CREATE TABLE filing_listings (
    filing_id  INTEGER NOT NULL REFERENCES filings(id),
    listing_id INTEGER NOT NULL REFERENCES listings(id),
    capture_id INTEGER REFERENCES captures(id),
    PRIMARY KEY (filing_id, listing_id)
);

-- Each answer as it came in, never changed: a listing's outcome in a filing is its
-- latest by day, then by the order recorded. The platform's answer, when attached, is
-- a file in `attachments`.
CREATE TABLE outcomes (
    id            INTEGER PRIMARY KEY,
    filing_id     INTEGER NOT NULL,
    listing_id    INTEGER NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('pending', 'removed', 'rejected',
                    'counter-noticed', 'reinstated', 'withdrawn', 'no-answer')),
    on_date       TEXT NOT NULL,
    reason        TEXT,
    attachment_id INTEGER REFERENCES attachments(id),
    recorded_at   TEXT NOT NULL,
    FOREIGN KEY (filing_id, listing_id) REFERENCES filing_listings (filing_id, listing_id)
);
CREATE INDEX outcomes_listing ON outcomes(filing_id, listing_id);

-- The user's decisions on suggested relistings: `relisting_id` is `original_id` back
-- under a new link (confirmed), or not (dismissed). The latest decision on a pair holds.
CREATE TABLE relistings (
    id           INTEGER PRIMARY KEY,
    original_id  INTEGER NOT NULL REFERENCES listings(id),
    relisting_id INTEGER NOT NULL REFERENCES listings(id),
    decision     TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
    reasons      TEXT NOT NULL,   -- JSON: why the two were linked
    decided_at   TEXT NOT NULL,
    CHECK (original_id <> relisting_id)
);
CREATE INDEX relistings_pair ON relistings(original_id, relisting_id);

-- Perceptual hashes of a capture's main product image (its `image` artifact), to find
-- the same photo on another listing. Derived from the artifact, so not evidence: what
-- it suggests, a person confirms by looking at the two images.
CREATE TABLE image_hashes (
    capture_id INTEGER NOT NULL REFERENCES captures(id),
    algorithm  TEXT NOT NULL,    -- e.g. 'dhash-64-dc' (the exhibit crate's perceptual module)
    hash       TEXT NOT NULL,    -- the bits, hex
    PRIMARY KEY (capture_id, algorithm)
);

CREATE TRIGGER filings_no_update BEFORE UPDATE ON filings
BEGIN SELECT RAISE(ABORT, 'a filing cannot be changed'); END;
CREATE TRIGGER filings_no_delete BEFORE DELETE ON filings
BEGIN SELECT RAISE(ABORT, 'a filing cannot be deleted'); END;
CREATE TRIGGER filing_listings_no_update BEFORE UPDATE ON filing_listings
BEGIN SELECT RAISE(ABORT, 'a filing cannot be changed'); END;
CREATE TRIGGER filing_listings_no_delete BEFORE DELETE ON filing_listings
BEGIN SELECT RAISE(ABORT, 'a filing cannot be deleted'); END;
CREATE TRIGGER outcomes_no_update BEFORE UPDATE ON outcomes
BEGIN SELECT RAISE(ABORT, 'a recorded outcome cannot be changed'); END;
CREATE TRIGGER outcomes_no_delete BEFORE DELETE ON outcomes
BEGIN SELECT RAISE(ABORT, 'a recorded outcome cannot be deleted'); END;
CREATE TRIGGER relistings_no_update BEFORE UPDATE ON relistings
BEGIN SELECT RAISE(ABORT, 'a relisting decision cannot be changed'); END;
CREATE TRIGGER relistings_no_delete BEFORE DELETE ON relistings
BEGIN SELECT RAISE(ABORT, 'a relisting decision cannot be deleted'); END;
"#;

/// What each capture read off its page, and where it sits among its listing's
/// captures, copied out of its record when it is stored. Listings, timelines, figures
/// and relisting suggestions read these narrow rows instead of opening and parsing
/// every record (at 30,000 captures that was most of `stats` and `relisted`). Derived,
/// never changed: verify compares every row with its record.
const V5: &str = r#"
CREATE TABLE capture_facts (
    capture_id    INTEGER PRIMARY KEY REFERENCES captures(id),
    listing_id    INTEGER,
    mode          TEXT NOT NULL,
    requested_url TEXT NOT NULL,
    status        TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    -- As json_extract gives them (a price may be a number or text), so no type.
    marketplace, title, price, currency, seller_id, seller
);
CREATE INDEX capture_facts_listing ON capture_facts(listing_id, finished_at, capture_id);
INSERT INTO capture_facts
    SELECT id, listing_id, mode, requested_url, status, finished_at,
           json_extract(record, '$.facts.marketplace'), json_extract(record, '$.facts.title'),
           json_extract(record, '$.facts.price'), json_extract(record, '$.facts.currency'),
           json_extract(record, '$.facts.seller_id'), json_extract(record, '$.facts.seller')
    FROM captures;
CREATE TRIGGER capture_facts_fill AFTER INSERT ON captures
BEGIN
    INSERT INTO capture_facts VALUES (NEW.id, NEW.listing_id, NEW.mode, NEW.requested_url,
        NEW.status, NEW.finished_at,
        json_extract(NEW.record, '$.facts.marketplace'), json_extract(NEW.record, '$.facts.title'),
        json_extract(NEW.record, '$.facts.price'), json_extract(NEW.record, '$.facts.currency'),
        json_extract(NEW.record, '$.facts.seller_id'), json_extract(NEW.record, '$.facts.seller'));
END;
CREATE TRIGGER capture_facts_no_update BEFORE UPDATE ON capture_facts
BEGIN SELECT RAISE(ABORT, 'a capture''s facts cannot be changed'); END;
CREATE TRIGGER capture_facts_no_delete BEFORE DELETE ON capture_facts
BEGIN SELECT RAISE(ABORT, 'a capture''s facts cannot be deleted'); END;
"#;

/// Test purchases and the physical item's chain of custody. A purchase is bought from
/// one listing; what arrives later (tracking, carrier, the seller's ship-from address,
/// delivery) is a new row each time, never an UPDATE, and the latest given value of each
/// fact holds. Files (the order confirmation, receipt, label, photos, the comparison
/// with a genuine item) are hashed when attached. Every row is written with its custody
/// event, whose detail repeats it; verify compares the two and re-hashes every file.
const V6: &str = r#"
CREATE TABLE purchases (
    id             INTEGER PRIMARY KEY,
    listing_id     INTEGER NOT NULL REFERENCES listings(id),
    order_number   TEXT NOT NULL,
    ordered_on     TEXT NOT NULL,     -- YYYY-MM-DD
    platform       TEXT NOT NULL,     -- the listing's marketplace
    buyer          TEXT,              -- the buyer account used (a persona)
    amount         TEXT NOT NULL,     -- a decimal, as text: never a float
    currency       TEXT NOT NULL,
    payment_last4  TEXT CHECK (payment_last4 IS NULL
                      OR (length(payment_last4) = 4 AND payment_last4 NOT GLOB '*[^0-9]*')),
    ship_to        TEXT NOT NULL,
    ship_to_region TEXT,              -- e.g. US-IL, read off the ship-to address
    recorded_at    TEXT NOT NULL,
    UNIQUE (platform, order_number)
);
CREATE INDEX purchases_listing ON purchases(listing_id);

CREATE TABLE purchase_updates (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id),
    tracking     TEXT,
    carrier      TEXT,
    ship_from    TEXT,
    delivered_on TEXT,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX purchase_updates_purchase ON purchase_updates(purchase_id);

CREATE TABLE purchase_files (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('order', 'receipt', 'label', 'parcel-photo',
                    'product-photo', 'comparison')),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (purchase_id, file_name)
);

-- One verdict a purchase: the comparison with a genuine item is made once.
CREATE TABLE purchase_verdicts (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL UNIQUE REFERENCES purchases(id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('counterfeit', 'genuine', 'inconclusive')),
    decided_by  TEXT NOT NULL,
    method      TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Each handover of the physical item (FRE 901): who released it, who received it,
-- when, where, under which seal.
CREATE TABLE item_custody (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    released_by TEXT NOT NULL,
    received_by TEXT NOT NULL,
    at          TEXT NOT NULL,
    place       TEXT NOT NULL,
    seal        TEXT,
    note        TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX item_custody_purchase ON item_custody(purchase_id);

CREATE TRIGGER purchases_no_update BEFORE UPDATE ON purchases
BEGIN SELECT RAISE(ABORT, 'a purchase cannot be changed'); END;
CREATE TRIGGER purchases_no_delete BEFORE DELETE ON purchases
BEGIN SELECT RAISE(ABORT, 'a purchase cannot be deleted'); END;
CREATE TRIGGER purchase_updates_no_update BEFORE UPDATE ON purchase_updates
BEGIN SELECT RAISE(ABORT, 'a purchase update cannot be changed'); END;
CREATE TRIGGER purchase_updates_no_delete BEFORE DELETE ON purchase_updates
BEGIN SELECT RAISE(ABORT, 'a purchase update cannot be deleted'); END;
CREATE TRIGGER purchase_files_no_update BEFORE UPDATE ON purchase_files
BEGIN SELECT RAISE(ABORT, 'a purchase file cannot be changed'); END;
CREATE TRIGGER purchase_files_no_delete BEFORE DELETE ON purchase_files
BEGIN SELECT RAISE(ABORT, 'a purchase file cannot be deleted'); END;
CREATE TRIGGER purchase_verdicts_no_update BEFORE UPDATE ON purchase_verdicts
BEGIN SELECT RAISE(ABORT, 'a verdict cannot be changed'); END;
CREATE TRIGGER purchase_verdicts_no_delete BEFORE DELETE ON purchase_verdicts
BEGIN SELECT RAISE(ABORT, 'a verdict cannot be deleted'); END;
CREATE TRIGGER item_custody_no_update BEFORE UPDATE ON item_custody
BEGIN SELECT RAISE(ABORT, 'a custody entry cannot be changed'); END;
CREATE TRIGGER item_custody_no_delete BEFORE DELETE ON item_custody
BEGIN SELECT RAISE(ABORT, 'a custody entry cannot be deleted'); END;
"#;

/// How each artifact's bytes are kept (`packing.rs`): as received (`identity`, every
/// artifact stored before this migration) or as one zstd frame (`zstd`). `size` and
/// `sha256` stay those of the bytes as received.
const V7: &str = r#"
ALTER TABLE artifacts ADD COLUMN encoding TEXT NOT NULL DEFAULT 'identity'
    CHECK (encoding IN ('identity', 'zstd'));
"#;

/// Every migration, oldest first. Append only.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
    ])
}

/// How many migrations this build knows: the newest `user_version` it can open.
pub const LATEST_VERSION: i64 = 7;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
