//! Running the real `exhibit` binary against a real case file in a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The passphrase every test case uses.
pub const PASS: &str = "correct horse battery staple 42";

/// The `exhibit` binary, built (or found fresh) once per test process.
pub fn exhibit_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // target/<profile>/deps/<test> → target/<profile>
        let exe = std::env::current_exe().expect("current exe");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test binary lives in target/<profile>/deps")
            .to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        // `cargo test --workspace`, as scripts/test.sh runs it, builds the binary for
        // crates/exhibit-cli/tests/exhibit_bin.rs with the features every test uses; asking
        // for that same target here finds it fresh. (`cargo build --bin exhibit` would
        // leave out the dev-dependencies' features and rebuild half the dependencies.)
        build.args([
            "test",
            "-q",
            "--workspace",
            "--no-run",
            "--test",
            "exhibit_bin",
        ]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo build for the exhibit binary");
        assert!(status.success(), "building the exhibit binary failed");
        let bin = profile_dir.join("exhibit");
        assert!(bin.exists(), "no exhibit binary at {}", bin.display());
        bin
    })
    .clone()
}

/// A temporary folder holding one case file.
#[derive(Debug)]
pub struct CaseDir {
    pub dir: tempfile::TempDir,
    pub case: PathBuf,
}

impl Default for CaseDir {
    fn default() -> Self {
        CaseDir::new()
    }
}

impl CaseDir {
    /// A folder with no case in it yet.
    pub fn empty() -> CaseDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = dir.path().join("case.exhibit");
        CaseDir { dir, case }
    }

    /// A folder with a freshly created case.
    pub fn new() -> CaseDir {
        let c = CaseDir::empty();
        let out = c.run(&[
            "init",
            "{case}",
            "--title",
            "Test case",
            "--collector",
            "Ana Silva",
        ]);
        assert_success(&out);
        c
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The command with `{case}` in `args` replaced by the case path and the passphrase
    /// in the environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(exhibit_bin());
        let case = self.case.to_string_lossy().into_owned();
        cmd.args(args.iter().map(|a| a.replace("{case}", &case)));
        // Most tests check HTTP capture; browser tests ask for `--mode browser`.
        cmd.env("EXHIBIT_PASSPHRASE", PASS)
            .env("EXHIBIT_CAPTURE_MODE", "http")
            .env_remove("EXHIBIT_NEW_PASSPHRASE")
            // What reaches stderr is part of what the tests check.
            .env_remove("EXHIBIT_LOG")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs SQL on the case with the right key, from outside Exhibit (Python's
    /// SQLCipher 4), as a tamperer who knows the passphrase would.
    pub fn tamper(&self, sql: &str) {
        const PY_TAMPER: &str = r#"
import sys, sqlcipher3
db = sqlcipher3.connect(sys.argv[1])
db.execute("PRAGMA key = '%s'" % sys.argv[2].replace("'", "''"))
db.executescript(sys.argv[3])
db.commit()
"#;
        let out = Command::new("python3")
            .args(["-c", PY_TAMPER])
            .arg(&self.case)
            .arg(PASS)
            .arg(sql)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "tampering failed (is sqlcipher3-binary installed?):\n{}",
            text(&out)
        );
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run exhibit")
    }

    /// `exhibit artifact CASE CAPTURE KIND --out OUT`, as it ran (for a refusal, or an
    /// `out` outside the case's folder).
    pub fn artifact_to(&self, capture: &str, kind: &str, out: &Path) -> Output {
        let out = out.to_str().expect("a UTF-8 path");
        self.run(&["artifact", "{case}", capture, kind, "--out", out])
    }

    /// The bytes `exhibit artifact` writes for `kind` of `capture`, insisting on success.
    pub fn artifact_bytes(&self, capture: &str, kind: &str) -> Vec<u8> {
        let out = self.path(&format!("{capture}.{kind}"));
        assert_success(&self.artifact_to(capture, kind, &out));
        std::fs::read(out).expect("the artifact exhibit wrote")
    }

    /// `exhibit capture CASE --mode browser --timeout 30 URL...`, with the browser's
    /// profile in the case's own folder, insisting on success.
    pub fn capture_in_browser(&self, urls: &[&str]) -> Output {
        let mut args = vec!["capture", "{case}", "--mode", "browser", "--timeout", "30"];
        args.extend_from_slice(urls);
        let mut cmd = self.command(&args);
        cmd.env("EXHIBIT_DATA_DIR", self.path("data"));
        let out = cmd.output().expect("run exhibit capture --mode browser");
        assert_success(&out);
        out
    }

    /// Runs and parses stdout as JSON, insisting on success.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        assert_success(&out);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Every capture, as `list --json` prints them.
    pub fn captures(&self) -> Vec<serde_json::Value> {
        self.json(&["list", "{case}", "--json"])
            .as_array()
            .expect("list --json prints an array")
            .clone()
    }
}

pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn assert_success(out: &Output) {
    assert!(out.status.success(), "exhibit failed:\n{}", text(out));
}

pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "unexpected exit:\n{}",
        text(out)
    );
}

/// Captures keyed by their requested URL.
pub fn by_url(
    captures: &[serde_json::Value],
) -> std::collections::HashMap<String, serde_json::Value> {
    captures
        .iter()
        .map(|c| {
            (
                c["requested_url"].as_str().expect("url").to_owned(),
                c.clone(),
            )
        })
        .collect()
}

/// Copies the example complaint `name` from `examples/` and its certificates into the
/// case's folder, as a user would before editing it.
pub fn example_complaint(case: &CaseDir, name: &str) -> PathBuf {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let dir = case.path("complaint");
    std::fs::create_dir_all(dir.join("certificates")).expect("mkdir");
    for entry in std::fs::read_dir(examples.join("certificates")).expect("certificates") {
        let entry = entry.expect("entry");
        std::fs::copy(
            entry.path(),
            dir.join("certificates").join(entry.file_name()),
        )
        .expect("copy certificate");
    }
    let path = dir.join(name);
    std::fs::copy(examples.join(name), &path).expect("copy complaint");
    path
}
