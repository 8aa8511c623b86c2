//! Signed WACZ files: the `signedData` of `datapackage-digest.json`, checked in full.
//!
//! The format is Webrecorder's "WACZ Signing and Verification" 0.1.0, as its reference
//! verifier (`authsign`, used by `wacz validate --verify-auth`) and ReplayWeb.page check
//! it. A signature covers `datapackage.json` only, which lists the hash of every other
//! entry, so the reader checks it before it trusts that list. Two forms exist:
//!
//! - **Domain** (authsign, Browsertrix): `signature` is an ECDSA signature (SHA-256, DER)
//!   over the exact text of `hash` (`sha256:` and hex) by the key of the first
//!   certificate of `domainCert`, a TLS certificate for `domain` whose chain is in the
//!   same PEM. `timeSignature` is an RFC 3161 response (base64) stamping the SHA-256 of
//!   the exact base64 text of `signature`, signed by the first certificate of
//!   `timestampCert`. Checked here: the hash, the signature, the certificate names
//!   `domain` (no wildcard), its chain reaches a root of the system's bundle **at the
//!   signed time `created`** (the certificates live for 90 days; the WACZ is evidence
//!   for years), `created` falls within 7 days of the certificate's issue (authsign's
//!   rule: a signing certificate is fresh), the time signature verifies in full with
//!   exhibit-tsa (imprint, CMS signature, ESS signing certificate, timeStamping usage,
//!   chain valid at its genTime), and `created` lies within the 10 minutes before its
//!   genTime. Its chain must reach a system root or a root pinned by SHA-256 as authsign
//!   pins them (FreeTSA's, which no system bundle holds). An optional `crossSignedCert`
//!   must carry the same key and be a consistent chain, as authsign checks it.
//! - **Key** ("anonymous", ArchiveWeb.page): `publicKey` is a base64 SubjectPublicKeyInfo
//!   and `signature` signs the text of `hash` with it: ECDSA with SHA-256 (DER, or the
//!   raw `r‖s` WebCrypto writes) or Ed25519. Nothing vouches for the key itself, so the
//!   signer is recorded as the SHA-256 of its DER for the reader to recognise.
//!
//! `datapackage.json`'s own `created` must equal the signed one when it has one, as
//! py-wacz requires. The spec allows no property outside the two forms, and none is
//! accepted.
//!
//! Chains, names, times and signatures are checked with OpenSSL (already the workspace's
//! engine for RFC 3161 in exhibit-tsa): its chain builder finds an issuer in the trusted
//! store by name and key before it looks at the certificates offered, which is what
//! makes the cross-signed "ISRG Root X1" of a 2022 Let's Encrypt chain resolve to the
//! self-signed ISRG Root X1 every bundle holds, and it checks host names as TLS does.
//! RustCrypto would need a chain builder written here.

use std::path::PathBuf;

use chrono::{DateTime, SecondsFormat, Utc};
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Public};
use openssl::sign::Verifier;
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::{X509CheckFlags, X509VerifyParam};
use openssl::x509::{
    X509, X509NameRef, X509PurposeId, X509Ref, X509StoreContext, X509VerifyResult,
};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use crate::error::shown;

/// Timestamp roots authsign trusts by the SHA-256 of their DER
/// (`authsign/trusted/roots.yaml`): FreeTSA's root CA, which no system bundle holds.
const PINNED_TSA_ROOTS: &[&str] =
    &["a6379e7cecc05faa3cbf076013d745e327bbbaa38c0b9af22469d4701d18aabc"];

/// How long after its domain certificate was issued a signature may be made
/// (authsign's `CERT_DURATION`).
const CERT_FRESH_SECONDS: i64 = 7 * 86_400;

/// How long before the time signature's genTime the signed `created` may be
/// (the spec's 10 minutes; authsign's `STAMP_DURATION`).
const STAMP_WINDOW_SECONDS: i64 = 10 * 60;

/// Where Debian-family systems keep the bundle when `openssl-probe` finds nothing.
const FALLBACK_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Every property the spec allows in `signedData`, in either form.
const KNOWN: [&str; 11] = [
    "hash",
    "created",
    "software",
    "version",
    "signature",
    "publicKey",
    "domain",
    "domainCert",
    "timeSignature",
    "timestampCert",
    "crossSignedCert",
];

