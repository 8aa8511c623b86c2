//! Which captures become listings, and the rule DESIGN.md insists on: a blocked,
//! removed or failed capture is never evidence of a live listing.

use exhibit_domain::CaptureStatus;
use exhibit_venues::{Purpose, batches};

use crate::support::*;

/// The DSA fixture without its `[listings]` table, plus `listings`.
fn dsa_with(listings: &str) -> String {
    valid("eu-dsa").replace(ALL_OK_TM, "") + listings
}

fn with_status(status: CaptureStatus) -> Vec<exhibit_venues::CaptureFacts> {
    let mut caps = ok(6);
    caps.push(capture_on(7, status, None));
    caps
}

const LIVE_7: &str =
    "\n[[listing]]\ncapture = 7\nright = \"TM-1\"\ninfringement = \"counterfeit\"\n";
const PROOF_7: &str = "\n[[listing]]\ncapture = 7\nright = \"TM-1\"\ninfringement = \"counterfeit\"\npurpose = \"takedown-proof\"\n";

#[test]
fn blocked_capture_listed_as_live_is_an_error_naming_it() {
    let issues = check(&dsa_with(LIVE_7), &with_status(CaptureStatus::Blocked));
    assert_error(
        &issues,
        "listing[0].capture",
        "Capture #7 shows a login wall or robot check (blocked), so it cannot be offered as evidence of a live listing.",
    );
}

#[test]
fn removed_capture_listed_as_live_is_an_error_that_points_to_takedown_proof() {
    let issues = check(&dsa_with(LIVE_7), &with_status(CaptureStatus::Removed));
    assert_error(
        &issues,
        "listing[0].capture",
        "Capture #7 shows the listing was removed",
    );
    assert_error(
        &issues,
        "listing[0].capture",
        "purpose = \"takedown-proof\"",
    );
}

#[test]
fn failed_capture_listed_as_live_is_an_error() {
    let issues = check(&dsa_with(LIVE_7), &with_status(CaptureStatus::Failed));
    assert_error(&issues, "listing[0].capture", "Capture #7 failed");
}

