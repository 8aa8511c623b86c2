//! Where the passphrase comes from: an environment variable, a file, or a no-echo
//! prompt. Never a flag value, because flags show up in `ps` and shell history.

use std::io::IsTerminal;
use std::path::PathBuf;

use exhibit::Passphrase;
use zeroize::Zeroizing;

use crate::{Failure, usage};

/// The sources to try, in order.
pub struct PassphraseSource {
    env: Option<Zeroizing<String>>,
    file: Option<PathBuf>,
}

impl PassphraseSource {
    /// The case passphrase: `EXHIBIT_PASSPHRASE`, then `--passphrase-file`, then a prompt.
    pub fn from_env(file: Option<PathBuf>) -> Self {
        PassphraseSource {
            env: std::env::var("EXHIBIT_PASSPHRASE").ok().map(Zeroizing::new),
            file,
        }
    }

    /// A new passphrase for `passwd`: `EXHIBIT_NEW_PASSPHRASE`, then a file, then a prompt.
    pub fn new_from_env(file: Option<PathBuf>) -> Self {
        PassphraseSource {
            env: std::env::var("EXHIBIT_NEW_PASSPHRASE")
                .ok()
                .map(Zeroizing::new),
            file,
        }
    }

    fn given(&self) -> Result<Option<Passphrase>, Failure> {
        if let Some(path) = &self.file {
            let raw = Zeroizing::new(std::fs::read(path).map_err(|e| {
                usage(format!(
                    "Could not read the passphrase file {}: {e}.",
                    path.display()
                ))
            })?);
            let text = std::str::from_utf8(&raw).map_err(|_| {
                usage(format!(
                    "The passphrase file {} is not UTF-8 text.",
                    path.display()
                ))
            })?;
            let first = text.lines().next().unwrap_or_default();
            return Ok(Some(Passphrase::new(first.to_owned())));
        }
        if let Some(p) = &self.env {
            return Ok(Some(Passphrase::new(p.as_str().to_owned())));
        }
        Ok(None)
    }
}

fn prompt(label: &str) -> Result<Passphrase, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(usage(
            "No passphrase given: set EXHIBIT_PASSPHRASE, pass --passphrase-file PATH, or run in a terminal to be asked.",
        ));
    }
    rpassword::prompt_password(label)
        .map(Passphrase::new)
        .map_err(|e| usage(format!("Could not read the passphrase: {e}.")))
}

/// The passphrase of an existing case.
pub fn read_passphrase(source: &PassphraseSource, label: &str) -> Result<Passphrase, Failure> {
    match source.given()? {
        Some(p) if p.expose().is_empty() => Err(usage("The passphrase is empty.")),
        Some(p) => Ok(p),
        None => prompt(label),
    }
}

/// A new passphrase: asked twice when prompted, so a typo cannot lock the case.
pub fn read_new_passphrase(
    source: &PassphraseSource,
    var: &str,
    label: &str,
) -> Result<Passphrase, Failure> {
    if let Some(p) = source.given()? {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage(format!(
            "No new passphrase given: set {var}, pass a passphrase file, or run in a terminal to be asked."
        )));
    }
    eprintln!(
        "Choose a passphrase of four or more unrelated words. No one can recover a lost passphrase."
    );
    let first = prompt(label)?;
    let second = prompt("Repeat it: ")?;
    if first.expose() != second.expose() {
        return Err(usage("The two passphrases differ; nothing was changed."));
    }
    Ok(first)
}
