//! The custody log: an append-only hash chain of everything that happened to a case.
//!
//! Scheme (version 1). Event `n` has a sequence number `seq` (1, 2, 3, … with no gaps),
//! a UTC time `at` (RFC 3339 with milliseconds), a `kind`, a `detail` (a JSON text,
//! stored and hashed exactly as written), and `prev_hash`, the hash of event `n - 1`
//! (64 zeros for the first event). Its hash is
//!
//! ```text
//! SHA-256( "exhibit-custody-v1\n" seq "\n" at "\n" kind "\n" prev_hash "\n" detail )
//! ```
//!
//! over the UTF-8 bytes, with `seq` in decimal and `prev_hash` in lower-case hex. Anyone
//! can recompute it from the exported JSON Lines with a few lines of any language.
//! Changing, inserting or removing an event breaks the link to every later one; removing
//! events from the end is caught only against a head hash recorded elsewhere (the packet
//! prints it, and trusted timestamps will anchor it).

use serde::{Deserialize, Serialize};

use crate::digest::{Digest, sha256};

/// `prev_hash` of the first event.
pub const GENESIS_HASH: Digest = Digest([0u8; 32]);

/// What a custody event records. Stored by name; the names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustodyEventKind {
    #[serde(rename = "case.created")]
    CaseCreated,
    #[serde(rename = "collector.set")]
    CollectorSet,
    #[serde(rename = "capture.taken")]
    CaptureTaken,
    #[serde(rename = "passphrase.changed")]
    PassphraseChanged,
    #[serde(rename = "verification.run")]
    VerificationRun,
    #[serde(rename = "party.added")]
    PartyAdded,
    #[serde(rename = "right.added")]
    RightAdded,
    #[serde(rename = "file.attached")]
    FileAttached,
    #[serde(rename = "artifact.exported")]
    ArtifactExported,
    /// A packet and bundle were exported; the detail names the manifest digest and the
    /// custody head the bundle covers.
    #[serde(rename = "export.made")]
    ExportMade,
    /// An independent time-stamp authority signed a time for a capture or an export; the
    /// detail names the stamped digest, the authority, its time and the token's hash.
    #[serde(rename = "timestamp.added")]
    TimestampAdded,
    /// No time-stamp authority gave a time that verified; the detail lists each one
    /// tried and why, so the gap is on record until `exhibit timestamp` fills it.
    #[serde(rename = "timestamp.missed")]
    TimestampMissed,
    /// An export's manifest got a trusted time (bookkeeping: the evidence is unchanged).
    #[serde(rename = "export.timestamped")]
    ExportTimestamped,
    /// No authority gave an export's manifest a verified time.
    #[serde(rename = "export.timestamp_missed")]
    ExportTimestampMissed,
    /// The case's captures were written to a WACZ web archive (bookkeeping: the evidence
    /// is unchanged); the detail names the file, its SHA-256 and its pages.
    #[serde(rename = "wacz.exported")]
    WaczExported,
    /// Captures were imported from a WACZ made elsewhere; the detail names the file and
    /// its SHA-256, its `datapackage.json` SHA-256, the software that made it, and the
    /// capture ids it became.
    #[serde(rename = "import.made")]
    ImportMade,
    /// A complaint was sent to a venue; the detail names the filing, its venue, the
    /// platform's reference, the day filed, the export it was made from and the
    /// listings it reported (each with the capture it showed).
    #[serde(rename = "filing.added")]
    FilingAdded,
    /// An answer about one listing of a filing came in; the detail names the outcome,
    /// its day, the reason given and the attached answer's hash.
    #[serde(rename = "outcome.recorded")]
    OutcomeRecorded,
    /// The user confirmed or dismissed a suggested relisting; the detail names the two
    /// listings and the reasons they were linked.
    #[serde(rename = "relisting.decided")]
    RelistingDecided,
    /// A test purchase was recorded; the detail repeats its row (listing, order number,
    /// date, platform, buyer account, amount, last four digits, ship-to).
    #[serde(rename = "purchase.added")]
    PurchaseAdded,
    /// Shipping facts of a test purchase arrived (tracking, carrier, ship-from,
    /// delivery); the detail repeats them.
    #[serde(rename = "purchase.updated")]
    PurchaseUpdated,
    /// A file of a test purchase was attached; the detail names it, its kind and its
    /// SHA-256.
    #[serde(rename = "purchase.file_attached")]
    PurchaseFileAttached,
    /// The comparison with a genuine item gave its verdict (once per purchase).
    #[serde(rename = "purchase.verdict")]
    PurchaseVerdict,
    /// The physical item changed hands: who released it, who received it, when, where
    /// and under which seal.
    #[serde(rename = "item.custody")]
    ItemCustody,
}

