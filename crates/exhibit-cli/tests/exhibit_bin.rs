//! The binary itself, as Cargo builds it for integration tests.
//!
//! Besides checking the command line, this target makes `cargo test` build
//! `target/<profile>/exhibit` with the same features as every other test, so the workflow
//! tests in `tests/` (see `tests/support/cli.rs`) find it without a second build.

use std::process::Command;

#[test]
fn help_names_every_step_of_the_workflow() {
    let out = Command::new(env!("CARGO_BIN_EXE_exhibit"))
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("run exhibit --help: {e}"));
    assert!(out.status.success(), "{out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["init", "capture", "export", "verify-bundle"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "`{command}` missing from:\n{help}"
        );
    }
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_exhibit"))
        .arg("no-such-command")
        .output()
        .unwrap_or_else(|e| panic!("run exhibit: {e}"));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!out.stderr.is_empty(), "{out:?}");
}