/// The roots a signed WACZ is checked against.
#[derive(Clone)]
pub struct SignatureTrust {
    /// Roots a domain certificate's chain must reach.
    domain_roots: Vec<X509>,
    /// Roots a time signature's chain must reach (the pinned ones are added per WACZ).
    tsa: exhibit_tsa::Trust,
}

impl std::fmt::Debug for SignatureTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureTrust")
            .field("domain_roots", &self.domain_roots.len())
            .field("tsa", &self.tsa)
            .finish()
    }
}

impl SignatureTrust {
    /// The system's bundle (found with `openssl-probe`, which honours `SSL_CERT_FILE`,
    /// else `/etc/ssl/certs/ca-certificates.crt`) for domains and time-stamp authorities.
    pub fn system() -> Result<SignatureTrust, SignatureFailure> {
        let path = openssl_probe::probe()
            .cert_file
            .or_else(|| {
                let fallback = PathBuf::from(FALLBACK_BUNDLE);
                fallback.is_file().then_some(fallback)
            })
            .ok_or_else(|| {
                SignatureFailure::NoRoots("this computer has no certificate bundle".to_owned())
            })?;
        let pem = std::fs::read(&path).map_err(|e| {
            SignatureFailure::NoRoots(format!("{} could not be read: {e}", path.display()))
        })?;
        let domain_roots = X509::stack_from_pem(&pem).map_err(|e| {
            SignatureFailure::NoRoots(format!("{} is not a PEM bundle: {e}", path.display()))
        })?;
        let tsa = exhibit_tsa::Trust::system_and(&[])
            .map_err(|e| SignatureFailure::NoRoots(clause(&e.to_string())))?;
        Ok(SignatureTrust { domain_roots, tsa })
    }

    /// Only the roots in `domain_pem` for domains and in `tsa_pem` for time-stamp
    /// authorities (the pinned FreeTSA root is still added), without the system's.
    pub fn from_pem(domain_pem: &[u8], tsa_pem: &[u8]) -> Result<SignatureTrust, SignatureFailure> {
        let domain_roots = X509::stack_from_pem(domain_pem)
            .map_err(|e| SignatureFailure::NoRoots(format!("the domain roots are not PEM: {e}")))?;
        let tsa = exhibit_tsa::Trust::only(tsa_pem)
            .map_err(|e| SignatureFailure::NoRoots(clause(&e.to_string())))?;
        Ok(SignatureTrust { domain_roots, tsa })
    }
}

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczSignature {
    pub signer: Signer,
    /// `created` of `signedData`: when the signer says it signed. The time signature,
    /// when there is one, vouches for it to within ten minutes.
    pub created: DateTime<Utc>,
    /// The signing software, e.g. `authsigner 0.3.0`.
    pub software: Option<String>,
    /// The RFC 3161 time signature, verified; always there for a domain signature.
    pub time_signature: Option<TimeSignature>,
}

/// Who signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// A domain, by a TLS certificate for it that chained to a trusted root.
    Domain {
        domain: String,
        /// SHA-256 of the domain certificate's DER, lower-case hex.
        certificate_sha256: String,
        /// The issuer of the domain certificate on one line (e.g. `CN=R3, O=Let's Encrypt, C=US`).
        issuer: String,
    },
    /// A key nothing vouches for.
    Key {
        /// SHA-256 of the public key's DER (SubjectPublicKeyInfo), lower-case hex.
        fingerprint: String,
        /// `ECDSA P-256`, `ECDSA P-384`, `Ed25519`…
        algorithm: String,
    },
}

impl Signer {
    /// The domain, or `key sha256:…`: what a reader is shown as the signer.
    pub fn name(&self) -> String {
        match self {
            Signer::Domain { domain, .. } => domain.clone(),
            Signer::Key { fingerprint, .. } => format!("key sha256:{fingerprint}"),
        }
    }
}

/// The verified RFC 3161 time signature of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSignature {
    /// The authority's time (TSTInfo genTime).
    pub gen_time: DateTime<Utc>,
    /// The authority's certificate subject on one line.
    pub tsa_name: String,
    /// The token's serial number, hex.
    pub serial: String,
}

