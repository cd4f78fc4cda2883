//! Sprig v3 and Helm's template functions, with Helm-exact YAML and JSON.
//!
//! [`register`] fills a [`tusk_template::FuncMap`] with every function a
//! chart can call under helm 3.17.2. Functions that need the running engine
//! (`include`, `tpl`) reach it through [`tusk_template::CallContext`].
//!
//! This crate knows nothing about charts.

use tusk_template::FuncMap;

/// Adds every sprig and Helm function to `map`.
pub fn register(map: &mut FuncMap) {
    let _ = map;
}
