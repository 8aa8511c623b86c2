//! RFC 3161 responses (what a time-stamp authority answers, and what a case or a signed
//! WACZ stores): DER from the network or from a file.
//!
//! Responses are checked for one digest (SHA-256 of "exhibit fuzz") against one root,
//! `fuzz/tsa/ca.pem`, whose TSA signed the seeds (`fuzz/tsa/make-pki.sh`). What must
//! hold, beyond no panic: a response accepted is for that digest, is the input itself,
//! was signed by that root's time-stamping certificate, and its nonce is really
//! checked (the same token asked for with another nonce is refused).
#![no_main]

use std::sync::LazyLock;

use exhibit_tsa::{Trust, TsaError, verify};
use libfuzzer_sys::fuzz_target;

/// SHA-256 of "exhibit fuzz".
const DIGEST: [u8; 32] = [
    0x15, 0xe7, 0x2d, 0xef, 0xa2, 0xb5, 0xa5, 0xcf, 0x13, 0x31, 0x3f, 0xe6, 0x8d, 0x48, 0x33, 0x31,
    0xb8, 0x4b, 0x34, 0xf9, 0xe6, 0xe3, 0x13, 0xb3, 0xfd, 0xee, 0x5c, 0xf7, 0x68, 0x84, 0xa1, 0xb2,
];

static TRUST: LazyLock<Trust> = LazyLock::new(|| {
    Trust::only(include_bytes!("../tsa/ca.pem")).expect("the fuzz root is a certificate")
});

/// `EXHIBIT_FUZZ_SHOW=1` prints each verdict, to see what a seed reaches.
static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("EXHIBIT_FUZZ_SHOW").is_some());

fuzz_target!(|data: &[u8]| {
    let verdict = verify(data, &DIGEST, None, &TRUST);
    if *SHOW {
        eprintln!("verdict: {verdict:?}");
    }
    let Ok(stamp) = verdict else {
        return;
    };
    assert_eq!(stamp.digest, DIGEST, "a stamp for another digest");
    assert_eq!(
        stamp.response, data,
        "the stamp keeps other bytes than it read"
    );
    assert!(
        stamp.tsa_name.contains("CN=Exhibit Fuzz TSA"),
        "a stamp signed by {:?}",
        stamp.tsa_name
    );
    let wrong = [0x5a; 16];
    match verify(data, &DIGEST, Some(&wrong), &TRUST) {
        Err(TsaError::WrongNonce) => {}
        other => panic!("a token asked for with another nonce gave {other:?}"),
    }
});