/// Why a signature was refused. The message is a clause (no capital, no full stop) that
/// [`crate::WarcError::SignatureFailed`] puts in its sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureFailure {
    /// `signedData` is not either form of the spec: a missing or extra property, a value
    /// that is not text, base64 or PEM, a key or certificate that does not parse.
    #[error("its signedData is not a valid WACZ signature ({0})")]
    Malformed(String),
    /// The signed `hash` is not the SHA-256 of `datapackage.json`.
    #[error(
        "the signed hash {signed} is not the SHA-256 of datapackage.json ({actual}), so the signature vouches for another manifest"
    )]
    HashMismatch { signed: String, actual: String },
    /// `datapackage.json`'s `created` differs from the signed one.
    #[error("datapackage.json says it was created {listed}, but the signature says {signed}")]
    CreatedMismatch { listed: String, signed: String },
    /// The signature does not verify over the hash with the signer's key.
    #[error(
        "the signature over the hash does not verify with {signer}, so the manifest or its signature was changed after signing"
    )]
    BadSignature { signer: String },
    /// The domain certificate is not for the signing domain.
    #[error("the domain certificate is for {found}, not for the signing domain {domain}")]
    DomainMismatch { domain: String, found: String },
    /// The domain certificate's chain does not reach a trusted root at the signed time.
    #[error(
        "the domain certificate for {domain} was not trusted at the signed time {at}: {reason}"
    )]
    Untrusted {
        domain: String,
        at: String,
        reason: String,
    },
    /// The signature was made more than 7 days after its certificate was issued.
    #[error(
        "it was signed {days} days after its domain certificate was issued, and Webrecorder's verifier accepts at most 7"
    )]
    StaleCertificate { days: i64 },
    /// `crossSignedCert` carries another key or is not a chain.
    #[error("its cross-signed certificate {0}")]
    CrossSigned(String),
    /// A domain signature without a time signature.
    #[error(
        "it is signed by a domain certificate but has no time signature (timeSignature and timestampCert), which the spec requires"
    )]
    NoTimeSignature,
    /// The RFC 3161 time signature does not verify.
    #[error("its time signature {0}")]
    TimeSignature(String),
    /// `created` is not within the 10 minutes before the time signature's genTime.
    #[error(
        "its signed time {created} is not within the 10 minutes before its time signature's time {gen_time}"
    )]
    TimeMismatch { created: String, gen_time: String },
    /// The roots to check against could not be loaded.
    #[error("the trusted roots to check it against could not be loaded ({0})")]
    NoRoots(String),
}

impl SignatureFailure {
    /// A stable code: `signature_invalid` (the signed bytes or the signature itself),
    /// `signer_untrusted` (the signer's certificate) or `time_signature_invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureFailure::Malformed(_)
            | SignatureFailure::HashMismatch { .. }
            | SignatureFailure::CreatedMismatch { .. }
            | SignatureFailure::BadSignature { .. }
            | SignatureFailure::CrossSigned(_) => "signature_invalid",
            SignatureFailure::DomainMismatch { .. }
            | SignatureFailure::Untrusted { .. }
            | SignatureFailure::StaleCertificate { .. }
            | SignatureFailure::NoRoots(_) => "signer_untrusted",
            SignatureFailure::NoTimeSignature
            | SignatureFailure::TimeSignature(_)
            | SignatureFailure::TimeMismatch { .. } => "time_signature_invalid",
        }
    }
}

/// The `signedData` fields, each text as given.
struct Fields<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn text(&self, key: &str) -> Result<Option<&'a str>, SignatureFailure> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(malformed(format!("its \"{key}\" is not text"))),
        }
    }

    fn required(&self, key: &str) -> Result<&'a str, SignatureFailure> {
        self.text(key)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| malformed(format!("it has no \"{key}\"")))
    }
}

fn malformed(detail: String) -> SignatureFailure {
    SignatureFailure::Malformed(detail)
}

/// Checks `signed_data` (the `signedData` value of `datapackage-digest.json`) against the
/// exact bytes of `datapackage.json`, with the roots of `trust`. See the module overview.
pub fn verify_signed_data(
    signed_data: &Value,
    datapackage: &[u8],
    trust: &SignatureTrust,
) -> Result<WaczSignature, SignatureFailure> {
    let f = Fields {
        map: known_properties(signed_data)?,
    };
    let hash = f.required("hash")?;
    check_signed_hash(hash, datapackage)?;
    let created = signed_created(&f, datapackage)?;

    let signature_text = f.required("signature")?;
    let signature = base64(signature_text, "signature")?;
    let signer = signer(&f, hash, &signature, created, trust)?;
    let time_signature = time_signature(&f, &signer, signature_text, created, trust)?;

    Ok(WaczSignature {
        signer,
        created,
        software: f.text("software")?.map(str::to_owned),
        time_signature,
    })
}

