//! RFC 3161 requests and the full check of a response.
//!
//! ASN.1 comes from RustCrypto (`x509-tsp`, `cms`, `x509-cert`, `der`); signatures and
//! certificate chains are checked by OpenSSL's CMS code on the token's own bytes. This
//! module never trusts a field it has not checked: a [`Stamp`] exists only for a token
//! that passed every check.

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use cms::cert::x509::Certificate;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{Int, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Tag, Tagged};
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::stack::Stack;
use openssl::x509::store::X509Store;
use openssl::x509::{X509, X509NameRef, X509StoreContext};
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use crate::{Trust, TsaError};

const ID_SHA_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// `CMS_CADES` from OpenSSL 3's `cms.h`, which the `openssl` crate does not name. With it,
/// `CMS_verify` also checks that the ESS signing-certificate(-v2) signed attribute is
/// present and names the certificate that verified the signature (RFC 3161 §2.4.2,
/// RFC 5816), so a token cannot be re-signed under another certificate of the same key.
const CMS_CADES: u32 = 0x10_0000;

/// OpenSSL's library number for ESS (`ERR_LIB_ESS` in `err.h`), where the
/// signing-certificate check reports its failures.
const ERR_LIB_ESS: i32 = 54;

/// OpenSSL's library number for CMS (`ERR_LIB_CMS` in `err.h`).
const ERR_LIB_CMS: i32 = 46;

/// `CMS_R_CERTIFICATE_VERIFY_ERROR`: the signer's chain failed; the reason is diagnosed apart.
const CMS_R_CERTIFICATE_VERIFY_ERROR: i32 = 100;

/// `CMS_R_SIGNER_CERTIFICATE_NOT_FOUND`.
const CMS_R_SIGNER_CERTIFICATE_NOT_FOUND: i32 = 116;

/// A DER-encoded RFC 3161 request for one SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The `TimeStampReq` DER to POST as `application/timestamp-query`.
    pub der: Vec<u8>,
    /// The random nonce; its first byte is 0x01..=0x7F, so these 16 bytes are exactly the
    /// DER content of the positive INTEGER.
    pub nonce: [u8; 16],
    /// The SHA-256 the request asks the TSA to stamp.
    pub digest: [u8; 32],
}

/// A verified time-stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The TSA it came from; empty when re-verified from stored bytes.
    pub tsa_url: String,
    /// The whole `TimeStampResp` DER, which `openssl ts -verify -in X.tsr` reads.
    pub response: Vec<u8>,
    /// The SHA-256 it covers.
    pub digest: [u8; 32],
    /// The TSA's time (TSTInfo genTime), with any fraction of a second it gave.
    pub gen_time: DateTime<Utc>,
    /// The TSTInfo serial number: hex, lower-case, no `0x`, no sign byte.
    pub serial: String,
    /// The signer certificate's subject on one line, most specific part first, as in
    /// RFC 4514 with a space after each comma: `CN=Exhibit Test TSA, O=Exhibit Tests`.
    pub tsa_name: String,
    /// The TSA policy, as a dotted OID.
    pub policy: String,
    /// The TSTInfo nonce in hex, when the token has one.
    pub nonce: Option<String>,
}

/// Builds a request for `digest`: SHA-256 imprint, certReq true, a fresh random nonce.
pub fn request(digest: &[u8; 32]) -> Result<Request, TsaError> {
    let mut nonce = [0u8; 16];
    openssl::rand::rand_bytes(&mut nonce).map_err(|e| TsaError::Crypto(e.to_string()))?;
    nonce[0] = (nonce[0] & 0x7f).max(1);
    let encode = |e: der::Error| TsaError::Crypto(format!("encoding the request failed: {e}"));
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: sha256_imprint(digest).map_err(encode)?,
        req_policy: None,
        nonce: Some(Int::new(&nonce).map_err(encode)?),
        cert_req: true,
        extensions: None,
    };
    Ok(Request {
        der: req.to_der().map_err(encode)?,
        nonce,
        digest: *digest,
    })
}