impl CustodyEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustodyEventKind::CaseCreated => "case.created",
            CustodyEventKind::CollectorSet => "collector.set",
            CustodyEventKind::CaptureTaken => "capture.taken",
            CustodyEventKind::PassphraseChanged => "passphrase.changed",
            CustodyEventKind::VerificationRun => "verification.run",
            CustodyEventKind::PartyAdded => "party.added",
            CustodyEventKind::RightAdded => "right.added",
            CustodyEventKind::FileAttached => "file.attached",
            CustodyEventKind::ArtifactExported => "artifact.exported",
            CustodyEventKind::ExportMade => "export.made",
            CustodyEventKind::TimestampAdded => "timestamp.added",
            CustodyEventKind::TimestampMissed => "timestamp.missed",
            CustodyEventKind::ExportTimestamped => "export.timestamped",
            CustodyEventKind::ExportTimestampMissed => "export.timestamp_missed",
            CustodyEventKind::WaczExported => "wacz.exported",
            CustodyEventKind::ImportMade => "import.made",
            CustodyEventKind::FilingAdded => "filing.added",
            CustodyEventKind::OutcomeRecorded => "outcome.recorded",
            CustodyEventKind::RelistingDecided => "relisting.decided",
            CustodyEventKind::PurchaseAdded => "purchase.added",
            CustodyEventKind::PurchaseUpdated => "purchase.updated",
            CustodyEventKind::PurchaseFileAttached => "purchase.file_attached",
            CustodyEventKind::PurchaseVerdict => "purchase.verdict",
            CustodyEventKind::ItemCustody => "item.custody",
        }
    }
}

/// One stored link of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CustodyEvent {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    /// The detail JSON text exactly as hashed.
    pub detail: String,
    pub prev_hash: Digest,
    pub hash: Digest,
}

impl CustodyEvent {
    /// The hash an event with these fields must carry.
    pub fn compute_hash(
        seq: i64,
        at: &str,
        kind: &str,
        prev_hash: &Digest,
        detail: &str,
    ) -> Digest {
        let text = format!(
            "exhibit-custody-v1\n{seq}\n{at}\n{kind}\n{}\n{detail}",
            prev_hash.to_hex()
        );
        sha256(text.as_bytes())
    }

    /// Whether the stored hash matches the stored fields.
    pub fn hash_is_consistent(&self) -> bool {
        Self::compute_hash(
            self.seq,
            &self.at,
            &self.kind,
            &self.prev_hash,
            &self.detail,
        ) == self.hash
    }
}

/// How a custody log breaks its chain at one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainBreak {
    /// Events `from` to `to` are not in the log: this event stands where `from` should.
    Missing { from: i64, to: i64 },
    /// The event's hash does not match its fields: it was changed after it was written.
    Changed,
    /// The event does not point at the event before it.
    Unlinked,
}

/// One break of the chain: which event (its place in the log, from 0, and its number)
/// and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub index: usize,
    pub seq: i64,
    pub kind: ChainBreak,
}

