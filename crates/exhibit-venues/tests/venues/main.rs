//! Tests of exhibit-venues at its boundary: complaint files in, issues, batches and
//! documents out. One binary; one module per concern.

mod support;

mod common;
mod examples;
mod hostile;
mod parsing;
mod portals;
mod render;
mod selection;
mod statutory;