pub(crate) fn sha256_imprint(digest: &[u8; 32]) -> der::Result<MessageImprint> {
    Ok(MessageImprint {
        hash_algorithm: x509_cert::spki::AlgorithmIdentifier {
            oid: ID_SHA_256,
            // `openssl ts -query` sends an explicit NULL, and some TSAs insist on it.
            parameters: Some(Any::null()),
        },
        hashed_message: OctetString::new(digest.as_slice())?,
    })
}

/// Checks a response fully: status granted, message imprint = `digest` (SHA-256 OID),
/// nonce = the request's (when given), the signature, the ESS signing-certificate
/// attribute, and a chain to a root in `trust` for the timeStamping purpose, valid at
/// the token's genTime.
///
/// Checking at genTime, not now, means a stored token stays valid after the TSA's
/// certificate expires, and a certificate that had expired when it signed is refused.
pub fn verify(
    response: &[u8],
    digest: &[u8; 32],
    nonce: Option<&[u8]>,
    trust: &Trust,
) -> Result<Stamp, TsaError> {
    verify_with_certificates(response, digest, nonce, trust, &[])
}

/// [`verify`] for a token that may not carry its signer's certificate: `certificates`
/// (DER) are offered beside those the token holds, to find the signer and build its
/// chain. They are candidates only: the signer must still chain to a root in `trust`.
///
/// A signed WACZ (Webrecorder's authsign) keeps the TSA's chain apart from the token,
/// in `timestampCert`, and FreeTSA's tokens carry no certificate at all.
pub fn verify_with_certificates(
    response: &[u8],
    digest: &[u8; 32],
    nonce: Option<&[u8]>,
    trust: &Trust,
    certificates: &[Vec<u8>],
) -> Result<Stamp, TsaError> {
    let resp = asn1::TimeStampResp::from_der(response)
        .map_err(|e| TsaError::NotATimestamp(format!("the response does not decode: {e}")))?;
    check_status(&resp.status)?;
    let token = resp.time_stamp_token.ok_or_else(|| {
        TsaError::NotATimestamp("the response grants the request but carries no token".into())
    })?;
    let token_der = token
        .to_der()
        .map_err(|e| TsaError::NotATimestamp(format!("the token does not encode: {e}")))?;
    let mut parsed = ParsedToken::new(&token)?;
    for der in certificates {
        let cert = Certificate::from_der(der).map_err(|e| {
            TsaError::NotATimestamp(format!(
                "a certificate given with the token does not decode: {e}"
            ))
        })?;
        parsed.offered.push(cert);
    }
    let tst = &parsed.tst_info;

    let imprint = &tst.message_imprint;
    if imprint.hash_algorithm.oid != ID_SHA_256 {
        return Err(TsaError::UnsupportedHash(hash_name(
            &imprint.hash_algorithm.oid,
        )));
    }
    if imprint.hashed_message.as_bytes() != digest.as_slice() {
        return Err(TsaError::WrongDigest);
    }
    if let Some(expected) = nonce {
        let found = tst.nonce.as_ref().map(|n| strip_zeros(n.as_bytes()));
        if found != Some(strip_zeros(expected)) {
            return Err(TsaError::WrongNonce);
        }
    }
    let gen_time = parse_gen_time(&tst.gen_time)?;

    let signer = parsed.signer_certificate()?;
    let others = parsed.openssl_certificates()?;
    let store = trust.store_at(gen_time.timestamp())?;
    let mut cms = CmsContentInfo::from_der(&token_der)
        .map_err(|e| TsaError::NotATimestamp(format!("OpenSSL cannot read the token: {e}")))?;
    let mut signed_content = Vec::new();
    let flags = CMSOptions::BINARY | CMSOptions::from_bits_retain(CMS_CADES);
    let mut offered = Stack::new().map_err(|e| TsaError::Crypto(e.to_string()))?;
    for cert in &parsed.offered {
        offered
            .push(to_openssl(cert)?)
            .map_err(|e| TsaError::Crypto(e.to_string()))?;
    }
    let offered = (!parsed.offered.is_empty()).then_some(&*offered);
    if let Err(stack) = cms.verify(
        offered,
        Some(&store),
        None,
        Some(&mut signed_content),
        flags,
    ) {
        return Err(classify_cms_failure(&stack, &signer, &others, &store));
    }
    // OpenSSL verified the eContent it parsed; make sure it is the TSTInfo read here.
    if signed_content != parsed.tst_der {
        return Err(TsaError::BadSignature(
            "the signed content differs from the TSTInfo that was read".into(),
        ));
    }

    Ok(Stamp {
        tsa_url: String::new(),
        response: response.to_vec(),
        digest: *digest,
        gen_time,
        serial: int_hex(&tst.serial_number),
        tsa_name: one_line(signer.subject_name()),
        policy: tst.policy.to_string(),
        nonce: tst.nonce.as_ref().map(int_hex),
    })
}