/// `signedData` as a JSON object with no property outside the spec's.
fn known_properties(signed_data: &Value) -> Result<&Map<String, Value>, SignatureFailure> {
    let map = signed_data
        .as_object()
        .ok_or_else(|| malformed("it is not a JSON object".to_owned()))?;
    if let Some(extra) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(malformed(format!(
            "it has the property \"{}\", which the spec does not allow",
            shown(extra)
        )));
    }
    Ok(map)
}

/// The signed `hash` must be the SHA-256 of `datapackage.json`.
fn check_signed_hash(hash: &str, datapackage: &[u8]) -> Result<(), SignatureFailure> {
    let actual = format!(
        "sha256:{}",
        crate::record::hex(&Sha256::digest(datapackage))
    );
    let signed_hash = match hash.split_once(':') {
        Some((algo, value)) if algo.eq_ignore_ascii_case("sha256") => {
            data_encoding::HEXLOWER_PERMISSIVE
                .decode(value.trim().as_bytes())
                .ok()
        }
        _ => None,
    };
    if signed_hash.as_deref() != Some(Sha256::digest(datapackage).as_slice()) {
        return Err(SignatureFailure::HashMismatch {
            signed: shown(hash),
            actual,
        });
    }
    Ok(())
}

/// The signed `created`, which `datapackage.json`'s own must equal when it has one.
fn signed_created(f: &Fields<'_>, datapackage: &[u8]) -> Result<DateTime<Utc>, SignatureFailure> {
    let created_text = f.required("created")?;
    let created = parse_time(created_text).ok_or_else(|| {
        malformed(format!(
            "its \"created\" {} is not a date",
            shown(created_text)
        ))
    })?;
    if let Some(listed) = package_created(datapackage)
        && parse_time(&listed) != Some(created)
    {
        return Err(SignatureFailure::CreatedMismatch {
            listed: shown(&listed),
            signed: shown(created_text),
        });
    }
    Ok(created)
}

/// The signer, by the form `signedData` has: a key (`publicKey`), or a domain (`domain`
/// and `domainCert`, and a `crossSignedCert` when there is one). `signature` must sign
/// `hash` in either.
fn signer(
    f: &Fields<'_>,
    hash: &str,
    signature: &[u8],
    created: DateTime<Utc>,
    trust: &SignatureTrust,
) -> Result<Signer, SignatureFailure> {
    let public_key = f.text("publicKey")?;
    let domain = f.text("domain")?;
    let domain_cert = f.text("domainCert")?;
    match (public_key, domain, domain_cert) {
        (Some(key), None, None) => key_signer(key, hash, signature),
        (None, Some(domain), Some(chain)) => {
            let signer = domain_signer(domain, chain, hash, signature, created, trust)?;
            if let Some(cross) = f.text("crossSignedCert")? {
                check_cross_signed(cross, chain)?;
            }
            Ok(signer)
        }
        (Some(_), _, _) => Err(malformed(
            "it has a publicKey and a domain certificate, and the spec allows one signer only"
                .to_owned(),
        )),
        _ => Err(malformed(
            "it has neither a publicKey nor a domain with its domainCert".to_owned(),
        )),
    }
}

/// The time signature (`timeSignature` and `timestampCert`), checked; a domain
/// signature must have one, a key signature may.
fn time_signature(
    f: &Fields<'_>,
    signer: &Signer,
    signature_text: &str,
    created: DateTime<Utc>,
    trust: &SignatureTrust,
) -> Result<Option<TimeSignature>, SignatureFailure> {
    match (f.text("timeSignature")?, f.text("timestampCert")?) {
        (Some(stamp), Some(chain)) => Ok(Some(check_time_signature(
            stamp,
            chain,
            signature_text,
            created,
            trust,
        )?)),
        (None, None) if matches!(signer, Signer::Key { .. }) => Ok(None),
        (None, None) => Err(SignatureFailure::NoTimeSignature),
        (Some(_), None) => Err(SignatureFailure::TimeSignature(
            "has no timestampCert to check it with".to_owned(),
        )),
        (None, Some(_)) => Err(SignatureFailure::TimeSignature(
            "is missing: there is a timestampCert but no timeSignature".to_owned(),
        )),
    }
}

