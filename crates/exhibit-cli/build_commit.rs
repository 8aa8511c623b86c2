//! The build's identity, shared by the CLI's and the app's build scripts: sets
//! `EXHIBIT_COMMIT` to the short git commit the binary is built from.
//!
//! Release builds ask `git rev-parse --short HEAD` and are rebuilt when HEAD moves, so an
//! installed `exhibit --version` or the app's About box names the commit exactly. Debug
//! builds say `dev` instead and never watch git: otherwise every commit in a shared
//! checkout would rebuild the app and the CLI for every developer's next test run.
//! `EXHIBIT_COMMIT` in the environment (a build from a source archive, a CI that checked
//! out without history) wins over both; outside a git checkout it is `unknown`.

use std::path::Path;
use std::process::Command;

pub fn emit() {
    println!("cargo:rerun-if-env-changed=EXHIBIT_COMMIT");
    let commit = match std::env::var("EXHIBIT_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ if std::env::var("PROFILE").as_deref() != Ok("release") => "dev".to_owned(),
        _ => {
            watch_git();
            git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_owned())
        }
    };
    println!("cargo:rustc-env=EXHIBIT_COMMIT={commit}");
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(std::env::var_os("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// Reruns the build script when HEAD, the branch it points at or the packed refs change.
fn watch_git() {
    let mut files = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        files.push(branch);
    }
    for f in files {
        if let Some(p) = git(&["rev-parse", "--path-format=absolute", "--git-path", &f])
            && Path::new(&p).exists()
        {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}
