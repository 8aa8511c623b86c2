//! EU DSA notices: what Article 16(2) requires. The explanation, the notifier's
//! email, and the bona fide statement.

use super::{Checker, blank};

impl Checker<'_> {
    pub(super) fn dsa(&mut self) {
        self.need_narrative(
            "A DSA notice must explain why the listings are illegal (Article 16(2)(a)): write the explanation in narrative, naming the right and how each listing infringes it.",
        );
        let (contact, table) = self.filer();
        if blank(&contact.email) {
            self.error(
                format!("{table}.email"),
                format!(
                    "A DSA notice must give the notifier's name and email (Article 16(2)(c)): add email under [{table}]."
                ),
            );
        }
        if !self.file.statements.good_faith {
            self.error(
                "statements.good_faith",
                "A DSA notice must confirm your bona fide belief that it is accurate and complete (Article 16(2)(d)): set good_faith = true under [statements] if it is true.",
            );
        }
    }
}
