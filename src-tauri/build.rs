//! Runs tauri-build: reads `tauri.conf.json`, checks the capabilities and generates the
//! ACL.
//!
//! The real `tauri.conf.json` is at the workspace root; `src-tauri/tauri.conf.json` is a
//! symlink to it, and both this script and `generate_context!` read it through the
//! symlink. Tauri resolves the paths inside (`../ui/dist`, `../icons/…`) against the
//! folder it read the file from, so reading it as `../tauri.conf.json` would resolve
//! them against the workspace's parent; through the symlink they resolve against
//! `src-tauri/`, as the Tauri CLI resolves them too.
//!
//! The app's commands are declared here so that Tauri generates an `allow-<command>`
//! permission for each and grants none by default: a command the capability in
//! `capabilities/main.json` does not list cannot be called from the webview.

#[path = "../crates/exhibit-cli/build_commit.rs"]
mod build_commit;

/// Every command in `src/commands.rs` (keep in step with `generate_handler!` in lib.rs).
const COMMANDS: &[&str] = &[
    "choose_path",
    "choose_paths",
    "recent_cases",
    "passphrase_strength",
    "create_case",
    "open_case",
    "close_case",
    "case_info",
    "load_draft",
    "save_draft",
    "attach_file",
    "attachments",
    "check_draft",
    "read_url_list",
    "start_capture",
    "cancel_capture",
    "open_browser",
    "browser_status",
    "snap_tab",
    "close_browser",
    "capture_page",
    "capture_detail",
    "start_export",
    "cancel_export",
    "packet_bytes",
    "reveal_export",
    "listings",
    "listing_history",
    "sellers",
    "filings",
    "add_filing",
    "record_outcome",
    "start_recapture",
    "cancel_recapture",
    "relistings",
    "decide_relisting",
    "stats",
    "timeline",
    "purchases",
    "purchase",
    "add_purchase",
    "update_purchase",
    "attach_purchase_files",
    "purchase_verdict",
    "item_custody",
    "defendants",
    "discover",
    "start_capture_discovered",
    "verify_bundle",
    "verify_case",
    "import_wacz",
    "export_wacz",
    "custody",
    "get_settings",
    "save_settings",
    "about",
    "check_update",
    "install_update",
];

fn main() {
    // The About box names the commit (EXHIBIT_COMMIT).
    build_commit::emit();
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
