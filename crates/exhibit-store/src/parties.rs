//! Who collects the evidence. The `parties`, `ip_rights` and `ip_right_files` tables of
//! the first schema are no longer written or read: the rights holder, agent and rights
//! are the complaint file's, and a right's certificate is a complaint attachment. The
//! tables stay, as migrations only ever add.

use exhibit_domain::{Collector, CustodyEventKind};
use rusqlite::OptionalExtension;

use crate::{Result, Store, classify, custody};

impl Store {
    /// Sets who collects the evidence.
    pub fn set_collector(&mut self, c: &Collector) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO collector (id, name, organization, role, contact) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, organization = excluded.organization,
             role = excluded.role, contact = excluded.contact",
            (&c.name, &c.organization, &c.role, &c.contact),
        )?;
        custody::append(
            &tx,
            CustodyEventKind::CollectorSet,
            &serde_json::to_value(c).unwrap_or_default(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Who collects the evidence, if set.
    pub fn collector(&self) -> Result<Option<Collector>> {
        self.conn
            .query_row(
                "SELECT name, organization, role, contact FROM collector WHERE id = 1",
                [],
                |r| {
                    Ok(Collector {
                        name: r.get(0)?,
                        organization: r.get(1)?,
                        role: r.get(2)?,
                        contact: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(classify)
    }
}
