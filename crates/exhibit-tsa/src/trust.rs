//! The roots a TSA certificate must chain to.
//!
//! Roots are loaded once into memory. A fresh OpenSSL store is built from them for each
//! verification, because the verification time (the token's genTime) is a property of
//! the store.

use std::path::{Path, PathBuf};

use openssl::hash::MessageDigest;
use openssl::x509::X509;
use openssl::x509::X509PurposeId;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyParam;

use crate::TsaError;

/// Where Debian-family systems keep the bundle when `openssl-probe` finds nothing.
const FALLBACK_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Trusted roots for TSA certificates: the system bundle (found with `openssl-probe`,
/// falling back to `/etc/ssl/certs/ca-certificates.crt`) plus extra PEM files.
#[derive(Clone)]
pub struct Trust {
    system: Vec<X509>,
    extra: Vec<X509>,
    extra_sha256: Vec<[u8; 32]>,
    system_bundle: Option<PathBuf>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field("system_roots", &self.system.len())
            .field("system_bundle", &self.system_bundle)
            .field("extra_roots", &self.extra.len())
            .finish()
    }
}

impl Trust {
    /// The system bundle plus every certificate in each of `extra_pem_files`.
    ///
    /// A missing, unreadable or non-PEM extra file is an error naming the file. A machine
    /// without a system bundle (macOS, Windows) gets only the extra roots, and an error
    /// when there are none at all.
    pub fn system_and(extra_pem_files: &[PathBuf]) -> Result<Trust, TsaError> {
        let (system, system_bundle) = match system_bundle_path() {
            Some(path) => (read_pem_file(&path)?, Some(path)),
            None => {
                tracing::warn!(
                    "no system certificate bundle found; only extra TSA roots are trusted"
                );
                (Vec::new(), None)
            }
        };
        let mut extra = Vec::new();
        for path in extra_pem_files {
            extra.extend(read_pem_file(path)?);
        }
        if system.is_empty() && extra.is_empty() {
            return Err(TsaError::Roots(
                "no system certificate bundle was found and no extra root was given, so pass the TSA's root certificate with --tsa-ca".to_owned(),
            ));
        }
        Trust::new(system, extra, system_bundle)
    }

    /// Only the certificates in `pem`, without system roots (for tests and pinned TSAs).
    pub fn only(pem: &[u8]) -> Result<Trust, TsaError> {
        let extra = parse_pem(pem, "the given PEM text")?;
        Trust::new(Vec::new(), extra, None)
    }

    fn new(
        system: Vec<X509>,
        extra: Vec<X509>,
        system_bundle: Option<PathBuf>,
    ) -> Result<Trust, TsaError> {
        let extra_sha256 = extra
            .iter()
            .map(|cert| {
                let digest = cert
                    .digest(MessageDigest::sha256())
                    .map_err(|e| TsaError::Crypto(e.to_string()))?;
                let mut out = [0u8; 32];
                out.copy_from_slice(&digest);
                Ok(out)
            })
            .collect::<Result<Vec<_>, TsaError>>()?;
        Ok(Trust {
            system,
            extra,
            extra_sha256,
            system_bundle,
        })
    }

    /// These roots and `more` (DER), for a caller that pins a root it knows by its
    /// fingerprint (a signed WACZ names FreeTSA's root, which no system bundle holds).
    pub fn and_roots_der(&self, more: &[Vec<u8>]) -> Result<Trust, TsaError> {
        let mut extra = self.extra.clone();
        for der in more {
            extra.push(X509::from_der(der).map_err(|e| {
                TsaError::Roots(format!("a pinned root certificate does not decode ({e})"))
            })?);
        }
        Trust::new(self.system.clone(), extra, self.system_bundle.clone())
    }

    /// SHA-256 of each extra root's DER, in load order, for the record.
    pub fn extra_root_sha256(&self) -> Vec<[u8; 32]> {
        self.extra_sha256.clone()
    }

    /// The system bundle the roots were read from, if any.
    pub fn system_bundle(&self) -> Option<&Path> {
        self.system_bundle.as_deref()
    }

    /// How many roots are trusted in all.
    pub fn len(&self) -> usize {
        self.system.len() + self.extra.len()
    }

    /// True when no root is trusted (never the case for a `Trust` built by this crate).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A store holding every root that checks the timestamp-signing purpose at `at`
    /// (seconds since the epoch), not at the current time.
    pub(crate) fn store_at(&self, at: i64) -> Result<X509Store, TsaError> {
        let crypto = |e: openssl::error::ErrorStack| TsaError::Crypto(e.to_string());
        let mut builder = X509StoreBuilder::new().map_err(crypto)?;
        for cert in self.system.iter().chain(&self.extra) {
            // The same root can be in the bundle and in an extra file: OpenSSL 3 ignores
            // duplicates, older versions report an error that is harmless here.
            let _ = builder.add_cert(cert.clone());
        }
        let mut param = X509VerifyParam::new().map_err(crypto)?;
        // OpenSSL's timestamp purpose demands the timeStamping EKU, alone and critical,
        // on the signer (RFC 3161 §2.3), and a CA on every issuer.
        param
            .set_purpose(X509PurposeId::TIMESTAMP_SIGN)
            .map_err(crypto)?;
        // time_t is i64 on 64-bit targets but i32 on some 32-bit ones.
        #[allow(clippy::useless_conversion)]
        let at = at.try_into().map_err(|_| {
            TsaError::Crypto(format!("the time {at} does not fit this platform's time_t"))
        })?;
        param.set_time(at);
        builder.set_param(&param).map_err(crypto)?;
        Ok(builder.build())
    }
}

fn system_bundle_path() -> Option<PathBuf> {
    let probed = openssl_probe::probe().cert_file;
    probed.or_else(|| {
        let fallback = PathBuf::from(FALLBACK_BUNDLE);
        fallback.is_file().then_some(fallback)
    })
}

fn read_pem_file(path: &Path) -> Result<Vec<X509>, TsaError> {
    let bytes = std::fs::read(path).map_err(|e| {
        TsaError::Roots(format!(
            "{} could not be read ({e}), so give the path of a PEM certificate file",
            path.display()
        ))
    })?;
    parse_pem(&bytes, &path.display().to_string())
}

fn parse_pem(pem: &[u8], what: &str) -> Result<Vec<X509>, TsaError> {
    let certs = X509::stack_from_pem(pem).map_err(|e| {
        TsaError::Roots(format!(
            "{what} is not a valid PEM certificate file ({e}), so give a file with BEGIN CERTIFICATE blocks"
        ))
    })?;
    if certs.is_empty() {
        return Err(TsaError::Roots(format!(
            "{what} contains no PEM certificate, so give a file with BEGIN CERTIFICATE blocks"
        )));
    }
    Ok(certs)
}
