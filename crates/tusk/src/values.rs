//! Values files for the Mastodon charts: `.env` parsing, generation from a
//! docker-compose `.env`, starter values with fresh secrets, and classic →
//! next migration. A thin re-export of the `tusk-values` crate, so users of
//! the facade need only one dependency.

pub use tusk_values::ValuesError;
pub use tusk_values::dotenv;
pub use tusk_values::from_env::{
    FromEnv, Options as FromEnvOptions, RequiredKey, SecretsTarget, from_env,
};
pub use tusk_values::init::{Secrets, generate as generate_secrets, init};
pub use tusk_values::mapping::{
    Chart as MastodonChart, Kind as MappingKind, Mapping, SECRET_KEYS, SecretRef,
};
pub use tusk_values::migrate::{Migrated, Note as MigrateNote, migrate};