#[test]
fn removed_capture_as_takedown_proof_is_allowed_but_never_filed() {
    let text = dsa_with(&format!("{ALL_OK_TM}{PROOF_7}"));
    let caps = with_status(CaptureStatus::Removed);
    assert_no_errors(&check(&text, &caps));
    let c = complaint(&text, &caps);
    assert_eq!(c.listings.len(), 7);
    let proof = c.listings.iter().find(|l| l.capture.id == 7);
    assert_eq!(proof.map(|l| l.purpose), Some(Purpose::TakedownProof));
    let filed: Vec<i64> = batches(&c)
        .iter()
        .flat_map(|b| b.listings.iter().map(|l| l.capture.id))
        .collect();
    assert_eq!(filed, vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn ok_or_blocked_capture_as_takedown_proof_is_an_error() {
    let issues = check(&dsa_with(PROOF_7), &with_status(CaptureStatus::Ok));
    assert_error(
        &issues,
        "listing[0].capture",
        "cannot prove that a takedown worked",
    );
    let issues = check(&dsa_with(PROOF_7), &with_status(CaptureStatus::Blocked));
    assert_error(
        &issues,
        "listing[0].capture",
        "proves neither a live listing nor a takedown",
    );
}

#[test]
fn all_ok_leaves_out_blocked_removed_and_failed_captures_silently() {
    let mut caps = ok(2);
    caps.push(capture_on(3, CaptureStatus::Blocked, None));
    caps.push(capture_on(4, CaptureStatus::Removed, None));
    caps.push(capture_on(5, CaptureStatus::Failed, None));
    caps.push(capture_on(6, CaptureStatus::Ok, None));
    let text = valid("eu-dsa");
    let issues = check(&text, &caps);
    assert!(
        issues.iter().all(|i| !i.message.contains("Capture #")),
        "{issues:#?}"
    );
    let c = complaint(&text, &caps);
    let ids: Vec<i64> = c.listings.iter().map(|l| l.capture.id).collect();
    assert_eq!(ids, vec![1, 2, 6]);
    let exhibits: Vec<usize> = c.listings.iter().map(|l| l.exhibit).collect();
    assert_eq!(exhibits, vec![1, 2, 3]);
}

#[test]
fn all_ok_with_no_ok_capture_is_an_error() {
    let caps = vec![capture_on(1, CaptureStatus::Blocked, None)];
    let issues = check(&valid("eu-dsa"), &caps);
    assert_error(&issues, "listings.all_ok", "this case has none");
}

#[test]
fn exhibits_follow_capture_ids_and_written_entries_override_defaults() {
    let text = dsa_with(&format!(
        "{ALL_OK_TM}\n[[listing]]\ncapture = 3\nright = \"TM-1\"\ninfringement = \"trademark-misuse\"\nnotes = \"Mark in title\"\n\n[[listing]]\ncapture = 1\n"
    ));
    let c = complaint(&text, &ok(4));
    let ids: Vec<(usize, i64)> = c
        .listings
        .iter()
        .map(|l| (l.exhibit, l.capture.id))
        .collect();
    assert_eq!(ids, vec![(1, 1), (2, 2), (3, 3), (4, 4)]);
    assert_eq!(c.listings[2].notes.as_deref(), Some("Mark in title"));
    assert_eq!(
        c.listings[2].infringement,
        exhibit_venues::Infringement::TrademarkMisuse
    );
    // The bare entry for capture 1 takes the [listings] defaults.
    assert_eq!(c.listings[0].right, "TM-1");
}

#[test]
fn unknown_capture_id_is_an_error() {
    let issues = check(&dsa_with(LIVE_7), &ok(3));
    assert_error(
        &issues,
        "listing[0].capture",
        "There is no capture #7 in this case",
    );
}

#[test]
fn negative_or_zero_capture_id_is_an_error() {
    let issues = check(
        &dsa_with(&LIVE_7.replace("capture = 7", "capture = -3")),
        &ok(3),
    );
    assert_error(&issues, "listing[0].capture", "names capture -3");
    let issues = check(
        &dsa_with(&LIVE_7.replace("capture = 7", "capture = 0")),
        &ok(3),
    );
    assert_error(&issues, "listing[0].capture", "names capture 0");
}

#[test]
fn unknown_right_id_is_an_error_listing_the_known_ones() {
    let issues = check(
        &dsa_with(&LIVE_7.replace("TM-1", "TM-9")),
        &with_status(CaptureStatus::Ok),
    );
    assert_error(&issues, "listing[0].right", "names the right \"TM-9\"");
    assert_error(&issues, "listing[0].right", "the ids are TM-1");
}

#[test]
fn listing_without_right_or_default_is_an_error() {
    let issues = check(
        &dsa_with("\n[[listing]]\ncapture = 1\ninfringement = \"counterfeit\"\n"),
        &ok(1),
    );
    assert_error(
        &issues,
        "listing[0].right",
        "Say which right capture #1 infringes",
    );
    let issues = check(
        &dsa_with("\n[[listing]]\ncapture = 1\nright = \"TM-1\"\n"),
        &ok(1),
    );
    assert_error(
        &issues,
        "listing[0].infringement",
        "Say how capture #1 infringes",
    );
}

#[test]
fn the_same_capture_twice_is_an_error() {
    let issues = check(
        &dsa_with(&format!("{LIVE_7}{LIVE_7}")),
        &with_status(CaptureStatus::Ok),
    );
    assert_error(&issues, "listing[1].capture", "Capture #7 is listed twice");
}

#[test]
fn no_listing_at_all_is_an_error() {
    let issues = check(&dsa_with(""), &ok(3));
    assert_error(&issues, "listing", "There is nothing to report");
}
