//! The Exhibit desktop app: a Tauri 2 shell over the `exhibit` facade.
//!
//! The web UI (`ui/`) talks to this crate only through the commands in [`commands`]
//! and the events in [`jobs`], as `docs/APP-API.md` lists them, and sees screenshots
//! only through the `exhibit://` scheme in [`protocol`]. Each command maps its
//! arguments, makes one facade call and maps the error; the shell holds no business
//! logic. [`build_app`] assembles everything on any Tauri runtime, so the tests drive
//! the same app on the mock runtime.

pub mod bindings;
pub mod chosen;
pub mod commands;
pub mod error;
pub mod jobs;
pub mod prefs;
pub mod protocol;
pub mod state;
pub mod updates;

use tauri::Manager;

pub use error::CmdError;
pub use state::AppState;

/// Registers the plugins, the state, the commands and the `exhibit://` scheme. The app
/// keeps its preferences in `exhibit::data_dir()`, which honours `EXHIBIT_DATA_DIR`.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // Off until the user sets an update address; see `updates.rs`.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(AppState::new(None))
        // Files dropped on the window count as chosen (for reading): the window system
        // tells the backend of the drop, not the webview. See `chosen.rs`.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window.state::<AppState>().chosen().remember_dropped(paths);
            }
        })
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                webview.state::<AppState>().chosen().remember_dropped(paths);
            }
        })
        .register_asynchronous_uri_scheme_protocol(protocol::SCHEME, protocol::handle)
        .invoke_handler(tauri::generate_handler![
            commands::choose_path,
            commands::choose_paths,
            commands::recent_cases,
            commands::passphrase_strength,
            commands::create_case,
            commands::open_case,
            commands::close_case,
            commands::case_info,
            commands::load_draft,
            commands::save_draft,
            commands::attach_file,
            commands::attachments,
            commands::check_draft,
            commands::read_url_list,
            commands::start_capture,
            commands::cancel_capture,
            commands::open_browser,
            commands::browser_status,
            commands::snap_tab,
            commands::close_browser,
            commands::capture_page,
            commands::capture_detail,
            commands::start_export,
            commands::cancel_export,
            commands::packet_bytes,
            commands::reveal_export,
            commands::listings,
            commands::listing_history,
            commands::sellers,
            commands::filings,
            commands::add_filing,
            commands::record_outcome,
            commands::start_recapture,
            commands::cancel_recapture,
            commands::relistings,
            commands::decide_relisting,
            commands::stats,
            commands::timeline,
            commands::purchases,
            commands::purchase,
            commands::add_purchase,
            commands::update_purchase,
            commands::attach_purchase_files,
            commands::purchase_verdict,
            commands::item_custody,
            commands::defendants,
            commands::discover,
            commands::start_capture_discovered,
            commands::verify_bundle,
            commands::verify_case,
            commands::import_wacz,
            commands::export_wacz,
            commands::custody,
            commands::get_settings,
            commands::save_settings,
            commands::about,
            commands::check_update,
            commands::install_update,
        ])
}

/// The app's context: `tauri.conf.json`, the capabilities in `src-tauri/capabilities/`,
/// the icons and the built UI (`ui/dist`, embedded at compile time). The config is read
/// through the symlink `src-tauri/tauri.conf.json` to the real file at the workspace
/// root, so the paths inside resolve against `src-tauri/` (see `build.rs`).
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!("tauri.conf.json")
}

/// Why the app cannot open a window here, if it cannot.
fn no_display() -> Option<&'static str> {
    let unset = |v: &str| std::env::var_os(v).is_none_or(|s| s.is_empty());
    (cfg!(target_os = "linux") && unset("DISPLAY") && unset("WAYLAND_DISPLAY")).then_some(
        "Exhibit needs a graphical desktop to open its window, and none was found \
         (DISPLAY and WAYLAND_DISPLAY are unset). Start it from your desktop session, \
         or use the `exhibit` command-line tool instead.",
    )
}

/// Runs the desktop app until its window closes.
pub fn run() {
    if let Some(why) = no_display() {
        eprintln!("{why}");
        std::process::exit(1);
    }
    let app = build_app(tauri::Builder::default()).build(context());
    match app {
        Ok(app) => {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    // Close the capture browser politely so it saves the profile (logins).
                    if let Some(state) = handle.try_state::<AppState>() {
                        state.close_browser();
                    }
                }
            });
        }
        Err(e) => {
            eprintln!("Exhibit could not start: {e}");
            std::process::exit(1);
        }
    }
}
