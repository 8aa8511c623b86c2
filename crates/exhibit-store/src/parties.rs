//! The people and rights a case is about: the collector, parties and IP rights with
//! their attached certificate files.

use chrono::Utc;
use exhibit_domain::{
    ArtifactSummary, Collector, CustodyEventKind, IpRight, IpRightKind, NewArtifact, Party,
    PartyRole, rfc3339_millis,
};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Store, StoreError, classify, custody};

fn role_name(r: PartyRole) -> &'static str {
    match r {
        PartyRole::RightsHolder => "rights_holder",
        PartyRole::Agent => "agent",
    }
}

fn kind_name(k: IpRightKind) -> &'static str {
    match k {
        IpRightKind::Trademark => "trademark",
        IpRightKind::Copyright => "copyright",
        IpRightKind::Design => "design",
        IpRightKind::Patent => "patent",
    }
}

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

    /// Adds the rights holder or an agent. Returns its id.
    pub fn add_party(&mut self, p: &Party) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO parties (role, name, organization, address, email, phone, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                role_name(p.role),
                p.name,
                p.organization,
                p.address,
                p.email,
                p.phone,
                rfc3339_millis(&Utc::now())
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::PartyAdded,
            &serde_json::json!({"party_id": id, "role": role_name(p.role), "name": p.name}),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every party, in the order added.
    pub fn parties(&self) -> Result<Vec<(i64, Party)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, role, name, organization, address, email, phone FROM parties ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let role: String = r.get(1)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    Party {
                        role: if role == "agent" {
                            PartyRole::Agent
                        } else {
                            PartyRole::RightsHolder
                        },
                        name: r.get(2)?,
                        organization: r.get(3)?,
                        address: r.get(4)?,
                        email: r.get(5)?,
                        phone: r.get(6)?,
                    },
                ))
            })
            .map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// Adds an IP right. Returns its id.
    pub fn add_ip_right(&mut self, right: &IpRight) -> Result<i64> {
        let classes = serde_json::to_string(&right.classes).unwrap_or_else(|_| "[]".into());
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO ip_rights (kind, registration_number, office, classes, owner, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                kind_name(right.kind),
                right.registration_number,
                right.office,
                classes,
                right.owner,
                rfc3339_millis(&Utc::now())
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::RightAdded,
            &serde_json::json!({
                "ip_right_id": id,
                "kind": kind_name(right.kind),
                "registration_number": right.registration_number,
                "office": right.office,
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Attaches a file (a registration certificate, say) to a right. The file was hashed
    /// when `file` was made; the hash goes into the custody log.
    pub fn attach_file(
        &mut self,
        ip_right_id: i64,
        file_name: &str,
        file: &NewArtifact,
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM ip_rights WHERE id = ?1",
                [ip_right_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::BadRecord(format!(
                "there is no IP right {ip_right_id}"
            )));
        }
        tx.execute(
            "INSERT INTO ip_right_files (ip_right_id, file_name, media_type, size, sha256, content, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                ip_right_id,
                file_name,
                file.media_type(),
                file.bytes().len() as i64,
                file.sha256().to_hex(),
                file.bytes(),
                rfc3339_millis(&Utc::now())
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::FileAttached,
            &serde_json::json!({
                "file_id": id,
                "ip_right_id": ip_right_id,
                "file_name": file_name,
                "sha256": file.sha256(),
                "size": file.bytes().len(),
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every IP right with the summaries of its attached files.
    pub fn ip_rights(&self) -> Result<Vec<(i64, IpRight, Vec<ArtifactSummary>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, registration_number, office, classes, owner FROM ip_rights ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(classify)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, registration_number, office, classes, owner) = row.map_err(classify)?;
            let kind = match kind.as_str() {
                "copyright" => IpRightKind::Copyright,
                "design" => IpRightKind::Design,
                "patent" => IpRightKind::Patent,
                _ => IpRightKind::Trademark,
            };
            let mut files = Vec::new();
            let mut fstmt = self
                .conn
                .prepare("SELECT file_name, media_type, size, sha256 FROM ip_right_files WHERE ip_right_id = ?1 ORDER BY id")?;
            let frows = fstmt
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(classify)?;
            for f in frows {
                let (name, media_type, size, sha) = f.map_err(classify)?;
                files.push(ArtifactSummary {
                    kind: name,
                    media_type,
                    size: u64::try_from(size).unwrap_or(0),
                    sha256: exhibit_domain::Digest::from_hex(&sha).ok_or_else(|| {
                        StoreError::BadRecord(format!("a file of right {id} has a malformed hash"))
                    })?,
                });
            }
            out.push((
                id,
                IpRight {
                    kind,
                    registration_number,
                    office,
                    classes: serde_json::from_str(&classes).unwrap_or_default(),
                    owner,
                },
                files,
            ));
        }
        Ok(out)
    }
}