/// `created` of `datapackage.json`, when it is text.
fn package_created(datapackage: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(datapackage).ok()?;
    v.get("created")?.as_str().map(str::to_owned)
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    crate::record::parse_warc_date(text)
}

fn base64(text: &str, what: &str) -> Result<Vec<u8>, SignatureFailure> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    data_encoding::BASE64
        .decode(compact.as_bytes())
        .map_err(|_| malformed(format!("its \"{what}\" is not base64")))
}

fn crypto(e: openssl::error::ErrorStack) -> SignatureFailure {
    malformed(format!("the cryptographic library failed: {e}"))
}

/// A signature by a key alone: the key is recorded, nothing more can be said of it.
fn key_signer(key: &str, hash: &str, signature: &[u8]) -> Result<Signer, SignatureFailure> {
    let der = base64(key, "publicKey")?;
    let pkey = PKey::public_key_from_der(&der)
        .map_err(|_| malformed("its publicKey is not a DER public key".to_owned()))?;
    let fingerprint = crate::record::hex(&Sha256::digest(&der));
    let algorithm = algorithm_name(&pkey)?;
    if !verifies(&pkey, hash.as_bytes(), signature)? {
        return Err(SignatureFailure::BadSignature {
            signer: format!("the public key sha256:{fingerprint} it names"),
        });
    }
    Ok(Signer::Key {
        fingerprint,
        algorithm,
    })
}

fn algorithm_name(pkey: &PKey<Public>) -> Result<String, SignatureFailure> {
    match pkey.id() {
        Id::EC => {
            let ec = pkey.ec_key().map_err(crypto)?;
            let curve = ec
                .group()
                .curve_name()
                .and_then(|n| n.short_name().ok())
                .unwrap_or("an unnamed curve");
            Ok(format!("ECDSA {curve}"))
        }
        Id::ED25519 => Ok("Ed25519".to_owned()),
        _ => Err(malformed(
            "its key is neither ECDSA nor Ed25519, the kinds WACZ signers use".to_owned(),
        )),
    }
}

/// Whether `signature` signs `message` with `pkey`: ECDSA with SHA-256 (DER, or raw
/// `r‖s` as WebCrypto writes it), or Ed25519.
fn verifies(
    pkey: &PKey<Public>,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, SignatureFailure> {
    match pkey.id() {
        Id::EC => {
            let der = match EcdsaSig::from_der(signature) {
                Ok(sig) if sig.to_der().map_err(crypto)? == signature => signature.to_vec(),
                _ => {
                    let ec = pkey.ec_key().map_err(crypto)?;
                    let half = ec.group().order_bits().div_ceil(8) as usize;
                    if signature.len() != 2 * half {
                        return Ok(false);
                    }
                    let (r, s) = signature.split_at(half);
                    let sig = EcdsaSig::from_private_components(
                        BigNum::from_slice(r).map_err(crypto)?,
                        BigNum::from_slice(s).map_err(crypto)?,
                    )
                    .map_err(crypto)?;
                    sig.to_der().map_err(crypto)?
                }
            };
            let mut v = Verifier::new(MessageDigest::sha256(), pkey).map_err(crypto)?;
            v.update(message).map_err(crypto)?;
            // OpenSSL reports a malformed signature as an error, not as `false`.
            Ok(v.verify(&der).unwrap_or(false))
        }
        Id::ED25519 => {
            let mut v = Verifier::new_without_digest(pkey).map_err(crypto)?;
            Ok(v.verify_oneshot(signature, message).unwrap_or(false))
        }
        _ => Err(malformed(
            "its key is neither ECDSA nor Ed25519, the kinds WACZ signers use".to_owned(),
        )),
    }
}

fn pem_chain(text: &str, what: &str) -> Result<Vec<X509>, SignatureFailure> {
    let certs = X509::stack_from_pem(text.as_bytes())
        .map_err(|_| malformed(format!("its \"{what}\" is not a PEM certificate chain")))?;
    if certs.is_empty() {
        return Err(malformed(format!("its \"{what}\" holds no certificate")));
    }
    Ok(certs)
}

/// A name on one line, most specific part first.
fn one_line(name: &X509NameRef) -> String {
    let mut parts: Vec<String> = name
        .entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?");
            let value = e.data().to_string().unwrap_or_else(|_| "?".to_owned());
            format!("{key}={value}")
        })
        .collect();
    parts.reverse();
    shown(&parts.join(", "))
}

