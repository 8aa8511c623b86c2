//! Signed WACZ files for tests: Webrecorder's real examples (`tests/fixtures/wacz/` at the
//! workspace root, from py-wacz, MIT) opened, changed the way an attacker or a faulty tool
//! would, and written again, and key-signed WACZs made with a fresh key.
//!
//! Shared by `crates/exhibit-warc/tests/signature.rs` and the end-to-end `tests/it/wacz.rs`
//! (included by path), so both break the files the same way.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// The folder of the real signed examples.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|p| p.join("tests/fixtures/wacz").is_dir())
        .map(|p| p.join("tests/fixtures/wacz"))
        .expect("tests/fixtures/wacz above the crate")
}

pub fn valid_example() -> Vec<u8> {
    std::fs::read(fixtures().join("valid_signed_example_1.wacz")).expect("the valid example")
}

pub fn invalid_example() -> Vec<u8> {
    std::fs::read(fixtures().join("invalid_signed_example_1.wacz")).expect("the invalid example")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn b64(bytes: &[u8]) -> String {
    openssl::base64::encode_block(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    openssl::base64::decode_block(text).expect("base64")
}

/// A WACZ taken apart: its entries in order, each name with its bytes.
#[derive(Clone)]
pub struct Wacz {
    pub entries: Vec<(String, Vec<u8>)>,
}

impl Wacz {
    pub fn open(bytes: &[u8]) -> Wacz {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read entry");
            entries.push((f.name().expect("entry name").into_owned(), data));
        }
        Wacz { entries }
    }

    /// Every entry stored, as WACZ wants its WARCs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in &self.entries {
            zip.start_file(name.as_str(), options).expect("start entry");
            zip.write_all(data).expect("write entry");
        }
        zip.finish().expect("finish ZIP").into_inner()
    }

    pub fn get(&self, name: &str) -> &[u8] {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.as_slice())
            .expect("entry present")
    }

    pub fn set(&mut self, name: &str, data: Vec<u8>) {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(e) => e.1 = data,
            None => self.entries.push((name.to_owned(), data)),
        }
    }

    pub fn json(&self, name: &str) -> Value {
        serde_json::from_slice(self.get(name)).expect("JSON entry")
    }

    pub fn set_json(&mut self, name: &str, v: &Value) {
        self.set(name, serde_json::to_vec_pretty(v).expect("JSON"));
    }

    /// `signedData` of `datapackage-digest.json`.
    pub fn signed(&self) -> Value {
        self.json("datapackage-digest.json")["signedData"].clone()
    }

    /// Changes `signedData` with `edit`, leaving everything else as it is.
    pub fn edit_signed(&mut self, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) {
        let mut digest = self.json("datapackage-digest.json");
        let signed = digest["signedData"]
            .as_object_mut()
            .expect("signedData object");
        edit(signed);
        self.set_json("datapackage-digest.json", &digest);
    }

    /// Flips the bits `mask` of one byte of `field` (`signature`, `timeSignature`), a
    /// base64 value of `signedData`: byte `at`, or with a negative `at` the byte that
    /// many from the end.
    pub fn flip_signed(&mut self, field: &str, at: isize, mask: u8) {
        self.edit_signed(|s| {
            let mut bytes = unb64(s[field].as_str().unwrap_or_else(|| panic!("no {field}")));
            let i = if at < 0 {
                bytes.len() - at.unsigned_abs()
            } else {
                at.unsigned_abs()
            };
            bytes[i] ^= mask;
            s.insert(field.into(), Value::from(b64(&bytes)));
        });
    }

    /// Replaces `name` and recomputes every digest a forger can recompute: its entry in
    /// `datapackage.json`, and the hash of `datapackage.json` in `datapackage-digest.json`
    /// and in its `signedData`. Only the signature is left to notice.
    pub fn forge(&mut self, name: &str, data: Vec<u8>) {
        let mut package = self.json("datapackage.json");
        for r in package["resources"].as_array_mut().expect("resources") {
            if r["path"] == name {
                r["hash"] = Value::from(format!("sha256:{}", sha256_hex(&data)));
                r["bytes"] = Value::from(data.len());
            }
        }
        self.set(name, data);
        self.set_json("datapackage.json", &package);
        self.rehash_package();
    }

    /// Recomputes the hash of `datapackage.json` wherever `datapackage-digest.json` says it.
    pub fn rehash_package(&mut self) {
        let hash = format!("sha256:{}", sha256_hex(self.get("datapackage.json")));
        let mut digest = self.json("datapackage-digest.json");
        digest["hash"] = Value::from(hash.clone());
        if let Some(signed) = digest["signedData"].as_object_mut() {
            signed.insert("hash".into(), Value::from(hash));
        }
        self.set_json("datapackage-digest.json", &digest);
    }

    /// Signs `datapackage.json` anonymously with `key`, as ArchiveWeb.page does: the
    /// text of `hash`, ECDSA with SHA-256, DER or raw `r‖s`, and the SPKI as `publicKey`.
    pub fn sign_with_key(&mut self, key: &PKey<Private>, raw: bool) {
        let hash = format!("sha256:{}", sha256_hex(self.get("datapackage.json")));
        let created = self.json("datapackage.json")["created"].clone();
        let signature = sign(key, hash.as_bytes(), raw);
        let public = key.public_key_to_der().expect("SPKI");
        let digest = serde_json::json!({
            "path": "datapackage.json",
            "hash": hash,
            "signedData": {
                "hash": hash,
                "created": created,
                "software": "exhibit tests",
                "signature": b64(&signature),
                "publicKey": b64(&public),
            }
        });
        self.set_json("datapackage-digest.json", &digest);
    }
}

pub fn ec_key(curve: Nid) -> PKey<Private> {
    let group = EcGroup::from_curve_name(curve).expect("curve");
    PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey")
}

pub fn sign(key: &PKey<Private>, message: &[u8], raw: bool) -> Vec<u8> {
    if key.id() == openssl::pkey::Id::ED25519 {
        let mut s = Signer::new_without_digest(key).expect("signer");
        return s.sign_oneshot_to_vec(message).expect("sign");
    }
    let mut s = Signer::new(MessageDigest::sha256(), key).expect("signer");
    s.update(message).expect("update");
    let der = s.sign_to_vec().expect("sign");
    if !raw {
        return der;
    }
    let sig = EcdsaSig::from_der(&der).expect("DER signature");
    let half = key
        .ec_key()
        .expect("EC key")
        .group()
        .order_bits()
        .div_ceil(8) as i32;
    let mut out = sig.r().to_vec_padded(half).expect("r");
    out.extend(sig.s().to_vec_padded(half).expect("s"));
    out
}
