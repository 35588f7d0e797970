//! Integration tests: the mock on 127.0.0.1, driven with reqwest.

mod candidates;
mod common;
mod faults;
mod invalid;
mod operations;
mod state;