fn common_name(cert: &X509Ref) -> Option<String> {
    name_cn(cert.subject_name())
}

fn name_cn(name: &X509NameRef) -> Option<String> {
    name.entries_by_nid(openssl::nid::Nid::COMMONNAME)
        .next()
        .and_then(|e| e.data().to_string().ok())
}

/// The common name, else the whole name: enough to tell a reader which certificate.
fn short_name(name: &X509NameRef) -> String {
    name_cn(name).map_or_else(|| one_line(name), |cn| shown(&cn))
}

/// A signature by a domain: `signature` signs `hash` with the key of the first
/// certificate of `chain_pem`, which is for `domain`, chains to a root of `trust` at the
/// signed time `created`, and was fresh then.
fn domain_signer(
    domain: &str,
    chain_pem: &str,
    hash: &str,
    signature: &[u8],
    created: DateTime<Utc>,
    trust: &SignatureTrust,
) -> Result<Signer, SignatureFailure> {
    let chain = pem_chain(chain_pem, "domainCert")?;
    let leaf = &chain[0];
    let key = leaf
        .public_key()
        .map_err(|_| malformed("its domain certificate has no usable key".to_owned()))?;
    if !verifies(&key, hash.as_bytes(), signature)? {
        return Err(SignatureFailure::BadSignature {
            signer: format!("the key of the domain certificate for {}", shown(domain)),
        });
    }
    check_host_name(domain)?;

    let mut builder = root_store(trust)?;
    let mut param = host_param(domain)?;
    // time_t is i64 on 64-bit targets but i32 on some 32-bit ones.
    #[allow(clippy::useless_conversion)]
    let when = created
        .timestamp()
        .try_into()
        .map_err(|_| malformed("its \"created\" is out of range".to_owned()))?;
    param.set_time(when);
    builder.set_param(&param).map_err(crypto)?;
    let store = builder.build();
    let outcome = build_chain(&store, &chain)?;
    if !outcome.ok {
        return Err(chain_failure(outcome, domain, leaf, created));
    }

    // authsign signs with a certificate issued for the purpose and refuses one older
    // than 7 days, so a leaked key of an old certificate cannot sign for long.
    let created_asn1 = Asn1Time::from_unix(when).map_err(crypto)?;
    check_fresh(leaf, &created_asn1)?;

    let der = leaf.to_der().map_err(crypto)?;
    Ok(Signer::Domain {
        domain: domain.to_ascii_lowercase(),
        certificate_sha256: crate::record::hex(&Sha256::digest(&der)),
        issuer: one_line(leaf.issuer_name()),
    })
}

/// The signing `domain` must be a host name.
fn check_host_name(domain: &str) -> Result<(), SignatureFailure> {
    if domain.is_empty()
        || !domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(malformed(format!(
            "its \"domain\" {} is not a host name",
            shown(domain)
        )));
    }
    Ok(())
}

/// A store of the domain roots of `trust`, to build a domain certificate's chain in.
fn root_store(trust: &SignatureTrust) -> Result<X509StoreBuilder, SignatureFailure> {
    let mut builder = X509StoreBuilder::new().map_err(crypto)?;
    for root in &trust.domain_roots {
        // The same root twice in a bundle is harmless.
        let _ = builder.add_cert(root.clone());
    }
    Ok(builder)
}

/// What a domain certificate's chain must be: a TLS server's, for `domain` (no
/// wildcard). The caller sets the time.
fn host_param(domain: &str) -> Result<X509VerifyParam, SignatureFailure> {
    let mut param = X509VerifyParam::new().map_err(crypto)?;
    param
        .set_purpose(X509PurposeId::SSL_SERVER)
        .map_err(crypto)?;
    param.set_hostflags(X509CheckFlags::NO_WILDCARDS);
    param.set_host(domain).map_err(crypto)?;
    Ok(param)
}

