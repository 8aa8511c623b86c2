//! ARCHITECTURE.md's list of the edges between our own crates is the one `cargo metadata`
//! has: a dependency added or dropped without the map changing fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// `crate -> its normal (not dev, not build) dependencies among the workspace's crates`.
fn from_cargo() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(&root)
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours: BTreeSet<String> = packages
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].is_null())
                .filter_map(|d| d["name"].as_str())
                .filter(|n| ours.contains(*n))
                .map(str::to_string)
                .collect();
            (p["name"].as_str().expect("name").to_string(), deps)
        })
        .collect()
}

/// The list under "The edges between our own crates": one line per crate (or per group
/// of crates with the same edges), "- `a`, `b` → `c`, `d` (why)" or "→ none of ours".
fn from_map() -> BTreeMap<String, BTreeSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).expect("read ARCHITECTURE.md");
    let names = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut map = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("- `") && l.contains(" → "))
    {
        let (from, to) = line.split_once(" → ").expect("arrow");
        // "(src-tauri)" and other words in parentheses are notes, not crates.
        let to: BTreeSet<String> = if to.starts_with("none of ours") {
            BTreeSet::new()
        } else {
            names(to).into_iter().collect()
        };
        for name in names(from) {
            map.insert(name, to.clone());
        }
    }
    map
}

#[test]
fn the_architecture_map_lists_the_crates_edges_as_cargo_has_them() {
    let cargo = from_cargo();
    let map = from_map();
    assert!(!map.is_empty(), "no edge list found in ARCHITECTURE.md");
    for (name, deps) in &cargo {
        assert_eq!(
            map.get(name),
            Some(deps),
            "ARCHITECTURE.md's edges for `{name}` differ from Cargo.toml's: {deps:?}"
        );
    }
    for name in map.keys() {
        assert!(
            cargo.contains_key(name),
            "ARCHITECTURE.md lists `{name}`, which is not a crate of the workspace"
        );
    }
}
