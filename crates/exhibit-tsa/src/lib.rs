//! RFC 3161 trusted timestamps: ask a time-stamp authority (TSA) to sign a SHA-256, and
//! check what it signed.
//!
//! The main entry points are [`stamp`], which asks each TSA in a list until one answers
//! with a token that verifies, and [`verify`], which checks stored response bytes again.
//! Both return a [`Stamp`]; [`Trust`] holds the roots a TSA certificate must chain to.
//! [`request`] builds the query on its own, for callers that carry it themselves.
//!
//! A token is accepted only when all of this holds: the status is granted, the message
//! imprint is SHA-256 and equals the digest, the nonce equals the request's (when one was
//! sent), the CMS signature verifies, the ESS signing-certificate attribute names the
//! signer, and the signer's certificate carries the critical timeStamping extended key
//! usage and chains to a trusted root, with every certificate valid at the token's
//! genTime. The stored bytes are the whole `TimeStampResp`, which stock
//! `openssl ts -verify` reads.
//!
//! ASN.1 is decoded with RustCrypto's `x509-tsp`, `cms`, `x509-cert` and `der`, and
//! signatures and chains are checked by OpenSSL's CMS code. This crate writes nothing
//! to disk and keeps no state between calls. With the `testing` feature, the `testing`
//! module provides a local TSA built from a generated PKI and the `openssl` command.

mod error;
#[cfg(feature = "http")]
mod http;
mod token;
mod trust;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::{NoTrustedTime, TsaError};
#[cfg(feature = "http")]
pub use http::{DEFAULT_TIMEOUT, MAX_RESPONSE, stamp};
pub use token::{Request, Stamp, request, verify, verify_with_certificates};
pub use trust::Trust;

/// Free public TSAs that speak RFC 3161 over HTTP and sign with SHA-256 and RSA, in the
/// order they are tried.
///
/// - `http://timestamp.digicert.com`: DigiCert's TSA. Its signer chains through
///   "DigiCert Trusted G4 … TimeStamping … CA" to **DigiCert Trusted Root G4**, which is
///   in the Mozilla bundle that Linux systems ship.
/// - `http://timestamp.sectigo.com`: Sectigo's TSA. Its signer chains through "Sectigo
///   Public Time Stamping CA" to **Sectigo Public Time Stamping Root R46**, which
///   Sectigo cross-signs with **USERTrust RSA Certification Authority** (in the Mozilla
///   bundle). A token that does not carry the cross-certificate needs the R46 root
///   given with `--tsa-ca`.
/// - `https://freetsa.org/tsr`: FreeTSA, a free OpenSSL-based TSA. Its signer chains to
///   **FreeTSA Root CA**, which is not in any system bundle: download its `cacert.pem`
///   from freetsa.org and pass it with `--tsa-ca`, or its tokens are refused as
///   untrusted.
///
/// Plain HTTP is what RFC 3161 TSAs usually serve, and it is safe here: the token is
/// signed, and [`verify`] checks it whatever the transport.
pub const DEFAULT_TSAS: &[&str] = &[
    "http://timestamp.digicert.com",
    "http://timestamp.sectigo.com",
    "https://freetsa.org/tsr",
];