/// How building a domain certificate's chain went.
struct ChainOutcome {
    ok: bool,
    error: X509VerifyResult,
    /// The certificate the error is about, on one line.
    subject: String,
    /// The top of what was built: its name, its issuer's, and whether either is of
    /// Let's Encrypt's staging hierarchy.
    top: Option<(String, String, bool)>,
}

/// Builds and checks the chain from the first certificate of `chain` (the others
/// offered as intermediates) to a root of `store`.
fn build_chain(store: &X509Store, chain: &[X509]) -> Result<ChainOutcome, SignatureFailure> {
    let mut offered = Stack::new().map_err(crypto)?;
    for cert in &chain[1..] {
        offered.push(cert.clone()).map_err(crypto)?;
    }
    let mut ctx = X509StoreContext::new().map_err(crypto)?;
    ctx.init(store, &chain[0], &offered, |ctx| {
        let ok = ctx.verify_cert()?;
        let error = ctx.error();
        let subject = ctx
            .current_cert()
            .map(|c| one_line(c.subject_name()))
            .unwrap_or_default();
        // The top of what was built: its issuer is the root that was not found.
        let top = ctx.chain().and_then(|c| c.iter().last()).map(|c| {
            (
                short_name(c.subject_name()),
                short_name(c.issuer_name()),
                c.issuer_name()
                    .entries()
                    .chain(c.subject_name().entries())
                    .any(|e| e.data().to_string().is_ok_and(|s| s.contains("(STAGING)"))),
            )
        });
        Ok(ChainOutcome {
            ok,
            error,
            subject,
            top,
        })
    })
    .map_err(crypto)
}

/// Why the chain of the domain certificate `leaf` for `domain` failed at the signed time
/// `created`, as the reader is told.
fn chain_failure(
    outcome: ChainOutcome,
    domain: &str,
    leaf: &X509Ref,
    created: DateTime<Utc>,
) -> SignatureFailure {
    use openssl_sys as ffi;
    let ChainOutcome {
        error,
        subject,
        top,
        ..
    } = outcome;
    let at = created.to_rfc3339_opts(SecondsFormat::Secs, true);
    let untrusted = |reason: String| SignatureFailure::Untrusted {
        domain: domain.to_owned(),
        at: at.clone(),
        reason,
    };
    match error.as_raw() {
        ffi::X509_V_ERR_HOSTNAME_MISMATCH => SignatureFailure::DomainMismatch {
            domain: shown(domain),
            found: common_name(leaf)
                .map(|n| shown(&n))
                .unwrap_or_else(|| "another name".to_owned()),
        },
        ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
        | ffi::X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
        | ffi::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT => {
            let (top, issuer, staging) = top.unwrap_or_default();
            let staging = if staging {
                ", a root of Let's Encrypt's staging hierarchy, which issues test certificates no one trusts"
            } else {
                ", which is not among this computer's trusted roots"
            };
            untrusted(format!(
                "its chain ends at \"{top}\", issued by \"{issuer}\"{staging}"
            ))
        }
        ffi::X509_V_ERR_CERT_HAS_EXPIRED => {
            untrusted(format!("the certificate of \"{subject}\" had expired"))
        }
        ffi::X509_V_ERR_CERT_NOT_YET_VALID => untrusted(format!(
            "the certificate of \"{subject}\" was not yet valid"
        )),
        _ => untrusted(format!(
            "{} at \"{subject}\"",
            error.error_string().replace(['.', ';'], ",")
        )),
    }
}

/// The domain certificate `leaf` must have been issued at most 7 days before `created`.
fn check_fresh(leaf: &X509Ref, created: &Asn1Time) -> Result<(), SignatureFailure> {
    let age = leaf.not_before().diff(created).map_err(crypto)?;
    let seconds = i64::from(age.days) * 86_400 + i64::from(age.secs);
    if seconds > CERT_FRESH_SECONDS {
        return Err(SignatureFailure::StaleCertificate {
            days: seconds / 86_400,
        });
    }
    Ok(())
}

