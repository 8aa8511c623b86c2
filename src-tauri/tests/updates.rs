//! The updater's signature check, with the real plugin on the mock runtime: a minisign
//! key pair generated here (as `tauri signer generate` makes one), an update manifest and
//! a package served from 127.0.0.1, and the app's own `updates::check` and
//! `updates::download`, which the "Check for updates" and "Install" commands call.
//!
//! A package is handed over only when its signature verifies against the key built into
//! the app; a package changed after signing, or signed with another key, is refused; a
//! build without a key refuses to look at all. The address must be https in the
//! settings (see `prefs.rs`); only this test's config allows plain http to 127.0.0.1.

use data_encoding::BASE64;
use exhibit_e2e::TestServer;
use serde_json::json;
use tauri::test::{MockRuntime, mock_builder};

/// A minisign key pair and the public key as Tauri's config wants it (base64 of the
/// minisign public key file).
struct Key {
    pair: minisign::KeyPair,
    config_pubkey: String,
}

fn key() -> Key {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().expect("generate a key pair");
    let text = pair.pk.to_box().expect("public key box").into_string();
    Key {
        config_pubkey: BASE64.encode(text.as_bytes()),
        pair,
    }
}

/// The signature as an update manifest carries it (base64 of the minisign `.sig` file),
/// as `tauri signer sign` writes it.
fn sign(key: &Key, bytes: &[u8]) -> String {
    let sig = minisign::sign(
        Some(&key.pair.pk),
        &key.pair.sk,
        bytes,
        Some("exhibit update test"),
        Some("signature from tauri secret key"),
    )
    .expect("sign");
    BASE64.encode(sig.into_string().as_bytes())
}

/// Serves the files `files(base)` gives (path → body; the manifest names the server's own
/// address) from the shared test server on 127.0.0.1; returns it (it serves until dropped)
/// and its base URL.
fn serve(files: impl FnOnce(&str) -> Vec<(&'static str, Vec<u8>)>) -> (TestServer, String) {
    let server = TestServer::start();
    let base = format!("http://127.0.0.1:{}", server.http_port());
    for (path, body) in files(&base) {
        server.mount(path, 200, None, body);
    }
    (server, base)
}

/// The error of a check that should have failed (an `Update` has no `Debug`).
fn refused(
    result: Result<Option<tauri_plugin_updater::Update>, exhibit_app::CmdError>,
) -> exhibit_app::CmdError {
    match result {
        Err(e) => e,
        Ok(Some(u)) => panic!("an update to {} was offered", u.version),
        Ok(None) => panic!("no update was offered"),
    }
}

/// The updater's name for this system, as the manifest keys its platforms.
fn target() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    format!("{os}-{}", std::env::consts::ARCH)
}

/// A manifest offering `version`, whose package at `/pkg` carries `signature`.
fn manifest(base: &str, version: &str, signature: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": version,
        "notes": "A test release.",
        "pub_date": "2026-01-02T03:04:05Z",
        "platforms": { target(): { "signature": signature, "url": format!("{base}/pkg") } }
    }))
    .expect("json")
}

/// The app on the mock runtime with `pubkey` as its update key. Plain http is allowed
/// here only, for the server above.
fn app(pubkey: &str) -> tauri::App<MockRuntime> {
    let mut context = exhibit_app::context::<MockRuntime>();
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": pubkey, "dangerousInsecureTransportProtocol": true }),
    );
    exhibit_app::build_app(mock_builder())
        .build(context)
        .expect("build the app")
}

#[test]
fn only_a_package_signed_with_the_apps_key_is_accepted() {
    let publisher = key();
    let stranger = key();
    let package = b"an Exhibit installer, version 99".to_vec();
    let tampered = b"an Exhibit installer, version 99, with something added".to_vec();

    // Honest: the package as signed.
    let (_honest_server, honest) = serve(|base| {
        vec![
            ("/pkg", package.clone()),
            (
                "/latest.json",
                manifest(base, "99.0.0", &sign(&publisher, &package)),
            ),
        ]
    });
    // Tampered: the publisher's signature of the package, but other bytes served.
    let (_tampered_server, tampered) = serve(|base| {
        vec![
            ("/pkg", tampered.clone()),
            (
                "/latest.json",
                manifest(base, "99.0.0", &sign(&publisher, &package)),
            ),
        ]
    });
    // Signed by someone else.
    let (_forged_server, forged) = serve(|base| {
        vec![
            ("/pkg", package.clone()),
            (
                "/latest.json",
                manifest(base, "99.0.0", &sign(&stranger, &package)),
            ),
        ]
    });
    // Up to date: the manifest offers this very version.
    let (_current_server, current) = serve(|base| {
        vec![(
            "/latest.json",
            manifest(base, env!("CARGO_PKG_VERSION"), "unused"),
        )]
    });

    let publishers_app = app(&publisher.config_pubkey);
    let handle = publishers_app.handle().clone();
    let about = exhibit_app::updates::about(&handle);
    assert!(about.can_update);
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));

    tauri::async_runtime::block_on(async {
        let check = |base: String| {
            let handle = handle.clone();
            async move { exhibit_app::updates::check(&handle, &format!("{base}/latest.json")).await }
        };

        let update = check(honest.clone())
            .await
            .expect("check")
            .expect("an update is offered");
        assert_eq!(update.version, "99.0.0");
        let offer = exhibit_app::updates::UpdateOffer::from(&update);
        assert_eq!(offer.notes.as_deref(), Some("A test release."));
        assert_eq!(offer.date.as_deref(), Some("2026-01-02T03:04:05Z"));
        let bytes = exhibit_app::updates::download(&update)
            .await
            .expect("the signed package verifies");
        assert_eq!(bytes, package);

        for (what, base) in [
            ("changed after signing", tampered),
            ("signed by another key", forged),
        ] {
            let update = check(base).await.expect("check").expect("offered");
            let e = exhibit_app::updates::download(&update)
                .await
                .expect_err(what);
            assert_eq!(e.code, exhibit_app::updates::UPDATE_FAILED, "{what}: {e}");
            assert!(e.message.contains("signature"), "{what}: {e}");
        }

        assert!(check(current).await.expect("check").is_none(), "up to date");
        let e = refused(check("http://127.0.0.1:9".into()).await);
        assert_eq!(e.code, exhibit_app::updates::UPDATE_FAILED, "{e}");
    });
    drop(publishers_app);

    // A build without a key never asks.
    let keyless = app("");
    assert!(!exhibit_app::updates::about(keyless.handle()).can_update);
    let e = refused(tauri::async_runtime::block_on(exhibit_app::updates::check(
        keyless.handle(),
        &format!("{honest}/latest.json"),
    )));
    assert_eq!(e.code, exhibit_app::updates::UPDATES_OFF);
}
