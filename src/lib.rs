//! qari: a terminal reader for Arabic news.
//!
//! The library is the pure core (layout, sources, entities, annotations, export); it never
//! touches a terminal. The binary in `src/main.rs` is a thin command-line layer over it.

pub mod annotate;
pub mod cli;
pub mod corpus;
pub mod entities;
pub mod layout;
pub mod render;
pub mod search;
pub mod source;
pub mod tui;
