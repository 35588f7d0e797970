//! Integration tests: the mock on 127.0.0.1, driven with reqwest.

mod candidates;
mod common;
mod faults;
mod hiring;
mod invalid;
mod operations;
mod records;
mod saleshandy;
mod state;
