//! A local RFC 3161 TSA for tests, built from real parts: a PKI generated with OpenSSL
//! ([`TestPki`]), an HTTP/1.1 server on 127.0.0.1 ([`TestTsa`]), and the system
//! `openssl ts -reply` command signing every answer. Misbehaving TSAs are real
//! misbehaviour ([`Behaviour`]): tokens signed by an expired certificate or one without
//! the timeStamping usage, answers for another nonce or digest, refusals, garbage,
//! slowness, errors and oversized bodies.
//!
//! Everything here panics on failure with a message that names the step: it is test
//! fixture code, behind the `testing` feature, and must never run in the app.

use std::fmt::Display;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{BitStringRef, Int, OctetString, Utf8StringRef};
use der::{Decode, Encode};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use x509_tsp::TimeStampReq;

use crate::Trust;
use crate::token::asn1;

/// The subject CN of the good TSA certificate.
pub const TSA_CN: &str = "Exhibit Test TSA";

/// The organisation in every test certificate's subject.
pub const TEST_ORG: &str = "Exhibit Tests";

/// The policy the test TSA stamps under.
pub const TEST_POLICY: &str = "1.2.3.4.1";

/// How long after [`TestPki::new`] the short-lived TSA certificate stops being valid.
pub const SHORT_LIVED: Duration = Duration::from_secs(4);

fn must<T, E: Display>(result: Result<T, E>, step: &str) -> T {
    result.unwrap_or_else(|e| panic!("test TSA: {step}: {e}"))
}

/// One certificate and its key on disk.
#[derive(Debug, Clone)]
pub struct SignerFiles {
    /// The certificate, PEM.
    pub cert: PathBuf,
    /// Its private key, PKCS#8 PEM, unencrypted.
    pub key: PathBuf,
}

/// A test PKI: a root CA and four TSA certificates it issued, all RSA 2048, written as
/// PEM files in one folder with an `openssl ts` configuration.
#[derive(Debug, Clone)]
pub struct TestPki {
    dir: PathBuf,
    ca: SignerFiles,
    good: SignerFiles,
    expired: SignerFiles,
    no_eku: SignerFiles,
    short_lived: SignerFiles,
    config: PathBuf,
}

impl TestPki {
    /// Generates the PKI into `dir` (which must exist):
    /// - `ca.pem`: the root, "CN=Exhibit Test Root CA";
    /// - `tsa.pem`: the good TSA, EKU timeStamping, critical;
    /// - `expired.pem`: the same usage, valid for a day 400 days ago;
    /// - `noeku.pem`: no extended key usage at all;
    /// - `short.pem`: the good usage, valid until [`SHORT_LIVED`] from now;
    /// - `tsa.cnf`: an `openssl ts` configuration that signs with `tsa.pem`.
    pub fn new(dir: &Path) -> TestPki {
        must(std::fs::create_dir_all(dir), "creating its folder");
        let text = dir.display().to_string();
        assert!(
            !text.contains(['$', '\\', '"', '#', '\n']),
            "test TSA: the folder {text} has characters an OpenSSL config cannot hold"
        );
        let now = must(
            SystemTime::now().duration_since(UNIX_EPOCH),
            "reading the clock",
        )
        .as_secs() as i64;
        let day = 86_400;

        let ca_key = new_key();
        let ca_cert = issue(&IssueSpec {
            cn: "Exhibit Test Root CA",
            key: &ca_key,
            issuer: None,
            not_before: now - 800 * day,
            not_after: now + 3650 * day,
            usage: Usage::Ca,
        });
        let ca = write_pair(dir, "ca", &ca_cert, &ca_key);
        let leaf = |name: &str, cn: &str, not_before: i64, not_after: i64, usage: Usage| {
            let key = new_key();
            let cert = issue(&IssueSpec {
                cn,
                key: &key,
                issuer: Some((&ca_cert, &ca_key)),
                not_before,
                not_after,
                usage,
            });
            write_pair(dir, name, &cert, &key)
        };
        let good = leaf(
            "tsa",
            TSA_CN,
            now - day,
            now + 365 * day,
            Usage::TimeStamping,
        );
        let expired = leaf(
            "expired",
            "Exhibit Expired TSA",
            now - 400 * day,
            now - 399 * day,
            Usage::TimeStamping,
        );
        let no_eku = leaf(
            "noeku",
            "Exhibit No-EKU TSA",
            now - day,
            now + 365 * day,
            Usage::Plain,
        );
        let short_lived = leaf(
            "short",
            "Exhibit Short-Lived TSA",
            now - day,
            now + SHORT_LIVED.as_secs() as i64,
            Usage::TimeStamping,
        );

        let serial = dir.join("tsaserial");
        must(std::fs::write(&serial, "01\n"), "writing the serial file");
        let config = dir.join("tsa.cnf");
        let text = format!(
            "[ tsa ]\n\
             default_tsa = exhibit_test_tsa\n\
             \n\
             [ exhibit_test_tsa ]\n\
             serial = {serial}\n\
             crypto_device = builtin\n\
             signer_cert = {cert}\n\
             certs = {ca}\n\
             signer_key = {key}\n\
             signer_digest = sha256\n\
             default_policy = {TEST_POLICY}\n\
             other_policies = 1.2.3.4.5\n\
             digests = sha256, sha384, sha512\n\
             accuracy = secs:1\n\
             clock_precision_digits = 3\n\
             ordering = no\n\
             tsa_name = yes\n\
             ess_cert_id_chain = no\n\
             ess_cert_id_alg = sha256\n",
            serial = serial.display(),
            cert = good.cert.display(),
            ca = ca.cert.display(),
            key = good.key.display(),
        );
        must(std::fs::write(&config, text), "writing tsa.cnf");
        TestPki {
            dir: dir.to_owned(),
            ca,
            good,
            expired,
            no_eku,
            short_lived,
            config,
        }
    }