fn check_status(status: &asn1::PkiStatusInfo<'_>) -> Result<(), TsaError> {
    let code = match status.status.as_bytes() {
        [n] => Some(*n),
        _ => None,
    };
    if matches!(code, Some(0 | 1)) {
        return Ok(());
    }
    let name = match code {
        Some(2) => "rejection (2)".to_owned(),
        Some(3) => "waiting (3)".to_owned(),
        Some(4) => "revocationWarning (4)".to_owned(),
        Some(5) => "revocationNotification (5)".to_owned(),
        _ => format!("unknown ({})", hex::encode(status.status.as_bytes())),
    };
    let mut parts: Vec<String> = status
        .status_string
        .iter()
        .flatten()
        .map(|s| s.as_str().trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(bits) = &status.fail_info {
        parts.extend(
            bits.bits()
                .enumerate()
                .filter(|(_, set)| *set)
                .map(|(i, _)| failure_name(i)),
        );
    }
    let text = if parts.is_empty() {
        "no reason given".to_owned()
    } else {
        // The reasons end up inside one sentence: keep their punctuation from ending it.
        parts.join(", ").replace(['.', ';'], ",")
    };
    Err(TsaError::Rejected { status: name, text })
}

/// RFC 3161 §2.4.2 PKIFailureInfo bit names.
fn failure_name(bit: usize) -> String {
    match bit {
        0 => "badAlg".into(),
        2 => "badRequest".into(),
        5 => "badDataFormat".into(),
        14 => "timeNotAvailable".into(),
        15 => "unacceptedPolicy".into(),
        16 => "unacceptedExtension".into(),
        17 => "addInfoNotAvailable".into(),
        25 => "systemFailure".into(),
        other => format!("failure bit {other}"),
    }
}

fn hash_name(oid: &ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.3.14.3.2.26" => "SHA-1".into(),
        "2.16.840.1.101.3.4.2.2" => "SHA-384".into(),
        "2.16.840.1.101.3.4.2.3" => "SHA-512".into(),
        "1.2.840.113549.2.5" => "MD5".into(),
        other => format!("OID {other}"),
    }
}

/// The token taken apart: its SignedData and the TSTInfo it signs.
struct ParsedToken {
    signed_data: SignedData,
    tst_der: Vec<u8>,
    tst_info: asn1::TstInfo,
    /// Certificates the caller offered beside the token's own.
    offered: Vec<Certificate>,
}

