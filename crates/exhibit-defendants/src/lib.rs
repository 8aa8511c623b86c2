//! # exhibit-defendants
//!
//! The sellers of a US "Schedule A" suit as defendants, and what a court asks of the
//! evidence against each one (VENUES.md, "Schedule A cases and test purchases").
//!
//! The caller gathers each seller's evidence from the case as a [`Defendant`]: the
//! listings the complaint names, the storefront page that shows where the seller is,
//! the checkout page that ships to the forum, and the test purchases with their files.
//! Then, as pure functions:
//!
//! - [`gaps`] says, per defendant, in plain words, what a Schedule A exhibit still
//!   lacks (no sale or checkout into the forum, no storefront showing where the seller
//!   is, a listing last seen blocked), and [`filing_gaps`] what the filing as a whole
//!   does (more than [`exhibit_venues::SCHEDULE_A_MAX_DEFENDANTS`] defendants): the
//!   overclaiming guard;
//! - [`schedule_rows`] and [`schedule_csv`] are Schedule A itself, for the packet and
//!   for the clerk;
//! - [`joinder`] compares every pair of defendants: the facts they share (the same
//!   product image, price, title or shown address) and the facts that differ. The lawyer
//!   decides joinder; this only shows;
//! - [`test_buy_section`] is the test-buy report Alibaba IPP accepts for one test
//!   purchase;
//! - [`render`] lays each of those out as sections of the document model, with one
//!   exhibit per defendant in a fixed order and the master index of their pages.
//!
//! Nothing here reads a file, a clock or the case: it never guesses a fact the pages
//! did not show, and every captured string is cleaned before it is printed.

mod gaps;
mod joinder;
mod model;
pub mod render;
mod schedule;
mod test_buy;

pub use gaps::{Gap, filing_gaps, gaps, in_forum};
pub use joinder::{Fact, IMAGE_MATCH_BITS, Pair, joinder};
pub use model::{
    Defendant, DefendantListing, EvidencePage, Handover, Purchase, PurchaseFile, Verdict,
};
pub use schedule::{ScheduleRow, schedule_csv, schedule_rows};
pub use test_buy::{TestBuyReport, test_buy_section};
