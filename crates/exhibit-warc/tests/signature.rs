//! Signed WACZ files: Webrecorder's real examples (py-wacz's `valid_signed_example_1` and
//! `invalid_signed_example_1`, kept in `tests/fixtures/wacz/`), every way we could break
//! the valid one, and WACZs signed here with fresh keys as ArchiveWeb.page signs them.
//! The domain checks use this machine's certificate bundle, as an import does.

#[path = "support/signed_wacz.rs"]
mod signed_wacz;

use chrono::{TimeZone, Utc};
use exhibit_warc::{
    Limits, SignatureFailure, SignatureTrust, Signer, WaczContents, WarcError, read_wacz,
    read_wacz_with,
};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use serde_json::Value;
use signed_wacz::{Wacz, b64, ec_key, invalid_example, valid_example};

const DOMAIN: &str = "btrix-sign-test.webrecorder.net";

/// Imports `bytes` as a file. The error is boxed as the facade boxes it.
fn import(bytes: &[u8]) -> Result<WaczContents, Box<WarcError>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("signed.wacz");
    std::fs::write(&path, bytes).expect("write");
    read_wacz(&path, &Limits::default()).map_err(Box::new)
}

/// Refused with `code`, its one sentence naming each of `words`.
fn refused(bytes: &[u8], code: &str, words: &[&str]) -> Box<WarcError> {
    let e = match import(bytes) {
        Ok(_) => panic!("imported, but should fail with {code}"),
        Err(e) => e,
    };
    let text = e.to_string();
    eprintln!("{}: {text}", e.code());
    assert_eq!(e.code(), code, "{text}");
    for w in words {
        assert!(text.contains(w), "{w:?} not in: {text}");
    }
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    assert!(text.ends_with('.'), "a sentence: {text}");
    e
}

fn failure(e: &WarcError) -> &SignatureFailure {
    match e {
        WarcError::SignatureFailed { failure } => failure.as_ref(),
        other => panic!("not a signature failure: {other}"),
    }
}

#[test]
fn the_valid_example_verifies_with_its_domain_and_times() {
    let contents = import(&valid_example()).expect("the valid example imports");
    let meta = &contents.meta;
    assert!(meta.signature_present);
    let sig = meta.signature.as_ref().expect("a verified signature");
    match &sig.signer {
        Signer::Domain {
            domain,
            certificate_sha256,
            issuer,
        } => {
            assert_eq!(domain, DOMAIN);
            // `openssl x509 -fingerprint -sha256` of the first certificate of domainCert.
            assert_eq!(
                certificate_sha256,
                "ff10085ea445e4380444bcc4d5114d91bfbb40f45324e019aaa683cf10efec8a"
            );
            assert!(issuer.contains("CN=R3"), "{issuer}");
        }
        other => panic!("a domain signer, not {other:?}"),
    }
    assert_eq!(sig.signer.name(), DOMAIN);
    let signed_at = Utc.with_ymd_and_hms(2022, 1, 18, 19, 0, 12).single();
    assert_eq!(Some(sig.created), signed_at);
    assert_eq!(sig.software.as_deref(), Some("authsigner 0.3.0"));
    let stamp = sig.time_signature.as_ref().expect("a time signature");
    assert_eq!(Some(stamp.gen_time), signed_at);
    assert!(
        stamp.tsa_name.contains("www.freetsa.org"),
        "{}",
        stamp.tsa_name
    );
    assert_eq!(stamp.serial, "0182026d");
    assert_eq!(contents.pages.len(), 1);
    assert_eq!(contents.pages[0].url, "https://example.com/");
}

#[test]
fn the_invalid_example_is_refused_for_its_staging_chain() {
    // Everything but the chain is sound: the hash, the ECDSA signature and FreeTSA's time
    // signature all verify. Its domain certificate comes from Let's Encrypt's staging
    // hierarchy, which authsign's roots (and every trust store) leave out.
    let e = refused(
        &invalid_example(),
        "signer_untrusted",
        &[
            DOMAIN,
            "(STAGING) Bogus Broccoli X2",
            "(STAGING) Pretend Pear X1",
            "staging",
        ],
    );
    assert!(matches!(failure(&e), SignatureFailure::Untrusted { .. }));
    assert!(e.to_string().contains("2022-01-18T04:54:34Z"), "{e}");
}