    /// The root CA certificate, PEM: what `--tsa-ca` and `openssl ts -verify -CAfile` take.
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca.cert
    }

    /// The root CA certificate's PEM text.
    pub fn ca_pem(&self) -> Vec<u8> {
        must(std::fs::read(&self.ca.cert), "reading ca.pem")
    }

    /// A [`Trust`] holding only this PKI's root.
    pub fn trust(&self) -> Trust {
        must(Trust::only(&self.ca_pem()), "loading the test root")
    }

    /// The folder the files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The `openssl ts` configuration file.
    pub fn config_path(&self) -> &Path {
        &self.config
    }

    /// The good TSA certificate and key.
    pub fn good(&self) -> &SignerFiles {
        &self.good
    }
}

enum Usage {
    Ca,
    TimeStamping,
    Plain,
}

struct IssueSpec<'a> {
    cn: &'a str,
    key: &'a PKey<Private>,
    issuer: Option<(&'a X509, &'a PKey<Private>)>,
    not_before: i64,
    not_after: i64,
    usage: Usage,
}

fn new_key() -> PKey<Private> {
    let rsa = must(Rsa::generate(2048), "generating an RSA key");
    must(PKey::from_rsa(rsa), "wrapping an RSA key")
}

fn issue(spec: &IssueSpec<'_>) -> X509 {
    let mut name = must(X509NameBuilder::new(), "starting a name");
    must(
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, TEST_ORG),
        "naming O",
    );
    must(
        name.append_entry_by_nid(Nid::COMMONNAME, spec.cn),
        "naming CN",
    );
    let name = name.build();

    let mut builder = must(X509Builder::new(), "starting a certificate");
    must(builder.set_version(2), "setting v3");
    let mut serial = must(BigNum::new(), "making a serial");
    must(
        serial.rand(64, MsbOption::MAYBE_ZERO, false),
        "drawing a serial",
    );
    let serial = must(serial.to_asn1_integer(), "encoding a serial");
    must(builder.set_serial_number(&serial), "setting the serial");
    must(builder.set_subject_name(&name), "setting the subject");
    let issuer_name = spec.issuer.map_or(&*name, |(cert, _)| cert.subject_name());
    must(builder.set_issuer_name(issuer_name), "setting the issuer");
    must(builder.set_pubkey(spec.key), "setting the key");
    let not_before = must(Asn1Time::from_unix(spec.not_before as _), "notBefore");
    let not_after = must(Asn1Time::from_unix(spec.not_after as _), "notAfter");
    must(builder.set_not_before(&not_before), "setting notBefore");
    must(builder.set_not_after(&not_after), "setting notAfter");

    let extensions = match spec.usage {
        Usage::Ca => vec![
            must(
                BasicConstraints::new().critical().ca().build(),
                "basicConstraints",
            ),
            must(
                KeyUsage::new()
                    .critical()
                    .key_cert_sign()
                    .crl_sign()
                    .build(),
                "keyUsage",
            ),
        ],
        Usage::TimeStamping => vec![
            must(
                BasicConstraints::new().critical().build(),
                "basicConstraints",
            ),
            must(
                KeyUsage::new().critical().digital_signature().build(),
                "keyUsage",
            ),
            must(
                ExtendedKeyUsage::new().critical().time_stamping().build(),
                "extendedKeyUsage",
            ),
        ],
        Usage::Plain => vec![
            must(
                BasicConstraints::new().critical().build(),
                "basicConstraints",
            ),
            must(
                KeyUsage::new().critical().digital_signature().build(),
                "keyUsage",
            ),
        ],
    };
    for extension in extensions {
        must(builder.append_extension(extension), "adding an extension");
    }
    let ski = {
        let ctx = builder.x509v3_context(spec.issuer.map(|(cert, _)| &**cert), None);
        must(
            SubjectKeyIdentifier::new().build(&ctx),
            "subjectKeyIdentifier",
        )
    };
    must(builder.append_extension(ski), "adding subjectKeyIdentifier");
    if let Some((issuer, _)) = spec.issuer {
        let aki = {
            let ctx = builder.x509v3_context(Some(issuer), None);
            must(
                AuthorityKeyIdentifier::new().keyid(true).build(&ctx),
                "authorityKeyIdentifier",
            )
        };
        must(
            builder.append_extension(aki),
            "adding authorityKeyIdentifier",
        );
    }
    let signing_key = spec.issuer.map_or(spec.key, |(_, key)| key);
    must(
        builder.sign(signing_key, MessageDigest::sha256()),
        "signing a certificate",
    );
    builder.build()
}

