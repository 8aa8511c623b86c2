//! DMCA notices: what 17 U.S.C. § 512(c)(3)(A) requires. Copyright only, the work
//! identified, how to reach the notifier, the three statements, and a signature.

use exhibit_domain::IpRightKind;

use super::{Checker, Issue, blank};
use crate::resolve::kind_label;
use crate::text::one_line;

impl Checker<'_> {
    pub(super) fn dmca(&mut self) {
        let mut found = Vec::new();
        for (i, r) in self.used_rights() {
            let id = one_line(&r.id);
            if r.kind != IpRightKind::Copyright {
                found.push(Issue::error(
                    format!("right[{i}].kind"),
                    format!(
                        "A DMCA notice covers copyright only, but {id} is a {}. Point these listings at a copyright, or use the marketplace's trademark form.",
                        kind_label(r.kind).to_lowercase()
                    ),
                ));
            } else if blank(&r.work_description) && blank(&r.work_link) {
                found.push(Issue::error(
                    format!("right[{i}].work_description"),
                    format!(
                        "A DMCA notice must identify the copyrighted work (17 U.S.C. § 512(c)(3)(A)(ii)): add work_description (and work_link if it is online) for {id}."
                    ),
                ));
            }
        }
        self.issues.extend(found);
        let (contact, table) = self.filer();
        let (address, phone, email) = (
            blank(&contact.address),
            blank(&contact.phone),
            blank(&contact.email),
        );
        for (missing, f, what) in [
            (address, "address", "postal address"),
            (phone, "phone", "phone number"),
            (email, "email", "email address"),
        ] {
            if missing {
                self.error(
                    format!("{table}.{f}"),
                    format!(
                        "A DMCA notice must say how to reach you (17 U.S.C. § 512(c)(3)(A)(iv)): add your {what} as {f} under [{table}]."
                    ),
                );
            }
        }
        let s = self.file.statements;
        if !s.good_faith {
            self.error(
                "statements.good_faith",
                "A DMCA notice must include the good-faith statement (17 U.S.C. § 512(c)(3)(A)(v)): set good_faith = true under [statements] if it is true.",
            );
        }
        if !s.accuracy_under_penalty_of_perjury {
            self.error(
                "statements.accuracy_under_penalty_of_perjury",
                "A DMCA notice must state that it is accurate (17 U.S.C. § 512(c)(3)(A)(vi)): set accuracy_under_penalty_of_perjury = true under [statements] if it is true.",
            );
        }
        if !s.authorised {
            self.error(
                "statements.authorised",
                "A DMCA notice must state, under penalty of perjury, that you are authorised to act for the copyright owner (17 U.S.C. § 512(c)(3)(A)(vi)): set authorised = true under [statements] if it is true.",
            );
        }
        self.need_signature(
            "A DMCA notice",
            "must be signed (17 U.S.C. § 512(c)(3)(A)(i))",
            true,
        );
    }
}