/// `crossSignedCert`: the same key as the domain certificate, in a chain whose every
/// certificate is signed by the next (authsign's check; its CA is private).
fn check_cross_signed(cross_pem: &str, domain_pem: &str) -> Result<(), SignatureFailure> {
    let cross = pem_chain(cross_pem, "crossSignedCert")?;
    let domain = pem_chain(domain_pem, "domainCert")?;
    let key = |c: &X509| c.public_key().and_then(|k| k.public_key_to_der()).ok();
    if key(&cross[0]).is_none() || key(&cross[0]) != key(&domain[0]) {
        return Err(SignatureFailure::CrossSigned(
            "carries another key than the domain certificate".to_owned(),
        ));
    }
    for pair in cross.windows(2) {
        let issuer_key = pair[1].public_key().map_err(crypto)?;
        if !pair[0].verify(&issuer_key).unwrap_or(false) {
            return Err(SignatureFailure::CrossSigned(format!(
                "is not a chain: \"{}\" is not signed by the certificate after it",
                one_line(pair[0].subject_name())
            )));
        }
    }
    Ok(())
}

fn check_time_signature(
    stamp: &str,
    chain_pem: &str,
    signature_text: &str,
    created: DateTime<Utc>,
    trust: &SignatureTrust,
) -> Result<TimeSignature, SignatureFailure> {
    let response = base64(stamp, "timeSignature")?;
    let chain = pem_chain(chain_pem, "timestampCert")?;
    let mut offered = Vec::with_capacity(chain.len());
    let mut pinned = Vec::new();
    for cert in &chain {
        let der = cert.to_der().map_err(crypto)?;
        if PINNED_TSA_ROOTS.contains(&crate::record::hex(&Sha256::digest(&der)).as_str()) {
            pinned.push(der.clone());
        }
        offered.push(der);
    }
    let tsa_trust = trust
        .tsa
        .and_roots_der(&pinned)
        .map_err(|e| SignatureFailure::NoRoots(clause(&e.to_string())))?;
    // The authority stamps the signature as it is written in the file: its base64 text.
    let digest: [u8; 32] = Sha256::digest(signature_text.as_bytes()).into();
    let stamp =
        exhibit_tsa::verify_with_certificates(&response, &digest, None, &tsa_trust, &offered)
            .map_err(|e| SignatureFailure::TimeSignature(tsa_reason(&e)))?;
    // Both to the second: RFC 3161 authorities round genTime, and authsign compares so.
    let created_s = created.timestamp();
    let gen_s = stamp.gen_time.timestamp();
    if created_s > gen_s || created_s < gen_s - STAMP_WINDOW_SECONDS {
        return Err(SignatureFailure::TimeMismatch {
            created: created.to_rfc3339_opts(SecondsFormat::Secs, true),
            gen_time: stamp.gen_time.to_rfc3339_opts(SecondsFormat::Secs, true),
        });
    }
    Ok(TimeSignature {
        gen_time: stamp.gen_time,
        tsa_name: shown(&stamp.tsa_name),
        serial: stamp.serial,
    })
}

/// A time-stamp failure as the end of "its time signature …".
fn tsa_reason(e: &exhibit_tsa::TsaError) -> String {
    use exhibit_tsa::TsaError as T;
    match e {
        T::NotATimestamp(d) => format!("is not a readable RFC 3161 time-stamp ({d})"),
        T::Rejected { status, .. } => {
            format!("is a refusal by its authority ({status}), not a time-stamp")
        }
        T::UnsupportedHash(h) => format!("stamps a {h} hash instead of SHA-256"),
        T::WrongDigest => "stamps something other than this signature".to_owned(),
        T::NoCertificate => {
            "names a signer whose certificate is neither in it nor in timestampCert".to_owned()
        }
        T::BadSignature(d) => format!("has a signature that does not verify ({d})"),
        T::SigningCertMismatch(d) => {
            format!("has a signing-certificate attribute that does not name its signer ({d})")
        }
        T::Untrusted(d) => format!("is by an authority whose certificate is not trusted ({d})"),
        T::NoTimestampUsage(s) => format!("is signed by \"{s}\", which may not sign time-stamps"),
        T::Expired(s) => format!("is signed by \"{s}\", whose certificate had expired"),
        T::NotYetValid(s) => format!("is signed by \"{s}\", whose certificate was not yet valid"),
        other => format!("could not be checked ({})", clause(&other.to_string())),
    }
}

/// A sentence as a clause: no full stop at the end.
fn clause(text: &str) -> String {
    text.trim_end_matches('.').to_owned()
}