fn write_pair(dir: &Path, name: &str, cert: &X509, key: &PKey<Private>) -> SignerFiles {
    let files = SignerFiles {
        cert: dir.join(format!("{name}.pem")),
        key: dir.join(format!("{name}.key")),
    };
    let cert_pem = must(cert.to_pem(), "encoding a certificate");
    let key_pem = must(key.private_key_to_pem_pkcs8(), "encoding a key");
    must(
        std::fs::write(&files.cert, cert_pem),
        "writing a certificate",
    );
    must(std::fs::write(&files.key, key_pem), "writing a key");
    files
}

/// How a [`TestTsa`] answers each POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// A correct token from `openssl ts -reply`.
    Good,
    /// A correct token for the same digest, but answering a query with another nonce.
    WrongNonce,
    /// A correct token for another digest.
    OtherDigest,
    /// A token signed by a certificate that expired 399 days ago.
    ExpiredCert,
    /// A token signed by a certificate without the timeStamping extended key usage.
    NoEku,
    /// A token from the good certificate, re-signed without the ESS signing-certificate
    /// attribute.
    NoSigningCertAttr,
    /// A token from the short-lived certificate (see [`SHORT_LIVED`]).
    ShortLived,
    /// A refusal: status rejection, with text and the systemFailure bit.
    Rejection,
    /// Random bytes, sent as `application/timestamp-reply`.
    Garbage,
    /// A correct token after sleeping this long.
    Slow(Duration),
    /// This HTTP status with a short text body.
    HttpError(u16),
    /// Two MiB as `application/timestamp-reply`, with no Content-Length, closing the
    /// connection at the end, so the client must stop reading by itself.
    Oversize,
}