#[test]
fn an_unsigned_wacz_reads_as_unsigned() {
    let mut w = Wacz::open(&valid_example());
    let mut digest = w.json("datapackage-digest.json");
    digest.as_object_mut().map(|o| o.remove("signedData"));
    w.set_json("datapackage-digest.json", &digest);
    let contents = import(&w.to_bytes()).expect("unsigned imports");
    assert!(!contents.meta.signature_present);
    assert!(contents.meta.signature.is_none());
    assert!(contents.meta.datapackage_digest_checked);

    // `"signedData": null` says the same.
    digest["signedData"] = Value::Null;
    w.set_json("datapackage-digest.json", &digest);
    assert!(
        import(&w.to_bytes())
            .expect("imports")
            .meta
            .signature
            .is_none()
    );
}

#[test]
fn a_flipped_signature_byte_is_refused() {
    for at in [10, 40, 70] {
        let mut w = Wacz::open(&valid_example());
        w.flip_signed("signature", at, 0x01);
        let e = refused(
            &w.to_bytes(),
            "signature_invalid",
            &["does not verify", DOMAIN],
        );
        assert!(
            matches!(failure(&e), SignatureFailure::BadSignature { .. }),
            "{e}"
        );
    }
}

#[test]
fn a_changed_hash_is_refused() {
    // Only signedData.hash: it no longer describes datapackage.json.
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert(
            "hash".into(),
            Value::from(format!("sha256:{}", "ab".repeat(32))),
        );
    });
    let e = refused(
        &w.to_bytes(),
        "signature_invalid",
        &["not the SHA-256 of datapackage.json"],
    );
    assert!(matches!(failure(&e), SignatureFailure::HashMismatch { .. }));
}

#[test]
fn an_archive_edited_after_signing_with_every_digest_recomputed_is_refused() {
    // The page list changes (a title), and the forger recomputes its hash in
    // datapackage.json and datapackage.json's hash in both places datapackage-digest.json
    // holds it. Every digest matches; only the signature can tell.
    let mut w = Wacz::open(&valid_example());
    let pages = String::from_utf8(w.get("pages/pages.jsonl").to_vec()).expect("UTF-8");
    assert!(pages.contains("Example Domain"), "{pages}");
    w.forge(
        "pages/pages.jsonl",
        pages
            .replace("Example Domain", "Counterfeit Domain")
            .into_bytes(),
    );
    let e = refused(
        &w.to_bytes(),
        "signature_invalid",
        &["does not verify", DOMAIN],
    );
    assert!(matches!(failure(&e), SignatureFailure::BadSignature { .. }));

    // The WARC itself, the same way.
    let mut w = Wacz::open(&valid_example());
    let warc = w
        .entries
        .iter()
        .find(|(n, _)| n.starts_with("archive/"))
        .map(|(n, _)| n.clone())
        .expect("a WARC");
    // Its records twice over: still a sound WARC of gzip members, every digest recomputed.
    let once = w.get(&warc).to_vec();
    let twice = [once.as_slice(), once.as_slice()].concat();
    w.forge(&warc, twice);
    refused(&w.to_bytes(), "signature_invalid", &["does not verify"]);
}

#[test]
fn a_missing_or_corrupted_time_signature_is_refused() {
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.remove("timeSignature");
        s.remove("timestampCert");
    });
    refused(
        &w.to_bytes(),
        "time_signature_invalid",
        &["no time signature"],
    );

    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.remove("timeSignature");
    });
    refused(&w.to_bytes(), "time_signature_invalid", &["time signature"]);

    // A byte of the TSA's signature flipped (near the end of the token).
    let mut w = Wacz::open(&valid_example());
    w.flip_signed("timeSignature", -20, 0x01);
    refused(
        &w.to_bytes(),
        "time_signature_invalid",
        &["time signature", "does not verify"],
    );

    // A byte of its DER structure broken.
    let mut w = Wacz::open(&valid_example());
    w.flip_signed("timeSignature", 1, 0x40);
    refused(
        &w.to_bytes(),
        "time_signature_invalid",
        &["not a readable RFC 3161"],
    );

    // A real FreeTSA token, but for another signature (the invalid example's).
    let other = Wacz::open(&invalid_example()).signed();
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert("timeSignature".into(), other["timeSignature"].clone());
    });
    refused(
        &w.to_bytes(),
        "time_signature_invalid",
        &["stamps something other"],
    );

    // The signed time moved out of the stamp's ten minutes, in both places it is written:
    // datapackage.json changes, so it is re-signed... which the forger cannot do. Here
    // only signedData.created moves, and py-wacz's rule catches it first.
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert("created".into(), Value::from("2022-01-18T18:00:12Z"));
    });
    let e = refused(
        &w.to_bytes(),
        "signature_invalid",
        &["2022-01-18T18:00:12Z"],
    );
    assert!(matches!(
        failure(&e),
        SignatureFailure::CreatedMismatch { .. }
    ));
}

