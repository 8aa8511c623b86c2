//! The end-to-end tests of the `tests/` crate (package `exhibit-e2e`), as one test
//! binary: one link of the whole stack instead of one per file, and every test in one
//! list (`cargo test -p exhibit-e2e --test it -- capture::` runs one file's tests).
//! Each file is a module and reads as it did on its own; shared helpers are the crate's
//! library (`support/`).

mod app_facade;
mod architecture;
mod browse;
mod browser;
mod campaign;
mod capture;
mod case_file;
mod crash;
mod discover;
mod export;
mod faults;
mod main_image;
mod purchases;
mod schedule_a;
mod timestamp;
mod wacz;