/// A running local TSA on 127.0.0.1, stopped when dropped.
#[derive(Debug)]
pub struct TestTsa {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// `openssl ts -reply` updates one serial file: one signing at a time in this process.
static OPENSSL_TS: Mutex<()> = Mutex::new(());

/// Names the work files of concurrent requests apart.
static WORK_FILE: AtomicUsize = AtomicUsize::new(0);

impl TestTsa {
    /// Starts a TSA that answers every POST as `behaviour` says.
    pub fn start(pki: &TestPki, behaviour: Behaviour) -> TestTsa {
        let listener = must(TcpListener::bind("127.0.0.1:0"), "binding 127.0.0.1");
        let addr = must(listener.local_addr(), "reading the local address");
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (pki, requests, stop) = (pki.clone(), requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (pki, requests) = (pki.clone(), requests.clone());
                    std::thread::spawn(move || serve(stream, &pki, behaviour, &requests));
                }
            })
        };
        TestTsa {
            addr,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The URL to POST queries to.
    pub fn url(&self) -> String {
        format!("http://{}/tsr", self.addr)
    }

    /// How many requests have been received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TestTsa {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag. Join only if that worked: otherwise
        // the loop may never wake, and leaking the thread is better than hanging a test.
        if TcpStream::connect(self.addr).is_ok()
            && let Some(thread) = self.thread.take()
        {
            let _ = thread.join();
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens: the port was bound, then closed.
pub fn unreachable_url() -> String {
    let listener = must(TcpListener::bind("127.0.0.1:0"), "binding 127.0.0.1");
    let addr = must(listener.local_addr(), "reading the local address");
    drop(listener);
    format!("http://{addr}/tsr")
}

/// Runs stock `openssl ts -verify -data DATA -in TSR -CAfile CA`.
pub fn openssl_ts_verify(data_file: &Path, tsr_file: &Path, ca_file: &Path) -> Output {
    let mut command = Command::new("openssl");
    command.arg("ts").arg("-verify").arg("-data").arg(data_file);
    command.arg("-in").arg(tsr_file).arg("-CAfile").arg(ca_file);
    must(command.output(), "running openssl ts -verify")
}

/// Runs stock `openssl ts -verify -digest HEX -in TSR -CAfile CA`.
pub fn openssl_ts_verify_digest(digest_hex: &str, tsr_file: &Path, ca_file: &Path) -> Output {
    let mut command = Command::new("openssl");
    command.args(["ts", "-verify", "-digest", digest_hex]);
    command.arg("-in").arg(tsr_file).arg("-CAfile").arg(ca_file);
    must(command.output(), "running openssl ts -verify")
}

fn serve(mut stream: TcpStream, pki: &TestPki, behaviour: Behaviour, requests: &AtomicUsize) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(query) = read_post(&mut stream) else {
        return;
    };
    requests.fetch_add(1, Ordering::SeqCst);
    let reply = |body: Vec<u8>| (200, "application/timestamp-reply", body, true);
    let (status, content_type, body, with_length) = match behaviour {
        Behaviour::Good => reply(ts_reply(pki, &query, None)),
        Behaviour::Slow(pause) => {
            std::thread::sleep(pause);
            reply(ts_reply(pki, &query, None))
        }
        Behaviour::WrongNonce => {
            let mut req = must(TimeStampReq::from_der(&query), "decoding the query");
            req.nonce = Some(must(Int::new(&[0x42; 8]), "making a nonce"));
            let other = must(req.to_der(), "encoding the query");
            reply(ts_reply(pki, &other, None))
        }
        Behaviour::OtherDigest => {
            let mut req = must(TimeStampReq::from_der(&query), "decoding the query");
            let digest = openssl::sha::sha256(b"some other record");
            req.message_imprint.hashed_message =
                must(OctetString::new(digest.as_slice()), "making a digest");
            let other = must(req.to_der(), "encoding the query");
            reply(ts_reply(pki, &other, None))
        }
        Behaviour::ExpiredCert => reply(ts_reply(pki, &query, Some(&pki.expired))),
        Behaviour::ShortLived => reply(ts_reply(pki, &query, Some(&pki.short_lived))),
        Behaviour::NoEku => {
            let good = ts_reply(pki, &query, None);
            reply(resign(pki, &good, &pki.no_eku, true))
        }
        Behaviour::NoSigningCertAttr => {
            let good = ts_reply(pki, &query, None);
            reply(resign(pki, &good, &pki.good, false))
        }
        Behaviour::Rejection => reply(rejection()),
        Behaviour::Garbage => {
            let mut noise = vec![0u8; 600];
            must(openssl::rand::rand_bytes(&mut noise), "drawing noise");
            reply(noise)
        }
        Behaviour::HttpError(code) => (code, "text/plain", b"test TSA failure\n".to_vec(), true),
        Behaviour::Oversize => (
            200,
            "application/timestamp-reply",
            vec![0x30; 2 << 20],
            false,
        ),
    };
    let reason = if status == 200 { "OK" } else { "Test Status" };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n");
    if with_length {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    // The client may have given up (timeouts, size limits): a failed write is expected.
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Reads one HTTP/1.1 POST and returns its body.
fn read_post(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    if !head.starts_with("POST ") {
        return None;
    }
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())?;
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data[head_end..head_end + length].to_vec())
}

fn work_file(pki: &TestPki, extension: &str) -> PathBuf {
    let n = WORK_FILE.fetch_add(1, Ordering::SeqCst);
    pki.dir
        .join(format!("work-{}-{n}.{extension}", std::process::id()))
}

fn run(command: &mut Command, step: &str) {
    let output = must(command.output(), step);
    assert!(
        output.status.success(),
        "test TSA: {step} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Signs `query` with `openssl ts -reply`, as the configured TSA or as `signer`.
fn ts_reply(pki: &TestPki, query: &[u8], signer: Option<&SignerFiles>) -> Vec<u8> {
    let query_file = work_file(pki, "tsq");
    let reply_file = work_file(pki, "tsr");
    must(std::fs::write(&query_file, query), "writing the query");
    let mut command = Command::new("openssl");
    command.args(["ts", "-reply", "-config"]).arg(&pki.config);
    command
        .arg("-queryfile")
        .arg(&query_file)
        .arg("-out")
        .arg(&reply_file);
    if let Some(signer) = signer {
        command
            .arg("-signer")
            .arg(&signer.cert)
            .arg("-inkey")
            .arg(&signer.key);
    }
    {
        let _one_at_a_time = OPENSSL_TS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        run(&mut command, "openssl ts -reply");
    }
    let reply = must(std::fs::read(&reply_file), "reading the reply");
    let _ = std::fs::remove_file(&query_file);
    let _ = std::fs::remove_file(&reply_file);
    reply
}

/// Takes the TSTInfo out of a good reply and signs it again as `signer` with
/// `openssl cms -sign`, with (`cades`) or without the ESS signing-certificate attribute.
/// This is how a token from a certificate `openssl ts -reply` refuses is made.
fn resign(pki: &TestPki, good_reply: &[u8], signer: &SignerFiles, cades: bool) -> Vec<u8> {
    let resp = must(
        asn1::TimeStampResp::from_der(good_reply),
        "decoding the good reply",
    );
    let token = resp
        .time_stamp_token
        .unwrap_or_else(|| panic!("test TSA: the good reply has no token"));
    let content = must(token.content.to_der(), "encoding the token content");
    let signed = must(SignedData::from_der(&content), "decoding SignedData");
    let tst_info = signed
        .encap_content_info
        .econtent
        .unwrap_or_else(|| panic!("test TSA: the good token has no TSTInfo"));

    let tst_file = work_file(pki, "tst");
    let token_file = work_file(pki, "p7");
    must(
        std::fs::write(&tst_file, tst_info.value()),
        "writing the TSTInfo",
    );
    let mut command = Command::new("openssl");
    command.args([
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-nosmimecap",
        "-md",
        "sha256",
    ]);
    command.args([
        "-econtent_type",
        "1.2.840.113549.1.9.16.1.4",
        "-outform",
        "DER",
    ]);
    if cades {
        command.arg("-cades");
    }
    command
        .arg("-signer")
        .arg(&signer.cert)
        .arg("-inkey")
        .arg(&signer.key);
    command.arg("-certfile").arg(&pki.ca.cert);
    command
        .arg("-in")
        .arg(&tst_file)
        .arg("-out")
        .arg(&token_file);
    run(&mut command, "openssl cms -sign");
    let token_der = must(std::fs::read(&token_file), "reading the re-signed token");
    let _ = std::fs::remove_file(&tst_file);
    let _ = std::fs::remove_file(&token_file);

    let resp = asn1::TimeStampResp {
        status: asn1::PkiStatusInfo {
            status: must(Int::new(&[0]), "status granted"),
            status_string: None,
            fail_info: None,
        },
        time_stamp_token: Some(must(
            ContentInfo::from_der(&token_der),
            "decoding the token",
        )),
    };
    must(resp.to_der(), "encoding the response")
}

fn rejection() -> Vec<u8> {
    // systemFailure is bit 25: the fourth byte's second bit, six unused bits after it.
    let fail_info = [0u8, 0, 0, 0x40];
    let resp = asn1::TimeStampResp {
        status: asn1::PkiStatusInfo {
            status: must(Int::new(&[2]), "status rejection"),
            status_string: Some(vec![must(
                Utf8StringRef::new("test TSA is refusing requests"),
                "status text",
            )]),
            fail_info: Some(must(BitStringRef::new(6, &fail_info), "failInfo")),
        },
        time_stamp_token: None,
    };
    must(resp.to_der(), "encoding the refusal")
}