#[test]
fn a_replaced_or_truncated_domain_certificate_is_refused() {
    let other = Wacz::open(&invalid_example()).signed();
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert("domainCert".into(), other["domainCert"].clone());
    });
    refused(&w.to_bytes(), "signature_invalid", &["does not verify"]);

    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        let pem = s["domainCert"].as_str().expect("PEM").to_owned();
        s.insert("domainCert".into(), Value::from(&pem[..pem.len() / 5]));
    });
    refused(
        &w.to_bytes(),
        "signature_invalid",
        &["domainCert", "not a PEM"],
    );

    // The leaf alone: the signature holds, but no chain reaches a root.
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        let pem = s["domainCert"].as_str().expect("PEM").to_owned();
        let end = pem.find("-----END CERTIFICATE-----").expect("end") + 25;
        s.insert("domainCert".into(), Value::from(&pem[..end]));
    });
    refused(&w.to_bytes(), "signer_untrusted", &["\"R3\"", "not among"]);

    // Another domain than the certificate's.
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert("domain".into(), Value::from("webrecorder.net"));
    });
    let e = refused(
        &w.to_bytes(),
        "signer_untrusted",
        &["webrecorder.net", DOMAIN],
    );
    assert!(matches!(
        failure(&e),
        SignatureFailure::DomainMismatch { .. }
    ));
}

#[test]
fn the_chain_is_checked_at_the_signed_time_against_the_roots_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("valid.wacz");
    std::fs::write(&path, valid_example()).expect("write");
    // Without ISRG Root X1 among the roots, the same file is refused.
    let other_root = std::fs::read("/etc/ssl/certs/ISRG_Root_X2.pem").expect("ISRG Root X2");
    let trust = SignatureTrust::from_pem(&other_root, &other_root).expect("trust");
    let e = read_wacz_with(&path, &Limits::default(), &trust).expect_err("untrusted");
    assert_eq!(e.code(), "signer_untrusted", "{e}");
    assert!(e.to_string().contains("ISRG Root X1"), "{e}");
}

#[test]
fn hostile_signed_data_is_refused_in_one_sentence() {
    let cases: Vec<(Value, &str)> = vec![
        (Value::from("not an object"), "not a JSON object"),
        (Value::from(42), "not a JSON object"),
        (serde_json::json!([]), "not a JSON object"),
        (serde_json::json!({}), "no \"hash\""),
        (serde_json::json!({"hash": 7}), "not text"),
        (
            serde_json::json!({"hash": "sha256:00", "ev\u{1b}[31mil": 1}),
            "\\u{1b}[31m",
        ),
    ];
    for (signed, words) in cases {
        let mut w = Wacz::open(&valid_example());
        let mut digest = w.json("datapackage-digest.json");
        digest["signedData"] = signed;
        w.set_json("datapackage-digest.json", &digest);
        let e = refused(&w.to_bytes(), "signature_invalid", &[words]);
        assert!(!e.to_string().contains('\u{1b}'));
    }

    // A valid hash, then garbage in every other field.
    let fields = [
        ("signature", "%%%"),
        ("signature", ""),
        ("created", "yesterday"),
        (
            "domainCert",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ),
        ("timeSignature", "AAAA"),
        ("timestampCert", "garbage"),
        ("domain", "exa mple.com"),
    ];
    for (key, value) in fields {
        let mut w = Wacz::open(&valid_example());
        w.edit_signed(|s| {
            s.insert(key.into(), Value::from(value));
        });
        let e = import(&w.to_bytes()).expect_err(key);
        assert!(
            matches!(*e, WarcError::SignatureFailed { .. }),
            "{key}: {e}"
        );
        assert_eq!(e.to_string().lines().count(), 1, "{e}");
    }

    // Both signer forms at once.
    let mut w = Wacz::open(&valid_example());
    w.edit_signed(|s| {
        s.insert("publicKey".into(), Value::from("AAAA"));
    });
    refused(&w.to_bytes(), "signature_invalid", &["one signer"]);

    // Not JSON at all.
    let mut w = Wacz::open(&valid_example());
    w.set(
        "datapackage-digest.json",
        b"{\"path\": \"datapackage.json\", \"hash\":".to_vec(),
    );
    let e = import(&w.to_bytes()).expect_err("garbage JSON");
    assert_eq!(e.code(), "invalid_metadata", "{e}");
}

