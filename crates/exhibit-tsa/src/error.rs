//! Why a time-stamp could not be had or could not be trusted.
//!
//! Every message is one sentence without semicolons, so that [`NoTrustedTime`] can join
//! the reasons of several attempts into one sentence of its own.

use std::time::Duration;

/// One reason a time-stamp authority (TSA) gave no trusted time, or a stored token
/// failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsaError {
    /// The TSA address is not an http or https URL.
    #[error(
        "The time-stamp authority address is not a valid http or https URL ({0}), so correct it."
    )]
    BadUrl(String),
    /// The HTTP client could not be set up (TLS backend, system configuration).
    #[error(
        "The HTTP client for time-stamping could not be set up ({0}), which points to a broken TLS setup on this machine."
    )]
    Client(String),
    /// The TSA could not be reached: DNS, connection refused, TLS handshake.
    #[error(
        "The time-stamp authority could not be reached ({0}), so check the network connection or the address."
    )]
    Unreachable(String),
    /// The TSA did not answer in time.
    #[error("The time-stamp authority did not answer within {} s, so try again later or configure another one.", .0.as_secs_f64())]
    Timeout(Duration),
    /// The connection broke while the answer was being read.
    #[error(
        "The connection to the time-stamp authority broke while its answer was read ({0}), so try again."
    )]
    Transfer(String),
    /// The TSA answered with an HTTP status other than 200, including a redirect.
    #[error(
        "The time-stamp authority answered with HTTP status {0} instead of a time-stamp, so check the address or try another one."
    )]
    HttpStatus(u16),
    /// The answer's `Content-Type` is not `application/timestamp-reply`.
    #[error(
        "The time-stamp authority answered with content type \"{0}\" instead of application/timestamp-reply, so check that the address is an RFC 3161 service."
    )]
    WrongContentType(String),
    /// The answer is larger than the limit (in bytes), so it was not read to the end.
    #[error(
        "The time-stamp authority's answer is larger than {0} bytes and was refused, so check that the address is an RFC 3161 service."
    )]
    TooLarge(u64),
    /// The bytes are not a DER-encoded RFC 3161 time-stamp response with a token.
    #[error(
        "The answer is not a readable RFC 3161 time-stamp ({0}), so check that the address is an RFC 3161 service."
    )]
    NotATimestamp(String),
    /// The TSA refused the request: its PKIStatus was neither granted nor grantedWithMods.
    #[error(
        "The time-stamp authority refused the request with status {status} ({text}), so try another one."
    )]
    Rejected {
        /// The PKIStatus name and number, e.g. `rejection (2)`.
        status: String,
        /// The TSA's status text and failure bits, or `no reason given`.
        text: String,
    },
    /// The token's message imprint uses another hash than SHA-256.
    #[error(
        "The time-stamp token covers a {0} hash instead of SHA-256, so it cannot vouch for this record."
    )]
    UnsupportedHash(String),
    /// The token covers a different SHA-256 than the one asked for.
    #[error(
        "The time-stamp token covers a different digest than the record's, so it vouches for something else."
    )]
    WrongDigest,
    /// The token's nonce is missing or differs from the request's: a replayed or misrouted answer.
    #[error(
        "The time-stamp token's nonce does not match the request's, so the answer may be replayed and was refused."
    )]
    WrongNonce,
    /// The token carries no certificate that matches its signer.
    #[error(
        "The time-stamp token does not include its signer's certificate, so it cannot be checked and was refused."
    )]
    NoCertificate,
    /// The signature over the token does not verify.
    #[error(
        "The time-stamp token's signature does not verify ({0}), so the token was altered or forged."
    )]
    BadSignature(String),
    /// The ESS signing-certificate attribute is missing or names another certificate.
    #[error(
        "The time-stamp token's signing-certificate attribute does not name its signer ({0}), so the token was refused."
    )]
    SigningCertMismatch(String),
    /// The signer's certificate does not chain to a trusted root.
    #[error(
        "The time-stamp authority's certificate is not trusted ({0}), so add its root with --tsa-ca if you trust it."
    )]
    Untrusted(String),
    /// The signer's certificate lacks the critical timeStamping extended key usage.
    #[error(
        "The certificate of \"{0}\" is not allowed to sign time-stamps (it lacks the critical timeStamping key usage), so the token was refused."
    )]
    NoTimestampUsage(String),
    /// A certificate in the chain had expired when the token was signed.
    #[error(
        "The certificate of \"{0}\" had expired when the token was signed, so the token was refused."
    )]
    Expired(String),
    /// A certificate in the chain was not yet valid when the token was signed.
    #[error(
        "The certificate of \"{0}\" was not yet valid when the token was signed, so the token was refused."
    )]
    NotYetValid(String),
    /// The trusted roots could not be loaded.
    #[error("The trusted roots for time-stamps could not be loaded: {0}.")]
    Roots(String),
    /// OpenSSL failed for a reason unrelated to the token (out of memory, broken build).
    #[error("The cryptographic library failed while handling a time-stamp ({0}), so try again.")]
    Crypto(String),
}

impl TsaError {
    /// True when the TSA itself (not the network) produced an answer that cannot be trusted.
    ///
    /// Such an answer is worth reporting loudly: a working TSA does not send it.
    pub fn is_untrustworthy_answer(&self) -> bool {
        matches!(
            self,
            TsaError::UnsupportedHash(_)
                | TsaError::WrongDigest
                | TsaError::WrongNonce
                | TsaError::NoCertificate
                | TsaError::BadSignature(_)
                | TsaError::SigningCertMismatch(_)
                | TsaError::Untrusted(_)
                | TsaError::NoTimestampUsage(_)
                | TsaError::Expired(_)
                | TsaError::NotYetValid(_)
        )
    }

    /// The message as a clause to embed in a longer sentence: no capital, no full stop.
    fn as_clause(&self) -> String {
        let text = self.to_string();
        let text = text.strip_suffix('.').unwrap_or(&text);
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            // Keep acronyms ("HTTP …") as they are; lower-case an ordinary first word.
            (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
                .to_lowercase()
                .chain(text[first.len_utf8()..].chars())
                .collect(),
            _ => text.to_owned(),
        }
    }
}

/// No time-stamp authority gave a verified time-stamp: every attempt and its reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NoTrustedTime {
    /// Each TSA URL tried, in order, with the reason it gave no trusted time.
    pub attempts: Vec<(String, TsaError)>,
}

impl std::fmt::Display for NoTrustedTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.attempts.is_empty() {
            return f.write_str("No trusted time: no time-stamp authority is configured.");
        }
        f.write_str("No trusted time: ")?;
        for (i, (url, error)) in self.attempts.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{url}: {}", error.as_clause())?;
        }
        f.write_str(".")
    }
}
