//! The TSA client against a real local TSA: `openssl ts -reply` behind an HTTP server on
//! 127.0.0.1, a PKI generated per test, and stock `openssl ts -verify` as the judge of
//! what is stored.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use exhibit_tsa::testing::{
    Behaviour, SHORT_LIVED, TEST_POLICY, TSA_CN, TestPki, TestTsa, openssl_ts_verify,
    openssl_ts_verify_digest, unreachable_url,
};
use exhibit_tsa::{MAX_RESPONSE, NoTrustedTime, Stamp, Trust, TsaError, request, stamp, verify};
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(20);

fn new_pki() -> (TempDir, TestPki) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let pki = TestPki::new(dir.path());
    (dir, pki)
}

fn sha256(data: &[u8]) -> [u8; 32] {
    openssl::sha::sha256(data)
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn assert_one_sentence(text: &str) {
    assert!(text.ends_with('.'), "not one sentence: {text}");
    assert!(!text.contains('\n'), "not one line: {text}");
    let body = &text[..text.len() - 1];
    assert!(!body.contains(". "), "more than one sentence: {text}");
}

async fn good_stamp(pki: &TestPki, tsa: &TestTsa, digest: &[u8; 32]) -> Stamp {
    stamp(&[tsa.url()], &pki.trust(), digest, TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("the good TSA gave no stamp: {e}"))
}

/// Runs `stamp` against one TSA behaving as `behaviour` and returns the one reason it
/// gave, after checking that `NoTrustedTime` names the URL in one sentence.
async fn refusal(behaviour: Behaviour, timeout: Duration) -> TsaError {
    let (_dir, pki) = new_pki();
    let tsa = TestTsa::start(&pki, behaviour);
    refusal_from(&tsa.url(), &pki.trust(), timeout).await
}

async fn refusal_from(url: &str, trust: &Trust, timeout: Duration) -> TsaError {
    let digest = sha256(b"a listing");
    let error: NoTrustedTime = stamp(&[url.to_owned()], trust, &digest, timeout)
        .await
        .err()
        .unwrap_or_else(|| panic!("{url} should not give a trusted time"));
    assert_eq!(error.attempts.len(), 1);
    assert_eq!(error.attempts[0].0, url);
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("No trusted time: {url}: ")),
        "{text}"
    );
    assert_one_sentence(&text);
    error.attempts[0].1.clone()
}

