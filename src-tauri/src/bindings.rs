//! The UI's TypeScript types, generated from the Rust types the commands and events
//! carry, so that the two cannot drift apart. `ui/src/lib/bindings.ts` holds them, and
//! `ui/src/lib/examples.json` holds `examples/*.toml` as the app hands a complaint to
//! the UI (read by `ComplaintFile::from_toml`, sent as serde's JSON), for the UI's
//! tests. Both are checked in; the test below fails when either is stale and says how
//! to write them again:
//!
//! ```text
//! EXHIBIT_WRITE_BINDINGS=1 cargo test -p exhibit-app --lib bindings
//! ```

#[cfg(test)]
mod tests {
    use std::any::TypeId;
    use std::collections::{BTreeMap, HashSet};
    use std::path::{Path, PathBuf};

    use ts_rs::{Config, TS};

    /// One generated declaration.
    struct Decl {
        name: String,
        id: TypeId,
        text: String,
        /// The declarations it names, by Rust type and TypeScript name.
        needs: Vec<(TypeId, String)>,
    }

    fn decl<T: TS + 'static + ?Sized>(cfg: &Config) -> Decl {
        let mut text = String::new();
        if let Some(docs) = T::docs() {
            text.push_str(&docs);
        }
        text.push_str("export ");
        text.push_str(&T::decl(cfg));
        Decl {
            name: T::name(cfg),
            id: TypeId::of::<T>(),
            text,
            needs: T::dependencies(cfg)
                .into_iter()
                .map(|d| (d.type_id, d.ts_name))
                .collect(),
        }
    }

    macro_rules! decls {
        ($cfg:expr; $($t:ty),* $(,)?) => { vec![$(decl::<$t>($cfg)),*] };
    }

    /// TypeScript names the UI writes by hand in `types.ts`, which generated types use.
    const HAND_WRITTEN: &[&str] = &["ProgressState"];

    fn generate() -> String {
        use crate::{commands, error, jobs, prefs, updates};
        use exhibit::*;
        use exhibit_defendants as def;
        use exhibit_domain as dom;
        use exhibit_store as store;
        use exhibit_venues as ven;

        // JSON numbers: every id and size the UI sees fits a double.
        let cfg = &Config::new().with_large_int("number");
        let decls = decls![cfg;
            // The app shell.
            error::CmdError, prefs::RecentCase, prefs::Settings, prefs::CaptureModeSetting,
            commands::CaseInfo, commands::BatchStarted, commands::RecaptureStarted,
            commands::BrowserStatus, updates::About, updates::UpdateOffer,
            jobs::CaptureProgress, jobs::CaptureDone, jobs::RecaptureProgress,
            jobs::RecaptureResultEvent, jobs::RecaptureDone, jobs::ExportProgress,
            jobs::ExportDone,
            // Captures.
            dom::CaptureStatus, dom::Collector, dom::Redirect, dom::ArtifactSummary,
            dom::Environment, dom::BrowserFacts, dom::StoreFacts, dom::CheckoutFacts,
            dom::Header, dom::TlsFacts, dom::ArchiveSource, dom::ArchiveSignature,
            dom::CaptureContext, dom::ListingRef, dom::Digest,
            dom::CustodyEvent, store::Strength, store::Attachment,
            CaptureView, CaptureDetail, GalleryItem, CapturePage, CaptureQuery,
            TrustedTime, BatchSummary, CaptureOutcome, CustodyStatus, VerifyReport, Problem,
            WaczReport, SkippedCapture, ImportReport, ImportedCapture,
            // The complaint file.
            ven::ComplaintFile, ven::Contact, ven::RightEntry, ven::ListingEntry,
            ven::ListingDefaults, ven::AlibabaExtras, ven::ScheduleAExtras,
            ven::AmazonExtras, ven::EbayExtras, ven::UstrExtras, ven::UstrMarket,
            ven::AgencyExtras, ven::Statements, ven::Signature, ven::Declarant, ven::Venue,
            ven::Addressee, ven::Infringement, ven::Purpose, ven::ComplaintType,
            ven::AlibabaPlatform, ven::AmazonWhere, ven::MarketKind, ven::CaptureMode,
            dom::IpRightKind, ven::Issue, ven::Severity,
            // Checks and exports.
            ComplaintCheck, ExportReport, BundleCheck, BundleProblemView,
            // Schedule A.
            def::ScheduleRow, def::Fact, def::Pair, def::EvidencePage, def::Gap,
            SchedulePreview, DefendantView, def::DefendantListing, def::Purchase, def::Verdict,
            def::PurchaseFile, def::Handover,
            // The campaign.
            ListingView, Change, HistoryEntry, ListingFiling, ListingHistory, SellerView,
            Deadline, FiledListingView, FilingView, FilingRequest, OutcomeRequest, Counts,
            RepeatSeller, GoodFaith, Stats, store::OutcomeRow, dom::campaign::Outcome, Week,
            Timeline, SaidRemoved, RecaptureResult, RecaptureSummary, Candidate, Reason,
            Relistings,
            // Test purchases and discovery.
            store::PurchaseRow, store::PurchaseUpdateRow, store::PurchaseFileRow,
            store::VerdictRow, store::ItemCustodyRow, PurchaseView, PurchaseRequest,
            PurchaseUpdateRequest, VerdictRequest, ItemCustodyRequest, DiscoveredListing,
            Discovery,
        ];

        let mut names: BTreeMap<String, &Decl> = BTreeMap::new();
        for d in &decls {
            if let Some(other) = names.insert(d.name.clone(), d) {
                assert!(
                    other.id == d.id,
                    "two Rust types are both `{}` in TypeScript: give one #[ts(rename)]",
                    d.name
                );
            }
        }
        let ids: HashSet<TypeId> = decls.iter().map(|d| d.id).collect();
        let missing: Vec<String> = decls
            .iter()
            .flat_map(|d| d.needs.iter().map(move |n| (d, n)))
            .filter(|(_, (id, name))| !ids.contains(id) && !HAND_WRITTEN.contains(&name.as_str()))
            .map(|(d, (_, name))| format!("{name} (used by {})", d.name))
            .collect();
        assert!(
            missing.is_empty(),
            "add these to the list in bindings.rs: {missing:?}"
        );

        let mut out = String::from(
            "// Generated from the Rust types by src-tauri/src/bindings.rs: do not edit.\n\
             // Write it again with: EXHIBIT_WRITE_BINDINGS=1 cargo test -p exhibit-app --lib bindings\n\n",
        );
        out.push_str(&format!(
            "import type {{ {} }} from './types';\n",
            HAND_WRITTEN.join(", ")
        ));
        for d in names.values() {
            out.push('\n');
            out.push_str(&d.text);
            out.push('\n');
        }
        out.push_str(&constants());
        out
    }

    /// The facade's rules and limits as values, so the UI's quick checks use the same
    /// numbers and words as the backend that has the last word.
    fn constants() -> String {
        use exhibit::rules;
        use exhibit_venues as ven;

        let mut out = String::from(
            "\n// ---- Rules and limits (crates/exhibit/src/rules.rs, exhibit-venues) ----\n",
        );
        let mut num = |name: &str, doc: &str, value: usize| {
            out.push_str(&format!("\n/** {doc} */\nexport const {name} = {value};\n"));
        };
        num(
            "DEFAULT_BROWSER_CONCURRENCY",
            "Captures at once in browser mode when the user does not say.",
            rules::DEFAULT_BROWSER_CONCURRENCY,
        );
        num(
            "DEFAULT_HTTP_CONCURRENCY",
            "Captures at once in quick HTTP mode when the user does not say.",
            rules::DEFAULT_HTTP_CONCURRENCY,
        );
        num(
            "MAX_BATES_PREFIX_CHARS",
            "The longest Bates prefix, in characters.",
            rules::MAX_BATES_PREFIX_CHARS,
        );
        num(
            "SCHEDULE_A_MAX_DEFENDANTS",
            "Defendants in one Schedule A filing before validation warns.",
            ven::SCHEDULE_A_MAX_DEFENDANTS,
        );
        num(
            "EBAY_MESSAGE_MAX_CHARS",
            "The longest message to the seller eBay VeRO takes.",
            ven::EBAY_MESSAGE_MAX_CHARS,
        );
        num(
            "EBAY_BRAND_MAX_CHARS",
            "The longest brand name eBay VeRO takes.",
            ven::EBAY_BRAND_MAX_CHARS,
        );
        let text = |v: &str| serde_json::to_string(v).expect("JSON string");
        out.push_str(&format!(
            "\n/** The region a Schedule A filing's forum is when none is given. */\n\
             export const SCHEDULE_A_DEFAULT_FORUM = {};\n",
            text(ven::SCHEDULE_A_DEFAULT_FORUM)
        ));
        out.push_str(&format!(
            "\n/** What the backend says of a Bates prefix it refuses. */\n\
             export const BATES_PREFIX_PROBLEM = {};\n",
            text(&rules::bates_prefix_problem("").expect("an empty prefix is refused"))
        ));
        let limits: Vec<String> = ven::Venue::ALL
            .iter()
            .map(|v| {
                let max = v
                    .max_listings_per_batch()
                    .map_or("null".to_owned(), |n| n.to_string());
                format!("  {}: {max},", text(v.as_str()))
            })
            .collect();
        out.push_str(&format!(
            "\n/** Listings one complaint may carry at each venue (null: no limit). */\n\
             export const MAX_LISTINGS_PER_BATCH: Record<Venue, number | null> = {{\n{}\n}};\n",
            limits.join("\n")
        ));
        out
    }

    /// `examples/*.toml`, each read as the app reads a complaint and sent as it sends
    /// one, keyed by file stem.
    fn examples() -> String {
        let dir = repo().join("examples");
        let mut all = BTreeMap::new();
        let entries = std::fs::read_dir(&dir).expect("examples/");
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read example");
            let file = exhibit_venues::ComplaintFile::from_toml(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("file stem")
                .to_owned();
            all.insert(stem, serde_json::to_value(&file).expect("JSON"));
        }
        let mut text = serde_json::to_string_pretty(&all).expect("JSON");
        text.push('\n');
        text
    }

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("repository")
            .to_path_buf()
    }

    /// Compares `text` with the checked-in file, or writes it when asked to.
    fn check(relative: &str, text: &str) {
        let path = repo().join(relative);
        if std::env::var_os("EXHIBIT_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, text).expect("write");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == text,
            "{relative} is stale: the Rust types or examples changed. Write it again with \
             `EXHIBIT_WRITE_BINDINGS=1 cargo test -p exhibit-app --lib bindings` and commit it."
        );
    }

    #[test]
    fn the_ui_types_are_generated_from_the_rust_ones() {
        check("ui/src/lib/bindings.ts", &generate());
    }

    #[test]
    fn the_ui_tests_examples_are_read_as_the_app_reads_them() {
        check("ui/src/lib/examples.json", &examples());
    }
}