impl ParsedToken {
    fn new(token: &cms::content_info::ContentInfo) -> Result<ParsedToken, TsaError> {
        let bad = |what: &str| TsaError::NotATimestamp(what.to_owned());
        if token.content_type != ID_SIGNED_DATA {
            return Err(bad("the token is not CMS SignedData"));
        }
        let content = token
            .content
            .to_der()
            .map_err(|e| TsaError::NotATimestamp(format!("the token does not encode: {e}")))?;
        let signed_data = SignedData::from_der(&content).map_err(|e| {
            TsaError::NotATimestamp(format!("the token's SignedData does not decode: {e}"))
        })?;
        let encap = &signed_data.encap_content_info;
        if encap.econtent_type != ID_CT_TST_INFO {
            return Err(bad("the token does not sign a TSTInfo"));
        }
        let econtent = encap
            .econtent
            .as_ref()
            .ok_or_else(|| bad("the token has no TSTInfo content"))?;
        if econtent.tag() != Tag::OctetString {
            return Err(bad("the token's TSTInfo is not in an OCTET STRING"));
        }
        let tst_der = econtent.value().to_vec();
        let tst_info = asn1::TstInfo::from_der(&tst_der)
            .map_err(|e| TsaError::NotATimestamp(format!("the TSTInfo does not decode: {e}")))?;
        if signed_data.signer_infos.0.len() != 1 {
            return Err(TsaError::NotATimestamp(format!(
                "the token has {} signers instead of one",
                signed_data.signer_infos.0.len()
            )));
        }
        Ok(ParsedToken {
            signed_data,
            tst_der,
            tst_info,
            offered: Vec::new(),
        })
    }

    fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.signed_data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|choice| match choice {
                CertificateChoices::Certificate(cert) => Some(cert),
                CertificateChoices::Other(_) => None,
            })
            .chain(&self.offered)
    }

    /// The certificate the one SignerInfo names, as OpenSSL would pick it.
    fn signer_certificate(&self) -> Result<X509, TsaError> {
        let sid = self
            .signed_data
            .signer_infos
            .0
            .iter()
            .next()
            .map(|info| &info.sid)
            .ok_or(TsaError::NoCertificate)?;
        let found = self.certificates().find(|cert| match sid {
            SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer,
                serial_number,
            }) => {
                cert.tbs_certificate.issuer == *issuer
                    && cert.tbs_certificate.serial_number == *serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                subject_key_id(cert).is_some_and(|id| id == ski.0.as_bytes())
            }
        });
        to_openssl(found.ok_or(TsaError::NoCertificate)?)
    }

    fn openssl_certificates(&self) -> Result<Vec<X509>, TsaError> {
        self.certificates().map(to_openssl).collect()
    }
}

fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    use x509_cert::ext::pkix::SubjectKeyIdentifier;
    let ext = cert
        .tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|ext| ext.extn_id == ObjectIdentifier::new_unwrap("2.5.29.14"))?;
    let ski = SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes()).ok()?;
    Some(ski.0.as_bytes().to_vec())
}

/// Re-encodes a certificate for OpenSSL. Used to name the signer and to diagnose a
/// failed chain; the verdict itself comes from OpenSSL reading the token's own bytes.
fn to_openssl(cert: &Certificate) -> Result<X509, TsaError> {
    let der = cert
        .to_der()
        .map_err(|e| TsaError::NotATimestamp(format!("a certificate does not encode: {e}")))?;
    X509::from_der(&der).map_err(|e| {
        TsaError::NotATimestamp(format!(
            "OpenSSL cannot read a certificate of the token: {e}"
        ))
    })
}

