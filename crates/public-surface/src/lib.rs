#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod json;
pub mod names;
pub mod render;
pub mod signature;

pub use json::{Error, load, rustdoc_json, rustdoc_json_with_features};
pub use render::render;