/// Walks a custody log from its first event, the one rule every reader of a log uses
/// (the case's `verify`, a bundle's verifier): numbers consecutive from 1, each event's
/// hash matching its fields, each event pointing at the hash of the one before (the
/// first at [`GENESIS_HASH`]). Every break is reported, in log order and, for one
/// event, in that order; after a break the walk goes on from the event as it stands,
/// so one edit is not reported again at every later event.
pub fn walk_chain(events: &[CustodyEvent]) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH;
    for (index, e) in events.iter().enumerate() {
        let mut push = |kind| {
            breaks.push(Break {
                index,
                seq: e.seq,
                kind,
            })
        };
        if e.seq != expected_seq {
            push(ChainBreak::Missing {
                from: expected_seq,
                to: e.seq.saturating_sub(1),
            });
        }
        if e.prev_hash != prev_hash {
            push(ChainBreak::Unlinked);
        }
        if !e.hash_is_consistent() {
            push(ChainBreak::Changed);
        }
        expected_seq = e.seq.saturating_add(1);
        prev_hash = e.hash;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_every_field() {
        let h = CustodyEvent::compute_hash(
            1,
            "2026-01-01T00:00:00.000Z",
            "case.created",
            &GENESIS_HASH,
            "{}",
        );
        let mut e = CustodyEvent {
            seq: 1,
            at: "2026-01-01T00:00:00.000Z".into(),
            kind: "case.created".into(),
            detail: "{}".into(),
            prev_hash: GENESIS_HASH,
            hash: h,
        };
        assert!(e.hash_is_consistent());
        e.detail = "{ }".into();
        assert!(!e.hash_is_consistent());
        e.detail = "{}".into();
        e.seq = 2;
        assert!(!e.hash_is_consistent());
    }

    #[test]
    fn hash_is_reproducible_from_the_documented_text() {
        let expected = sha256(
            format!(
                "exhibit-custody-v1\n7\nT\nk\n{}\n{{\"a\":1}}",
                GENESIS_HASH.to_hex()
            )
            .as_bytes(),
        );
        assert_eq!(
            CustodyEvent::compute_hash(7, "T", "k", &GENESIS_HASH, "{\"a\":1}"),
            expected
        );
    }

    fn chain(n: i64) -> Vec<CustodyEvent> {
        let mut out: Vec<CustodyEvent> = Vec::new();
        for seq in 1..=n {
            let prev = out.last().map_or(GENESIS_HASH, |e| e.hash);
            let detail = format!("{{\"n\":{seq}}}");
            out.push(CustodyEvent {
                seq,
                at: "2026-01-01T00:00:00Z".into(),
                kind: "capture.added".into(),
                prev_hash: prev,
                hash: CustodyEvent::compute_hash(
                    seq,
                    "2026-01-01T00:00:00Z",
                    "capture.added",
                    &prev,
                    &detail,
                ),
                detail,
            });
        }
        out
    }

    #[test]
    fn a_whole_chain_has_no_break() {
        assert!(walk_chain(&chain(5)).is_empty());
        assert!(walk_chain(&[]).is_empty());
    }

    #[test]
    fn a_gap_an_edit_and_a_forged_link_are_each_named_once() {
        let mut events = chain(6);
        events.remove(1);
        events[3].detail = "{\"n\":99}".into();
        let e = &mut events[4];
        e.prev_hash = sha256(b"forged");
        e.hash = CustodyEvent::compute_hash(e.seq, &e.at, &e.kind, &e.prev_hash, &e.detail);
        let kinds: Vec<(usize, i64, ChainBreak)> = walk_chain(&events)
            .into_iter()
            .map(|b| (b.index, b.seq, b.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (1, 3, ChainBreak::Missing { from: 2, to: 2 }),
                (1, 3, ChainBreak::Unlinked),
                (3, 5, ChainBreak::Changed),
                (4, 6, ChainBreak::Unlinked),
            ]
        );
    }
}