#[tokio::test]
async fn good_stamp_verifies_again_and_with_stock_openssl() {
    let (dir, pki) = new_pki();
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let data = b"<html>a listing</html>";
    let digest = sha256(data);

    let stamp = good_stamp(&pki, &tsa, &digest).await;
    assert_eq!(tsa.requests(), 1);
    assert_eq!(stamp.tsa_url, tsa.url());
    assert_eq!(stamp.digest, digest);
    let age = Utc::now() - stamp.gen_time;
    assert!(
        age.num_seconds().abs() < 60,
        "genTime {} is not now",
        stamp.gen_time
    );
    assert!(!stamp.serial.is_empty());
    assert!(
        stamp
            .serial
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert!(
        stamp.tsa_name.contains(&format!("CN={TSA_CN}")),
        "{}",
        stamp.tsa_name
    );
    assert_eq!(stamp.tsa_name, "CN=Exhibit Test TSA, O=Exhibit Tests");
    assert_eq!(stamp.policy, TEST_POLICY);
    assert_eq!(stamp.nonce.as_ref().map(String::len), Some(32));

    // Later, from the stored bytes alone.
    let again = verify(&stamp.response, &digest, None, &pki.trust())
        .unwrap_or_else(|e| panic!("stored response no longer verifies: {e}"));
    assert_eq!(again.tsa_url, "");
    assert_eq!(again.gen_time, stamp.gen_time);
    assert_eq!(again.serial, stamp.serial);
    assert_eq!(again.nonce, stamp.nonce);
    assert_eq!(again.response, stamp.response);

    // What is stored is what stock OpenSSL checks.
    let tsr = dir.path().join("stamp.tsr");
    let data_file = dir.path().join("listing.html");
    write(&tsr, &stamp.response);
    write(&data_file, data);
    for output in [
        openssl_ts_verify_digest(&hex::encode(digest), &tsr, pki.ca_pem_path()),
        openssl_ts_verify(&data_file, &tsr, pki.ca_pem_path()),
    ] {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("Verification: OK"),
            "openssl ts -verify: {stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[tokio::test]
async fn answer_for_another_nonce_is_refused() {
    assert_eq!(
        refusal(Behaviour::WrongNonce, TIMEOUT).await,
        TsaError::WrongNonce
    );
}

#[tokio::test]
async fn token_for_another_digest_is_refused() {
    assert_eq!(
        refusal(Behaviour::OtherDigest, TIMEOUT).await,
        TsaError::WrongDigest
    );
}

#[tokio::test]
async fn token_from_an_expired_certificate_is_refused() {
    match refusal(Behaviour::ExpiredCert, TIMEOUT).await {
        TsaError::Expired(subject) => assert!(subject.contains("Exhibit Expired TSA"), "{subject}"),
        other => panic!("expected Expired, got {other:?}"),
    }
}

#[tokio::test]
async fn token_from_a_certificate_without_the_timestamping_usage_is_refused() {
    match refusal(Behaviour::NoEku, TIMEOUT).await {
        TsaError::NoTimestampUsage(subject) => {
            assert!(subject.contains("Exhibit No-EKU TSA"), "{subject}")
        }
        other => panic!("expected NoTimestampUsage, got {other:?}"),
    }
}

#[tokio::test]
async fn token_without_the_signing_certificate_attribute_is_refused() {
    match refusal(Behaviour::NoSigningCertAttr, TIMEOUT).await {
        TsaError::SigningCertMismatch(_) => {}
        other => panic!("expected SigningCertMismatch, got {other:?}"),
    }
}

#[tokio::test]
async fn refusal_by_the_tsa_is_reported_with_its_reasons() {
    match refusal(Behaviour::Rejection, TIMEOUT).await {
        TsaError::Rejected { status, text } => {
            assert_eq!(status, "rejection (2)");
            assert!(text.contains("test TSA is refusing requests"), "{text}");
            assert!(text.contains("systemFailure"), "{text}");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[tokio::test]
async fn unreachable_tsa_is_reported() {
    let (_dir, pki) = new_pki();
    match refusal_from(&unreachable_url(), &pki.trust(), TIMEOUT).await {
        TsaError::Unreachable(reason) => assert!(!reason.is_empty()),
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[tokio::test]
async fn garbage_answer_is_refused() {
    match refusal(Behaviour::Garbage, TIMEOUT).await {
        TsaError::NotATimestamp(_) => {}
        other => panic!("expected NotATimestamp, got {other:?}"),
    }
}

#[tokio::test]
async fn http_500_is_refused() {
    assert_eq!(
        refusal(Behaviour::HttpError(500), TIMEOUT).await,
        TsaError::HttpStatus(500)
    );
}

#[tokio::test]
async fn redirect_is_not_followed() {
    assert_eq!(
        refusal(Behaviour::HttpError(302), TIMEOUT).await,
        TsaError::HttpStatus(302)
    );
}

#[tokio::test]
async fn slow_tsa_times_out() {
    let limit = Duration::from_secs(1);
    let started = Instant::now();
    let error = refusal(Behaviour::Slow(Duration::from_secs(5)), limit).await;
    assert_eq!(error, TsaError::Timeout(limit));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn answer_over_one_mebibyte_is_refused() {
    assert_eq!(
        refusal(Behaviour::Oversize, TIMEOUT).await,
        TsaError::TooLarge(MAX_RESPONSE)
    );
}

#[tokio::test]
async fn good_token_is_untrusted_without_its_root() {
    let (_dir, pki) = new_pki();
    let (_other_dir, other_pki) = new_pki();
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    match refusal_from(&tsa.url(), &other_pki.trust(), TIMEOUT).await {
        TsaError::Untrusted(reason) => assert!(!reason.is_empty()),
        other => panic!("expected Untrusted, got {other:?}"),
    }
    // The system bundle does not know the test root either.
    let system = Trust::system_and(&[]).unwrap_or_else(|e| panic!("system roots: {e}"));
    match refusal_from(&tsa.url(), &system, TIMEOUT).await {
        TsaError::Untrusted(_) => {}
        other => panic!("expected Untrusted, got {other:?}"),
    }
}

#[tokio::test]
async fn falls_back_to_the_next_tsa() {
    let (_dir, pki) = new_pki();
    let good = TestTsa::start(&pki, Behaviour::Good);
    let broken = TestTsa::start(&pki, Behaviour::Garbage);
    let urls = [unreachable_url(), broken.url(), good.url()];
    let digest = sha256(b"a listing");
    let stamp = stamp(&urls, &pki.trust(), &digest, TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("no fallback: {e}"));
    assert_eq!(stamp.tsa_url, good.url());
    assert_eq!(broken.requests(), 1);
    assert_eq!(good.requests(), 1);
}

#[tokio::test]
async fn no_tsa_configured_is_one_sentence() {
    let (_dir, pki) = new_pki();
    let error = stamp(&[], &pki.trust(), &sha256(b"x"), TIMEOUT)
        .await
        .err()
        .unwrap_or_else(|| panic!("no TSA cannot give a stamp"));
    assert!(error.attempts.is_empty());
    assert_eq!(
        error.to_string(),
        "No trusted time: no time-stamp authority is configured."
    );
}

#[tokio::test]
async fn every_reason_is_kept_in_one_sentence() {
    let (_dir, pki) = new_pki();
    let failing = TestTsa::start(&pki, Behaviour::HttpError(500));
    let nowhere = unreachable_url();
    let urls = [nowhere.clone(), failing.url()];
    let error = stamp(&urls, &pki.trust(), &sha256(b"x"), TIMEOUT)
        .await
        .err()
        .unwrap_or_else(|| panic!("nothing good was configured"));
    assert_eq!(error.attempts.len(), 2);
    let text = error.to_string();
    assert_one_sentence(&text);
    assert!(
        text.starts_with(&format!(
            "No trusted time: {nowhere}: the time-stamp authority could not be reached ("
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "; {}: the time-stamp authority answered with HTTP status 500",
            failing.url()
        )),
        "{text}"
    );
}

#[tokio::test]
async fn stored_token_outlives_its_tsa_certificate() {
    let (_dir, pki) = new_pki();
    let tsa = TestTsa::start(&pki, Behaviour::ShortLived);
    let digest = sha256(b"a listing");
    let stamp = good_stamp(&pki, &tsa, &digest).await;
    // Wait until the signer's certificate has expired: the token was signed while it
    // was valid, so it stays valid.
    tokio::time::sleep(SHORT_LIVED + Duration::from_secs(2)).await;
    let again = verify(&stamp.response, &digest, None, &pki.trust())
        .unwrap_or_else(|e| panic!("a token signed in time must stay valid: {e}"));
    assert_eq!(again.gen_time, stamp.gen_time);
}

#[tokio::test]
async fn hostile_bytes_are_errors_never_panics() {
    let (_dir, pki) = new_pki();
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let digest = sha256(b"a listing");
    let good = good_stamp(&pki, &tsa, &digest).await;
    let trust = pki.trust();
    let response = &good.response;

    assert!(matches!(
        verify(&[], &digest, None, &trust),
        Err(TsaError::NotATimestamp(_))
    ));
    for cut in [1, 2, 10, response.len() / 2, response.len() - 1] {
        assert!(
            verify(&response[..cut], &digest, None, &trust).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = response.clone();
    longer.push(0);
    assert!(
        verify(&longer, &digest, None, &trust).is_err(),
        "trailing byte"
    );

    // The RSA-2048 signature is the last 256 bytes of the response.
    let mut flipped = response.clone();
    let at = flipped.len() - 10;
    flipped[at] ^= 0x01;
    match verify(&flipped, &digest, None, &trust) {
        Err(error @ TsaError::BadSignature(_)) => assert_one_sentence(&error.to_string()),
        other => panic!("expected BadSignature, got {other:?}"),
    }

    // Every single-bit flip anywhere: an error, or the very same stamp (a flip in an
    // unsigned copy of the root, which the trusted root replaces, changes nothing).
    for at in 0..response.len() {
        let mut mutant = response.clone();
        mutant[at] ^= 0x80;
        if let Ok(stamp) = verify(&mutant, &digest, None, &trust) {
            assert_eq!(
                (stamp.gen_time, &stamp.serial, &stamp.tsa_name, &stamp.nonce),
                (good.gen_time, &good.serial, &good.tsa_name, &good.nonce),
                "a flip at byte {at} changed what the token says"
            );
        }
    }
}

#[test]
fn trust_reports_bad_files_by_name() {
    let (dir, pki) = new_pki();
    let missing = dir.path().join("missing.pem");
    match Trust::system_and(std::slice::from_ref(&missing)) {
        Err(TsaError::Roots(text)) => assert!(text.contains("missing.pem"), "{text}"),
        other => panic!("expected Roots, got {other:?}"),
    }
    let not_pem = dir.path().join("not-a-cert.pem");
    write(&not_pem, b"hello");
    match Trust::system_and(std::slice::from_ref(&not_pem)) {
        Err(error @ TsaError::Roots(_)) => {
            assert!(error.to_string().contains("not-a-cert.pem"), "{error}");
            assert_one_sentence(&error.to_string());
        }
        other => panic!("expected Roots, got {other:?}"),
    }
    let trust = Trust::system_and(&[pki.ca_pem_path().to_owned()])
        .unwrap_or_else(|e| panic!("system and test roots: {e}"));
    let ca = openssl::x509::X509::from_pem(&pki.ca_pem()).unwrap_or_else(|e| panic!("{e}"));
    let der = ca.to_der().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(trust.extra_root_sha256(), vec![sha256(&der)]);
    assert!(trust.len() > 1, "system roots were not loaded");
}

#[test]
fn requests_carry_a_fresh_nonce() {
    let digest = sha256(b"x");
    let a = request(&digest).unwrap_or_else(|e| panic!("{e}"));
    let b = request(&digest).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(a.nonce, b.nonce);
    assert_eq!(a.digest, digest);
}
