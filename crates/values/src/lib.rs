//! tusk-values: values files for the Mastodon Helm charts.
pub mod dotenv;
