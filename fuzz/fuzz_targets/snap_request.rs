//! The request line of the `exhibit browse` session socket, which anyone who can reach
//! the socket writes.
//!
//! What must hold: no panic; settings are returned only when they name an authority,
//! and what is returned survives the way back (the line `exhibit snap` would send for
//! them reads as the same settings), so the browsing process never acts on something
//! the client could not have meant.
#![no_main]

use exhibit_domain::snap_request::{parse_snap_line, read_snap_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(tsa) = read_snap_request(data) {
        assert!(!tsa.urls.is_empty(), "settings without an authority");
        let line = tsa.request_line().expect("settings that were read encode");
        assert!(
            !line.contains('\n'),
            "the request line spans lines: {line:?}"
        );
        assert_eq!(parse_snap_line(&line).as_ref(), Some(&tsa), "{line:?}");
    }
});