/// Turns OpenSSL's CMS verification failure into the most precise error.
fn classify_cms_failure(
    stack: &openssl::error::ErrorStack,
    signer: &X509,
    others: &[X509],
    store: &X509Store,
) -> TsaError {
    let errors = stack.errors();
    let text = || {
        errors
            .iter()
            .map(|e| match (e.reason(), e.data()) {
                (Some(reason), Some(data)) => format!("{reason}: {data}"),
                (Some(reason), None) => reason.to_owned(),
                _ => e.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
            .replace(['.', ';'], ",")
    };
    if errors.iter().any(|e| e.library_code() == ERR_LIB_ESS) {
        return TsaError::SigningCertMismatch(text());
    }
    let cms_reason = |reason: i32| {
        errors
            .iter()
            .any(|e| e.library_code() == ERR_LIB_CMS && e.reason_code() == reason)
    };
    if cms_reason(CMS_R_SIGNER_CERTIFICATE_NOT_FOUND) {
        return TsaError::NoCertificate;
    }
    if cms_reason(CMS_R_CERTIFICATE_VERIFY_ERROR) {
        return diagnose_chain(signer, others, store)
            .unwrap_or_else(|| TsaError::Untrusted(text()));
    }
    TsaError::BadSignature(text())
}

/// Verifies the signer's chain alone to learn exactly why it failed.
fn diagnose_chain(signer: &X509, others: &[X509], store: &X509Store) -> Option<TsaError> {
    let mut untrusted = Stack::new().ok()?;
    for cert in others {
        untrusted.push(cert.clone()).ok()?;
    }
    let mut ctx = X509StoreContext::new().ok()?;
    let (ok, error, depth, subject) = ctx
        .init(store, signer, &untrusted, |ctx| {
            let ok = ctx.verify_cert()?;
            let subject = ctx
                .current_cert()
                .map(|cert| one_line(cert.subject_name()))
                .unwrap_or_else(|| one_line(signer.subject_name()));
            Ok((ok, ctx.error(), ctx.error_depth(), subject))
        })
        .ok()?;
    if ok {
        return None;
    }
    Some(match error.as_raw() {
        openssl_sys::X509_V_ERR_CERT_HAS_EXPIRED => TsaError::Expired(subject),
        openssl_sys::X509_V_ERR_CERT_NOT_YET_VALID => TsaError::NotYetValid(subject),
        openssl_sys::X509_V_ERR_INVALID_PURPOSE if depth == 0 => {
            TsaError::NoTimestampUsage(subject)
        }
        _ => TsaError::Untrusted(format!("{} at \"{subject}\"", error.error_string())),
    })
}

/// GeneralizedTime with optional fractions of a second, as RFC 3161 §2.4.2 allows:
/// `YYYYMMDDHHMMSS[.f…]Z`.
fn parse_gen_time(any: &Any) -> Result<DateTime<Utc>, TsaError> {
    let bad = || TsaError::NotATimestamp("the genTime is not a valid GeneralizedTime".into());
    if any.tag() != Tag::GeneralizedTime {
        return Err(bad());
    }
    let text = std::str::from_utf8(any.value()).map_err(|_| bad())?;
    let text = text.strip_suffix('Z').ok_or_else(bad)?;
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let naive = NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").map_err(|_| bad())?;
    let mut nanos: u32 = 0;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // Nanoseconds are the finest chrono keeps; finer digits are dropped.
        let digits: String = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nanos = digits.parse().map_err(|_| bad())?;
    }
    let naive = naive.with_nanosecond(nanos).ok_or_else(bad)?;
    Ok(Utc.from_utc_datetime(&naive))
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// An INTEGER's magnitude in lower-case hex: the sign byte of a positive value dropped.
fn int_hex(int: &Int) -> String {
    let bytes = int.as_bytes();
    match bytes {
        [0, rest @ ..] if !rest.is_empty() => hex::encode(rest),
        _ => hex::encode(bytes),
    }
}

/// A name on one line, most specific part first (RFC 4514 order and escaping), with a
/// space after each comma for reading.
pub(crate) fn one_line(name: &X509NameRef) -> String {
    let parts: Vec<String> = name
        .entries()
        .map(|entry| {
            let object = entry.object();
            let key = object
                .nid()
                .short_name()
                .map(str::to_owned)
                .unwrap_or_else(|_| object.to_string());
            let value = entry
                .data()
                .to_string()
                .unwrap_or_else(|_| format!("#{}", hex::encode(entry.data().as_slice())));
            format!("{key}={}", escape_rdn_value(&value))
        })
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join(", ")
}

fn escape_rdn_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The ASN.1 types this crate declares itself, each for a stated reason.
pub(crate) mod asn1 {
    use cms::content_info::ContentInfo;
    use der::asn1::{BitStringRef, Int, ObjectIdentifier, Utf8StringRef};
    use der::{Any, Sequence};
    use x509_cert::ext::Extensions;
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_tsp::{Accuracy, MessageImprint, TspVersion};

    /// `TimeStampResp` (RFC 3161 §2.4.2). `x509-tsp` 0.1 has one, but it decodes the
    /// status through `cmpv2`'s PKIFailureInfo, a 16-bit flag set that cannot hold
    /// `systemFailure` (bit 25): a refusal for that reason would not even decode.
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct TimeStampResp<'a> {
        pub status: PkiStatusInfo<'a>,
        #[asn1(optional = "true")]
        pub time_stamp_token: Option<ContentInfo>,
    }

    /// `PKIStatusInfo` with the status as a plain INTEGER and failInfo as its raw bits.
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct PkiStatusInfo<'a> {
        pub status: Int,
        #[asn1(optional = "true")]
        pub status_string: Option<Vec<Utf8StringRef<'a>>>,
        #[asn1(optional = "true")]
        pub fail_info: Option<BitStringRef<'a>>,
    }

    /// `TSTInfo` (RFC 3161 §2.4.2). `x509-tsp`'s copy types genTime as `der`'s
    /// GeneralizedTime, which follows RFC 5280 and refuses fractions of a second, but
    /// RFC 3161 allows them and TSAs send them (OpenSSL's `clock_precision_digits`,
    /// Microsoft's TSA). genTime is kept raw here and parsed by `parse_gen_time`.
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct TstInfo {
        pub version: TspVersion,
        pub policy: ObjectIdentifier,
        pub message_imprint: MessageImprint,
        pub serial_number: Int,
        pub gen_time: Any,
        #[asn1(optional = "true")]
        pub accuracy: Option<Accuracy>,
        #[asn1(default = "Default::default")]
        pub ordering: bool,
        #[asn1(optional = "true")]
        pub nonce: Option<Int>,
        #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
        pub tsa: Option<GeneralName>,
        #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
        pub extensions: Option<Extensions>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Result<DateTime<Utc>, TsaError> {
        let any = Any::new(Tag::GeneralizedTime, text.as_bytes())
            .unwrap_or_else(|e| panic!("test time {text}: {e}"));
        parse_gen_time(&any)
    }

    #[test]
    fn gen_time_with_and_without_fractions() {
        let whole = time("20260102030405Z").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole.to_rfc3339(), "2026-01-02T03:04:05+00:00");
        let millis = time("20260102030405.123Z").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(millis.timestamp_subsec_millis(), 123);
        for bad in [
            "20260102030405",
            "2026010203040Z",
            "20260102030405.Z",
            "20261302030405Z",
            "20260102030405.1aZ",
        ] {
            assert!(time(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn request_nonce_is_its_own_der_integer() {
        let req = request(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let decoded = TimeStampReq::from_der(&req.der).unwrap_or_else(|e| panic!("{e}"));
        let nonce = decoded
            .nonce
            .unwrap_or_else(|| panic!("request has no nonce"));
        assert_eq!(nonce.as_bytes(), req.nonce.as_slice());
        assert!(decoded.cert_req);
        assert_eq!(
            decoded.message_imprint.hashed_message.as_bytes(),
            &[7u8; 32]
        );
    }

    #[test]
    fn rdn_values_are_escaped() {
        assert_eq!(escape_rdn_value("DigiCert, Inc."), "DigiCert\\, Inc.");
        assert_eq!(escape_rdn_value(" x "), "\\ x\\ ");
    }
}
