//! Test purchases: `purchase add|update|attach|verdict`, `item custody` and
//! `purchases`. One function a command; each opens the case, makes one facade call and
//! prints the purchase (`--json`: as `purchases --json` shows it).

use std::path::PathBuf;

use clap::Subcommand;
use exhibit::{
    ItemCustodyRequest, PurchaseRequest, PurchaseUpdateRequest, PurchaseView, VerdictRequest,
};

use crate::passphrase::PassphraseSource;
use crate::print::{self, clean};
use crate::{Failure, open};

/// `exhibit purchase …`.
#[derive(Subcommand, Debug)]
pub enum PurchaseCommand {
    /// Record a test purchase of one listing: the order, the amount, where it ships.
    Add {
        case: PathBuf,
        /// The case's listing id (`exhibit listings`).
        #[arg(long, value_name = "LISTING_ID")]
        listing: i64,
        /// The platform's order number.
        #[arg(long)]
        order: String,
        /// The day of the order: YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        date: String,
        /// What was paid, such as 12.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// A three-letter currency code, such as USD.
        #[arg(long)]
        currency: String,
        /// The address shipped to, such as "Chicago, IL, US".
        #[arg(long, value_name = "ADDRESS")]
        ship_to: String,
        /// The buyer account used (a persona, never the brand's own).
        #[arg(long, value_name = "ACCOUNT")]
        buyer: Option<String>,
        /// The payment card's last four digits, and nothing more.
        #[arg(long, value_name = "LAST4", allow_hyphen_values = true)]
        payment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record shipping facts as they arrive: tracking, carrier, ship-from, delivery.
    Update {
        case: PathBuf,
        /// The purchase's id (`exhibit purchases`).
        purchase: i64,
        #[arg(long, value_name = "T")]
        tracking: Option<String>,
        #[arg(long, value_name = "C")]
        carrier: Option<String>,
        /// The seller's ship-from address, as the parcel or order shows it.
        #[arg(long, value_name = "TEXT")]
        ship_from: Option<String>,
        /// The day it was delivered: YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        delivered: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Attach files to a purchase, each hashed and logged: all of them, or none.
    Attach {
        case: PathBuf,
        purchase: i64,
        /// order, receipt, label, parcel-photo, product-photo or comparison.
        #[arg(long)]
        kind: String,
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Record the verdict of the comparison with a genuine item (once).
    Verdict {
        case: PathBuf,
        purchase: i64,
        /// counterfeit, genuine or inconclusive.
        #[arg(long)]
        verdict: String,
        /// Who compared the items.
        #[arg(long, value_name = "NAME")]
        by: String,
        /// How they were compared, and what differs.
        #[arg(long, value_name = "TEXT")]
        method: String,
        #[arg(long)]
        json: bool,
    },
}

/// `exhibit item …`.
#[derive(Subcommand, Debug)]
pub enum ItemCommand {
    /// Record one handover of a purchase's physical item.
    Custody {
        case: PathBuf,
        purchase: i64,
        /// Who released the item.
        #[arg(long, value_name = "NAME")]
        from: String,
        /// Who received it.
        #[arg(long, value_name = "NAME")]
        to: String,
        /// When: an RFC 3339 time such as 2026-03-01T14:30:00Z, or a day.
        #[arg(long, value_name = "TIME")]
        at: String,
        /// Where (and where it is stored).
        #[arg(long, value_name = "TEXT")]
        place: String,
        /// The seal or tamper-tape id.
        #[arg(long, value_name = "ID")]
        seal: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn done(p: &PurchaseView, json: bool, said: String) -> Result<u8, Failure> {
    if json {
        print::json(p)?;
    } else {
        println!("{said}");
    }
    Ok(0)
}

pub fn purchase(command: PurchaseCommand, source: &PassphraseSource) -> Result<u8, Failure> {
    match command {
        PurchaseCommand::Add {
            case,
            listing,
            order,
            date,
            amount,
            currency,
            ship_to,
            buyer,
            payment,
            json,
        } => {
            let case = open(&case, source)?;
            let p = case.add_purchase(&PurchaseRequest {
                listing,
                order,
                date,
                amount,
                currency,
                ship_to,
                buyer,
                payment,
            })?;
            let said = format!(
                "Recorded purchase {}: order {} on {} of listing {}, {} {} shipped to {}.",
                p.purchase.id,
                clean(&p.purchase.order_number),
                clean(&p.purchase.platform),
                p.purchase.listing,
                p.purchase.amount,
                p.purchase.currency,
                clean(&p.purchase.ship_to)
            );
            done(&p, json, said)
        }
        PurchaseCommand::Update {
            case,
            purchase,
            tracking,
            carrier,
            ship_from,
            delivered,
            json,
        } => {
            let case = open(&case, source)?;
            let p = case.update_purchase(&PurchaseUpdateRequest {
                purchase,
                tracking,
                carrier,
                ship_from,
                delivered,
            })?;
            let said = format!("Updated purchase {}: {}.", p.purchase.id, shipping(&p));
            done(&p, json, said)
        }
        PurchaseCommand::Attach {
            case,
            purchase,
            kind,
            files,
            json,
        } => {
            let case = open(&case, source)?;
            let before = case
                .purchase(purchase)
                .map(|p| p.purchase.files.len())
                .unwrap_or(0);
            let p = case.attach_purchase_files(purchase, &kind, &files)?;
            if json {
                print::json(&p)?;
            } else {
                for f in p.purchase.files.iter().skip(before) {
                    println!(
                        "Attached {} to purchase {} as {} ({} bytes, sha256 {}).",
                        clean(&f.file_name),
                        p.purchase.id,
                        f.kind,
                        f.size,
                        f.sha256
                    );
                }
            }
            Ok(0)
        }
        PurchaseCommand::Verdict {
            case,
            purchase,
            verdict,
            by,
            method,
            json,
        } => {
            let case = open(&case, source)?;
            let p = case.purchase_verdict(&VerdictRequest {
                purchase,
                verdict,
                by,
                method,
            })?;
            let said = match &p.purchase.verdict {
                Some(v) => format!(
                    "Recorded the verdict on purchase {}: {}, by {}.",
                    p.purchase.id,
                    v.verdict,
                    clean(&v.by)
                ),
                None => format!("Recorded the verdict on purchase {}.", p.purchase.id),
            };
            done(&p, json, said)
        }
    }
}

pub fn item(command: ItemCommand, source: &PassphraseSource) -> Result<u8, Failure> {
    let ItemCommand::Custody {
        case,
        purchase,
        from,
        to,
        at,
        place,
        seal,
        note,
        json,
    } = command;
    let case = open(&case, source)?;
    let p = case.item_custody(&ItemCustodyRequest {
        purchase,
        from,
        to,
        at,
        place,
        seal,
        note,
    })?;
    let said = match p.purchase.custody.last() {
        Some(c) => format!(
            "Recorded a handover of purchase {}'s item: {} to {} at {}, {}{}.",
            p.purchase.id,
            clean(&c.from),
            clean(&c.to),
            c.at,
            clean(&c.place),
            c.seal
                .as_deref()
                .map(|s| format!(", seal {}", clean(s)))
                .unwrap_or_default()
        ),
        None => format!("Recorded a handover of purchase {}'s item.", p.purchase.id),
    };
    done(&p, json, said)
}

/// The latest shipping facts, in words.
fn shipping(p: &PurchaseView) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &p.carrier {
        parts.push(format!("carrier {}", clean(c)));
    }
    if let Some(t) = &p.tracking {
        parts.push(format!("tracking {}", clean(t)));
    }
    if let Some(s) = &p.ship_from {
        parts.push(format!("from {}", clean(s)));
    }
    if let Some(d) = &p.delivered_on {
        parts.push(format!("delivered {d}"));
    }
    if parts.is_empty() {
        "not shipped yet".to_owned()
    } else {
        parts.join(", ")
    }
}

pub fn purchases(case: &exhibit::Case, json: bool) -> Result<u8, Failure> {
    let rows = case.purchases()?;
    if json {
        print::json(&rows)?;
        return Ok(0);
    }
    if rows.is_empty() {
        println!("No test purchases yet. Record one with `exhibit purchase add`.");
        return Ok(0);
    }
    for p in &rows {
        println!(
            "Purchase {}: listing {} on {}, order {} of {}, {} {} to {}; {}; {} file{}; verdict {}; {} handover{}",
            p.purchase.id,
            p.purchase.listing,
            clean(&p.purchase.platform),
            clean(&p.purchase.order_number),
            p.purchase.ordered_on,
            p.purchase.amount,
            p.purchase.currency,
            clean(&p.purchase.ship_to),
            shipping(p),
            p.purchase.files.len(),
            if p.purchase.files.len() == 1 { "" } else { "s" },
            p.purchase
                .verdict
                .as_ref()
                .map_or("none yet", |v| v.verdict.as_str()),
            p.purchase.custody.len(),
            if p.purchase.custody.len() == 1 {
                ""
            } else {
                "s"
            },
        );
    }
    Ok(0)
}