#[test]
fn a_wacz_signed_with_a_fresh_key_verifies_and_records_the_key() {
    for (curve, raw) in [
        (Nid::X9_62_PRIME256V1, false),
        (Nid::X9_62_PRIME256V1, true),
        (Nid::SECP384R1, true),
    ] {
        let key = ec_key(curve);
        let mut w = Wacz::open(&valid_example());
        w.sign_with_key(&key, raw);
        let contents = import(&w.to_bytes()).expect("key-signed imports");
        let sig = contents.meta.signature.expect("signed");
        let spki = key.public_key_to_der().expect("SPKI");
        let fingerprint = signed_wacz::sha256_hex(&spki);
        match &sig.signer {
            Signer::Key {
                fingerprint: f,
                algorithm,
            } => {
                assert_eq!(f, &fingerprint);
                assert!(algorithm.starts_with("ECDSA"), "{algorithm}");
            }
            other => panic!("a key signer, not {other:?}"),
        }
        assert_eq!(sig.signer.name(), format!("key sha256:{fingerprint}"));
        assert!(sig.time_signature.is_none());

        // Edited after signing, every digest recomputed: the key's signature notices.
        let mut forged = w.clone();
        forged.forge(
            "pages/pages.jsonl",
            b"{\"format\": \"json-pages-1.0\"}\n".to_vec(),
        );
        refused(
            &forged.to_bytes(),
            "signature_invalid",
            &["does not verify", &fingerprint],
        );

        // Another key's signature under this key.
        let mut swapped = w.clone();
        let other = ec_key(curve);
        swapped.edit_signed(|s| {
            let hash = s["hash"].as_str().expect("hash").to_owned();
            let sig = signed_wacz::sign(&other, hash.as_bytes(), raw);
            s.insert("signature".into(), Value::from(b64(&sig)));
        });
        refused(
            &swapped.to_bytes(),
            "signature_invalid",
            &["does not verify"],
        );
    }

    let key = PKey::generate_ed25519().expect("Ed25519 key");
    let mut w = Wacz::open(&valid_example());
    w.sign_with_key(&key, false);
    let sig = import(&w.to_bytes())
        .expect("Ed25519 imports")
        .meta
        .signature
        .expect("signed");
    assert!(matches!(&sig.signer, Signer::Key { algorithm, .. } if algorithm == "Ed25519"));
}

#[test]
fn a_real_time_signature_on_a_key_signature_is_checked_too() {
    // A key signature may carry a time signature: here the valid example's, which stamps
    // the example's signature and not this one, so it is refused.
    let key = ec_key(Nid::X9_62_PRIME256V1);
    let stamp = Wacz::open(&valid_example()).signed();
    let mut w = Wacz::open(&valid_example());
    w.sign_with_key(&key, false);
    w.edit_signed(|s| {
        s.insert("timeSignature".into(), stamp["timeSignature"].clone());
        s.insert("timestampCert".into(), stamp["timestampCert"].clone());
    });
    refused(
        &w.to_bytes(),
        "time_signature_invalid",
        &["stamps something other"],
    );
}

#[test]
fn the_fixtures_are_the_real_files() {
    // So no test passes on a file someone "fixed": the SHA-256 of py-wacz's own files.
    assert_eq!(
        signed_wacz::sha256_hex(&valid_example()),
        "08d4c4b515992dd0c58698263c4d577416900651c42927e3ecf830626426e57e"
    );
    assert_eq!(
        signed_wacz::sha256_hex(&invalid_example()),
        "ecd111d815820f39cb6db3d2dd660fef934935c6a38ff630ff0d62de3edca63c"
    );
    assert!(signed_wacz::fixtures().join("README.md").is_file());
}
