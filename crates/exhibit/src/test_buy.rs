//! An Alibaba IPP complaint's test-buy report: the test purchase its `[alibaba]
//! test_purchase` names, read from the case with its photos and files, checked against
//! the complaint, and rendered by `exhibit_defendants::test_buy_section`.

use std::collections::BTreeMap;

use exhibit_bundle::ManifestAttachment;
use exhibit_defendants::TestBuyReport;
use exhibit_pdf::{Fonts, PdfOptions};
use exhibit_venues::{Complaint, ComplaintFile, Issue, Venue};

use crate::purchases::PurchaseView;
use crate::{Case, Error, Result};

/// The report's name in the bundle.
pub(crate) const REPORT_NAME: &str = "test-buy-report.pdf";

/// A test purchase ready to report: what the report prints, and the purchase's files
/// for the bundle with their manifest entries.
pub(crate) struct TestBuy {
    pub report: TestBuyReport,
    pub files: BTreeMap<String, Vec<u8>>,
    pub described: Vec<ManifestAttachment>,
}

impl Case {
    /// The purchase an Alibaba complaint names, if it names one.
    fn named_purchase(
        &self,
        file: &ComplaintFile,
    ) -> Result<Option<(String, Option<PurchaseView>)>> {
        let Some(order) = file
            .alibaba
            .as_ref()
            .and_then(|a| a.test_purchase.as_deref())
            .map(str::trim)
            .filter(|o| !o.is_empty() && file.venue == Venue::AlibabaIpp)
        else {
            return Ok(None);
        };
        let found = self
            .purchases()?
            .into_iter()
            .find(|p| p.purchase.order_number == order);
        Ok(Some((order.to_owned(), found)))
    }

    /// What the complaint's test purchase lacks: it must be in the case and must not
    /// have been found genuine; a missing verdict or photo, or a purchase from a listing
    /// the complaint does not report, is a warning.
    pub(crate) fn test_buy_issues(
        &self,
        file: &ComplaintFile,
        reported_listings: &[i64],
    ) -> Result<Vec<Issue>> {
        let Some((order, found)) = self.named_purchase(file)? else {
            return Ok(Vec::new());
        };
        let field = "alibaba.test_purchase";
        let Some(p) = found else {
            return Ok(vec![Issue::error(
                field,
                format!(
                    "No test purchase with order number {order} is recorded in this case: record it with `exhibit purchase add` (or the app's purchase form), or correct the number."
                ),
            )]);
        };
        let mut issues = Vec::new();
        match p.purchase.verdict.as_ref().map(|v| v.verdict.as_str()) {
            Some("genuine") => issues.push(Issue::error(
                field,
                format!(
                    "The item of order {order} was found genuine, so it cannot support a complaint about counterfeits: remove test_purchase."
                ),
            )),
            Some("counterfeit") => {}
            Some(_) => issues.push(Issue::warning(
                field,
                format!(
                    "The comparison of order {order} was inconclusive: Alibaba asks why the product is counterfeit."
                ),
            )),
            None => issues.push(Issue::warning(
                field,
                format!(
                    "Order {order} has no verdict yet: record the comparison with a genuine item (`exhibit purchase verdict`) so the report says how it was verified."
                ),
            )),
        }
        if !p.purchase.files.iter().any(|f| f.kind == "product-photo") {
            issues.push(Issue::warning(
                field,
                format!(
                    "Order {order} has no photo of the product received: Alibaba asks for one. Attach it with `exhibit purchase attach --kind product-photo`."
                ),
            ));
        }
        if !reported_listings.is_empty() && !reported_listings.contains(&p.purchase.listing) {
            issues.push(Issue::warning(
                field,
                format!(
                    "Order {order} was bought from a listing this complaint does not report: Alibaba takes the test purchase of a listing in the complaint."
                ),
            ));
        }
        Ok(issues)
    }

    /// The complaint's test purchase, ready to report, when it names one.
    pub(crate) fn prepare_test_buy(
        &self,
        complaint: &Complaint,
        file: &ComplaintFile,
    ) -> Result<Option<TestBuy>> {
        let Some((order, found)) = self.named_purchase(file)? else {
            return Ok(None);
        };
        let p = found.ok_or_else(|| {
            Error::Input(format!(
                "No test purchase with order number {order} is recorded in this case."
            ))
        })?;
        let store = self.store();
        let mut files = BTreeMap::new();
        let mut described = Vec::new();
        let mut photos = Vec::new();
        for f in &p.purchase.files {
            let bytes = store.purchase_file_bytes(f.id)?;
            let path = crate::defendants::purchase_file_path(p.purchase.id, &f.file_name);
            if matches!(f.kind.as_str(), "product-photo" | "parcel-photo")
                && matches!(f.media_type.as_str(), "image/png" | "image/jpeg")
            {
                let what = if f.kind == "product-photo" {
                    "The product"
                } else {
                    "The parcel"
                };
                photos.push((
                    format!("{what}: {} (SHA-256 {})", f.file_name, f.sha256),
                    bytes.clone(),
                ));
            }
            described.push(ManifestAttachment {
                name: f.file_name.clone(),
                sha256: exhibit_domain::sha256(&bytes),
                size: bytes.len() as u64,
                path: path.clone(),
            });
            files.insert(path, bytes);
        }
        drop(store);
        let listed = complaint
            .listings
            .iter()
            .find(|l| l.capture.listing_id.as_deref() == p.listing_id.as_deref());
        let signature = complaint.signature.clone().unwrap_or_default();
        let report = TestBuyReport {
            purchase: crate::defendants::purchase_of(&p),
            listing_url: p.url.clone(),
            listing_id: p.listing_id.clone(),
            title: p.title.clone(),
            seller: p.seller.clone(),
            rights_holder: complaint
                .rights_holder
                .organization
                .clone()
                .unwrap_or_else(|| complaint.rights_holder.name.clone()),
            rights: listed
                .and_then(|l| complaint.right(&l.right))
                .map(|r| vec![r.label()])
                .unwrap_or_default(),
            signer: Some(signature.name).filter(|n| !n.trim().is_empty()),
            signer_title: signature.title,
            date: signature.date,
            photos,
        };
        Ok(Some(TestBuy {
            report,
            files,
            described,
        }))
    }
}

impl TestBuy {
    pub(crate) fn pdf(&self, opts: &PdfOptions, fonts: &Fonts) -> Result<Vec<u8>> {
        let pdf = exhibit_pdf::render(
            &[exhibit_defendants::test_buy_section(&self.report)],
            opts,
            fonts,
        )
        .map_err(|e| Error::Internal(format!("the test-buy report: {e}")))?;
        Ok(pdf.bytes)
    }
}
