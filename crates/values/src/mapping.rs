//! Which chart value produces which Mastodon environment variable.
//!
//! One table per chart, read off the charts' own templates (mastodon/chart
//! 6.9.x `templates/configmap-env.yaml`, `_secrets.tpl`, the deployments;
//! mastodon/helm-charts 1.0.x `templates/_env.tpl`, `_secrets.tpl`). The
//! tables drive `from-env` (env → values), `migrate` (classic path → env →
//! next path) and the tables in `docs/values.md`, which a test regenerates
//! with [`markdown_table`] so the two never drift.

use std::fmt;

/// The two Mastodon charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chart {
    /// mastodon/chart, the deprecated "classic" chart (snake_case values,
    /// bundled PostgreSQL, Redis and Elasticsearch).
    Classic,
    /// mastodon/helm-charts `charts/mastodon`, the successor (camelCase
    /// values, external services only).
    Next,
}

impl Chart {
    /// Both charts, classic first.
    pub const ALL: [Chart; 2] = [Chart::Classic, Chart::Next];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Chart::Classic => "classic",
            Chart::Next => "next",
        }
    }

    /// The chart's source, for headers and docs.
    pub fn source(self) -> &'static str {
        match self {
            Chart::Classic => "mastodon/chart (classic)",
            Chart::Next => "mastodon/helm-charts charts/mastodon (next)",
        }
    }

    /// Where variables without a mapping go: a map of name → value that the
    /// chart renders into its env ConfigMap.
    pub fn extra_env_path(self) -> &'static str {
        "mastodon.extraEnvVars"
    }

    /// The mapping table.
    pub fn mappings(self) -> &'static [Mapping] {
        match self {
            Chart::Classic => CLASSIC,
            Chart::Next => NEXT,
        }
    }

    /// How secret variables are read from an existing Secret.
    pub fn secret_refs(self) -> &'static [SecretRef] {
        match self {
            Chart::Classic => CLASSIC_SECRET_REFS,
            Chart::Next => NEXT_SECRET_REFS,
        }
    }

    /// The mapping of one variable.
    pub fn mapping(self, env: &str) -> Option<&'static Mapping> {
        self.mappings().iter().find(|m| m.env == env)
    }

    /// The mapping whose value path is `path`.
    pub fn mapping_for_path(self, path: &str) -> Option<&'static Mapping> {
        self.mappings()
            .iter()
            .find(|m| !m.path.is_empty() && m.path == path)
    }
}

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Chart {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "classic" => Ok(Chart::Classic),
            "next" => Ok(Chart::Next),
            other => Err(format!(
                "unknown chart {other:?} (expected classic or next)"
            )),
        }
    }
}

/// How an environment value becomes a chart value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Str,
    /// An integer (kept as a string when it does not parse).
    Int,
    /// `true` / `false` (kept as a string otherwise).
    Bool,
    /// A comma-separated list.
    List,
    /// A host name; a leading `https://` is removed and sets the boolean at
    /// this path instead (the charts add the scheme themselves).
    Host {
        /// The chart's TLS switch.
        tls: &'static str,
    },
    /// The chart always sets the variable to this value.
    Fixed(&'static str),
    /// The chart derives the variable from other values (see the note).
    Implied,
    /// A secret the chart reads only from an existing Secret, never from a
    /// value; `--existing-secret` is the only way to pass it.
    SecretOnly,
}

/// One environment variable and the value path that produces it.
#[derive(Debug, Clone, Copy)]
pub struct Mapping {
    /// The environment variable.
    pub env: &'static str,
    /// The dotted value path ("" for [`Kind::Fixed`], [`Kind::Implied`] and
    /// [`Kind::SecretOnly`]).
    pub path: &'static str,
    /// How the value is converted.
    pub kind: Kind,
    /// Other values that must be set for the chart to render the variable.
    pub also: &'static [(&'static str, bool)],
    /// A remark for humans (docs and generated comments).
    pub note: &'static str,
}

const fn m(env: &'static str, path: &'static str, kind: Kind) -> Mapping {
    Mapping {
        env,
        path,
        kind,
        also: &[],
        note: "",
    }
}

const fn s(env: &'static str, path: &'static str) -> Mapping {
    m(env, path, Kind::Str)
}

impl Mapping {
    const fn also(self, also: &'static [(&'static str, bool)]) -> Self {
        Mapping { also, ..self }
    }
    const fn note(self, note: &'static str) -> Self {
        Mapping { note, ..self }
    }
}

/// How a secret variable is read from an existing Kubernetes Secret.
#[derive(Debug, Clone, Copy)]
pub struct SecretRef {
    /// The environment variable.
    pub env: &'static str,
    /// Appended to the `--existing-secret` name (the classic chart reads some
    /// secrets under fixed key names such as `password`, so those live in
    /// Secrets of their own).
    pub suffix: &'static str,
    /// The key in that Secret.
    pub key: &'static str,
    /// The value path naming the Secret.
    pub name_path: &'static str,
    /// The value path naming the key ("" when the chart fixes the key).
    pub key_path: &'static str,
}

const fn r(
    env: &'static str,
    suffix: &'static str,
    key: &'static str,
    name_path: &'static str,
    key_path: &'static str,
) -> SecretRef {
    SecretRef {
        env,
        suffix,
        key,
        name_path,
        key_path,
    }
}

/// Variables treated as secrets (on top of `--secret-key`): their values
/// never go into the plain values file.
pub const SECRET_KEYS: &[&str] = &[
    "SECRET_KEY_BASE",
    "OTP_SECRET",
    "VAPID_PRIVATE_KEY",
    "VAPID_PUBLIC_KEY",
    "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
    "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
    "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
    "DB_PASS",
    "REPLICA_DB_PASS",
    "REDIS_PASSWORD",
    "SIDEKIQ_REDIS_PASSWORD",
    "CACHE_REDIS_PASSWORD",
    "ES_PASS",
    "SMTP_LOGIN",
    "SMTP_PASSWORD",
    "BULK_SMTP_LOGIN",
    "BULK_SMTP_PASSWORD",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "DEEPL_API_KEY",
    "HCAPTCHA_SECRET_KEY",
    "CACHE_BUSTER_SECRET",
    "OIDC_CLIENT_SECRET",
    "LDAP_PASSWORD",
    "SAML_PRIVATE_KEY",
    "OTEL_EXPORTER_OTLP_HEADERS",
];

const ON: bool = true;
const OFF: bool = false;

static CLASSIC: &[Mapping] = &[
    // Instance
    s("LOCAL_DOMAIN", "mastodon.local_domain"),
    s("WEB_DOMAIN", "mastodon.web_domain"),
    m(
        "ALTERNATE_DOMAINS",
        "mastodon.alternate_domains",
        Kind::List,
    ),
    s("DEFAULT_LOCALE", "mastodon.locale"),
    m("SINGLE_USER_MODE", "mastodon.singleUserMode", Kind::Bool),
    m("AUTHORIZED_FETCH", "mastodon.authorizedFetch", Kind::Bool),
    m(
        "LIMITED_FEDERATION_MODE",
        "mastodon.limitedFederationMode",
        Kind::Bool,
    ),
    s("TRUSTED_PROXY_IP", "mastodon.trusted_proxy_ip"),
    s("TZ", "timezone"),
    s("RAILS_LOG_LEVEL", "mastodon.logLevel.rails"),
    s("LOG_LEVEL", "mastodon.logLevel.streaming"),
    m("RAILS_ENV", "", Kind::Fixed("production")),
    m("NODE_ENV", "", Kind::Fixed("production")),
    m("MALLOC_ARENA_MAX", "", Kind::Fixed("2")),
    // Web and streaming processes
    s("WEB_CONCURRENCY", "mastodon.web.workers"),
    s("MIN_THREADS", "mastodon.web.minThreads"),
    s("MAX_THREADS", "mastodon.web.maxThreads"),
    s("PERSISTENT_TIMEOUT", "mastodon.web.persistentTimeout"),
    m(
        "STREAMING_CLUSTER_NUM",
        "mastodon.streaming.workers",
        Kind::Int,
    ),
    s("STREAMING_API_BASE_URL", "mastodon.streaming.base_url"),
    // Secrets
    s("SECRET_KEY_BASE", "mastodon.secrets.secret_key_base"),
    s("OTP_SECRET", "mastodon.secrets.otp_secret"),
    s("VAPID_PRIVATE_KEY", "mastodon.secrets.vapid.private_key"),
    s("VAPID_PUBLIC_KEY", "mastodon.secrets.vapid.public_key"),
    s(
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "mastodon.secrets.activeRecordEncryption.primaryKey",
    ),
    s(
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "mastodon.secrets.activeRecordEncryption.deterministicKey",
    ),
    s(
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "mastodon.secrets.activeRecordEncryption.keyDerivationSalt",
    ),
    // PostgreSQL
    s("DB_HOST", "postgresql.postgresqlHostname")
        .also(&[("postgresql.enabled", OFF)])
        .note("an external database: the bundled PostgreSQL is turned off"),
    m("DB_PORT", "postgresql.postgresqlPort", Kind::Int),
    s("DB_NAME", "postgresql.auth.database"),
    s("DB_USER", "postgresql.auth.username"),
    s("DB_PASS", "postgresql.auth.password"),
    m(
        "PREPARED_STATEMENTS",
        "mastodon.preparedStatements",
        Kind::Bool,
    ),
    s("REPLICA_DB_HOST", "postgresql.readReplica.hostname"),
    m("REPLICA_DB_PORT", "postgresql.readReplica.port", Kind::Int),
    s("REPLICA_DB_NAME", "postgresql.readReplica.auth.database"),
    s("REPLICA_DB_USER", "postgresql.readReplica.auth.username"),
    s("REPLICA_DB_PASS", "postgresql.readReplica.auth.password")
        .note("the classic chart renders this value into its ConfigMap"),
    // Redis
    s("REDIS_HOST", "redis.hostname")
        .also(&[("redis.enabled", OFF)])
        .note("an external Redis: the bundled Redis is turned off"),
    m("REDIS_PORT", "redis.port", Kind::Int),
    s("REDIS_PASSWORD", "redis.auth.password"),
    s("SIDEKIQ_REDIS_HOST", "redis.sidekiq.hostname").also(&[("redis.sidekiq.enabled", ON)]),
    m("SIDEKIQ_REDIS_PORT", "redis.sidekiq.port", Kind::Int),
    m("SIDEKIQ_REDIS_PASSWORD", "", Kind::SecretOnly)
        .note("read only from redis.sidekiq.auth.existingSecret"),
    s("CACHE_REDIS_HOST", "redis.cache.hostname").also(&[("redis.cache.enabled", ON)]),
    m("CACHE_REDIS_PORT", "redis.cache.port", Kind::Int),
    m("CACHE_REDIS_PASSWORD", "", Kind::SecretOnly)
        .note("read only from redis.cache.auth.existingSecret"),
    // Elasticsearch / OpenSearch
    m("ES_ENABLED", "", Kind::Implied).note("set by the chart when elasticsearch.hostname is set"),
    m(
        "ES_HOST",
        "elasticsearch.hostname",
        Kind::Host {
            tls: "elasticsearch.tls",
        },
    )
    .also(&[("elasticsearch.enabled", OFF)])
    .note("an external cluster: the bundled Elasticsearch stays off"),
    m("ES_PORT", "elasticsearch.port", Kind::Int),
    s("ES_PRESET", "elasticsearch.preset"),
    s("ES_PREFIX", "elasticsearch.indexPrefix"),
    s("ES_USER", "elasticsearch.user"),
    m("ES_PASS", "", Kind::SecretOnly).note("read only from elasticsearch.existingSecret"),
    // Object storage
    m("S3_ENABLED", "mastodon.s3.enabled", Kind::Bool),
    s("S3_BUCKET", "mastodon.s3.bucket"),
    s("S3_ENDPOINT", "mastodon.s3.endpoint"),
    s("S3_HOSTNAME", "mastodon.s3.hostname"),
    s("S3_PROTOCOL", "mastodon.s3.protocol"),
    s("S3_PERMISSION", "mastodon.s3.permission"),
    s("S3_REGION", "mastodon.s3.region"),
    s("S3_ALIAS_HOST", "mastodon.s3.alias_host"),
    s("S3_MULTIPART_THRESHOLD", "mastodon.s3.multipart_threshold"),
    s("S3_OVERRIDE_PATH_STYLE", "mastodon.s3.override_path_style"),
    s("AWS_ACCESS_KEY_ID", "mastodon.s3.access_key"),
    s("AWS_SECRET_ACCESS_KEY", "mastodon.s3.access_secret"),
    // Mail
    s("SMTP_SERVER", "mastodon.smtp.server"),
    m("SMTP_PORT", "mastodon.smtp.port", Kind::Int),
    s("SMTP_LOGIN", "mastodon.smtp.login"),
    s("SMTP_PASSWORD", "mastodon.smtp.password"),
    s("SMTP_FROM_ADDRESS", "mastodon.smtp.from_address"),
    s("SMTP_DOMAIN", "mastodon.smtp.domain"),
    s("SMTP_DELIVERY_METHOD", "mastodon.smtp.delivery_method"),
    s("SMTP_AUTH_METHOD", "mastodon.smtp.auth_method"),
    s("SMTP_CA_FILE", "mastodon.smtp.ca_file"),
    s(
        "SMTP_OPENSSL_VERIFY_MODE",
        "mastodon.smtp.openssl_verify_mode",
    ),
    s("SMTP_ENABLE_STARTTLS", "mastodon.smtp.enable_starttls"),
    s(
        "SMTP_ENABLE_STARTTLS_AUTO",
        "mastodon.smtp.enable_starttls_auto",
    ),
    m("SMTP_TLS", "mastodon.smtp.tls", Kind::Bool),
    s("SMTP_RETURN_PATH", "mastodon.smtp.return_path"),
    s("SMTP_REPLY_TO", "mastodon.smtp.reply_to"),
    s("BULK_SMTP_SERVER", "mastodon.smtp.bulk.server").also(&[("mastodon.smtp.bulk.enabled", ON)]),
    m("BULK_SMTP_PORT", "mastodon.smtp.bulk.port", Kind::Int),
    s("BULK_SMTP_LOGIN", "mastodon.smtp.bulk.login"),
    s("BULK_SMTP_PASSWORD", "mastodon.smtp.bulk.password"),
    s("BULK_SMTP_FROM_ADDRESS", "mastodon.smtp.bulk.from_address"),
    s("BULK_SMTP_DOMAIN", "mastodon.smtp.bulk.domain"),
    s("BULK_SMTP_AUTH_METHOD", "mastodon.smtp.bulk.auth_method"),
    s("BULK_SMTP_CA_FILE", "mastodon.smtp.bulk.ca_file"),
    s(
        "BULK_SMTP_OPENSSL_VERIFY_MODE",
        "mastodon.smtp.bulk.openssl_verify_mode",
    ),
    s(
        "BULK_SMTP_ENABLE_STARTTLS",
        "mastodon.smtp.bulk.enable_starttls",
    ),
    s(
        "BULK_SMTP_ENABLE_STARTTLS_AUTO",
        "mastodon.smtp.bulk.enable_starttls_auto",
    ),
    m("BULK_SMTP_TLS", "mastodon.smtp.bulk.tls", Kind::Bool),
    // Observability
    s("OTEL_EXPORTER_OTLP_ENDPOINT", "mastodon.otel.endpointUri")
        .also(&[("mastodon.otel.enabled", ON)])
        .note("the templates read endpointUri although values.yaml documents exporterUri"),
    s("OTEL_SERVICE_NAME_PREFIX", "mastodon.otel.namePrefix"),
    s("OTEL_SERVICE_NAME_SEPARATOR", "mastodon.otel.nameSeparator"),
    s("STATSD_ADDR", "mastodon.metrics.statsd.address"),
    // Optional integrations
    s("DEEPL_PLAN", "mastodon.deepl.plan").also(&[("mastodon.deepl.enabled", ON)]),
    m("DEEPL_API_KEY", "", Kind::SecretOnly).note("read only from mastodon.deepl.apiKeySecretRef"),
    s("HCAPTCHA_SITE_KEY", "mastodon.hcaptcha.siteId").also(&[("mastodon.hcaptcha.enabled", ON)]),
    m("HCAPTCHA_SECRET_KEY", "", Kind::SecretOnly)
        .note("read only from mastodon.hcaptcha.secretKeySecretRef"),
    s(
        "CACHE_BUSTER_HTTP_METHOD",
        "mastodon.cacheBuster.httpMethod",
    )
    .also(&[("mastodon.cacheBuster.enabled", ON)]),
    s(
        "CACHE_BUSTER_SECRET_HEADER",
        "mastodon.cacheBuster.authHeader",
    )
    .also(&[("mastodon.cacheBuster.enabled", ON)]),
    m("CACHE_BUSTER_SECRET", "", Kind::SecretOnly)
        .note("read only from mastodon.cacheBuster.authToken.existingSecret"),
    m(
        "CACHE_BUSTER_ENABLED",
        "mastodon.cacheBuster.enabled",
        Kind::Bool,
    ),
];

/// mastodon/helm-charts 1.0.x renders a Secret from these values but its
/// pods read the variables only when `readReplica.existingSecret` is set.
const REPLICA_NOTE: &str = "the chart requires it with REPLICA_DB_HOST, but its pods read it only from postgresql.readReplica.existingSecret (use --existing-secret)";

static NEXT: &[Mapping] = &[
    // Instance
    s("LOCAL_DOMAIN", "mastodon.localDomain"),
    s("WEB_DOMAIN", "mastodon.webDomain"),
    m("ALTERNATE_DOMAINS", "mastodon.alternateDomains", Kind::List),
    s("DEFAULT_LOCALE", "mastodon.locale"),
    m("SINGLE_USER_MODE", "mastodon.singleUserMode", Kind::Bool),
    m("AUTHORIZED_FETCH", "mastodon.authorizedFetch", Kind::Bool),
    m(
        "LIMITED_FEDERATION_MODE",
        "mastodon.limitedFederationMode",
        Kind::Bool,
    ),
    s("TRUSTED_PROXY_IP", "mastodon.trustedProxyIp"),
    s("TZ", "timezone"),
    s("RAILS_LOG_LEVEL", "mastodon.logLevel.rails"),
    s("LOG_LEVEL", "mastodon.logLevel.streaming"),
    m("RAILS_ENV", "", Kind::Fixed("production")),
    m("NODE_ENV", "", Kind::Fixed("production")),
    m("MALLOC_ARENA_MAX", "", Kind::Fixed("2")),
    // Web and streaming processes
    s("WEB_CONCURRENCY", "mastodon.web.workers"),
    s("MIN_THREADS", "mastodon.web.minThreads"),
    s("MAX_THREADS", "mastodon.web.maxThreads"),
    s("PERSISTENT_TIMEOUT", "mastodon.web.persistentTimeout"),
    m(
        "STREAMING_CLUSTER_NUM",
        "mastodon.streaming.workers",
        Kind::Int,
    ),
    s("STREAMING_API_BASE_URL", "mastodon.streaming.baseUrl"),
    // Secrets
    s("SECRET_KEY_BASE", "mastodon.secrets.secretKeyBase"),
    s("VAPID_PRIVATE_KEY", "mastodon.secrets.vapidPrivateKey"),
    s("VAPID_PUBLIC_KEY", "mastodon.secrets.vapidPublicKey"),
    s(
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "mastodon.secrets.arePrimaryKey",
    ),
    s(
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "mastodon.secrets.areDeterministicKey",
    ),
    s(
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "mastodon.secrets.areKeyDerivationSalt",
    ),
    // PostgreSQL
    s("DB_HOST", "postgresql.hostname"),
    m("DB_PORT", "postgresql.port", Kind::Int),
    s("DB_NAME", "postgresql.database"),
    s("DB_USER", "postgresql.username"),
    s("DB_PASS", "postgresql.password"),
    m(
        "PREPARED_STATEMENTS",
        "postgresql.preparedStatements",
        Kind::Bool,
    ),
    s("REPLICA_DB_HOST", "postgresql.readReplica.hostname"),
    m("REPLICA_DB_PORT", "postgresql.readReplica.port", Kind::Int),
    s("REPLICA_DB_NAME", "postgresql.readReplica.database"),
    s("REPLICA_DB_USER", "postgresql.readReplica.username").note(REPLICA_NOTE),
    s("REPLICA_DB_PASS", "postgresql.readReplica.password").note(REPLICA_NOTE),
    // Redis
    s("REDIS_HOST", "redis.hostname"),
    m("REDIS_PORT", "redis.port", Kind::Int),
    s("REDIS_PASSWORD", "redis.password"),
    s("SIDEKIQ_REDIS_HOST", "redis.sidekiq.hostname").also(&[("redis.sidekiq.enabled", ON)]),
    m("SIDEKIQ_REDIS_PORT", "redis.sidekiq.port", Kind::Int),
    s("SIDEKIQ_REDIS_PASSWORD", "redis.sidekiq.password"),
    s("CACHE_REDIS_HOST", "redis.cache.hostname").also(&[("redis.cache.enabled", ON)]),
    m("CACHE_REDIS_PORT", "redis.cache.port", Kind::Int),
    s("CACHE_REDIS_PASSWORD", "redis.cache.password"),
    // Elasticsearch / OpenSearch
    m("ES_ENABLED", "elasticsearch.enabled", Kind::Bool),
    m(
        "ES_HOST",
        "elasticsearch.hostname",
        Kind::Host {
            tls: "elasticsearch.tls",
        },
    ),
    m("ES_PORT", "elasticsearch.port", Kind::Int),
    s("ES_PRESET", "elasticsearch.preset"),
    s("ES_PREFIX", "elasticsearch.indexPrefix"),
    s("ES_USER", "elasticsearch.username"),
    s("ES_PASS", "elasticsearch.password"),
    // Object storage
    m("S3_ENABLED", "mastodon.s3.enabled", Kind::Bool)
        .note("without S3 the chart needs mastodon.pvc.enabled"),
    s("S3_BUCKET", "mastodon.s3.bucket"),
    s("S3_ENDPOINT", "mastodon.s3.endpoint"),
    s("S3_HOSTNAME", "mastodon.s3.hostname"),
    s("S3_PROTOCOL", "mastodon.s3.protocol"),
    s("S3_PERMISSION", "mastodon.s3.permission"),
    s("S3_REGION", "mastodon.s3.region"),
    s("S3_ALIAS_HOST", "mastodon.s3.aliasHost"),
    s("S3_MULTIPART_THRESHOLD", "mastodon.s3.multipartThreshold"),
    s("S3_OVERRIDE_PATH_STYLE", "mastodon.s3.overridePathStyle"),
    s("AWS_ACCESS_KEY_ID", "mastodon.s3.accessKeyId"),
    s("AWS_SECRET_ACCESS_KEY", "mastodon.s3.secretAccessKey"),
    // Mail
    s("SMTP_SERVER", "mastodon.smtp.server"),
    m("SMTP_PORT", "mastodon.smtp.port", Kind::Int),
    s("SMTP_LOGIN", "mastodon.smtp.username"),
    s("SMTP_PASSWORD", "mastodon.smtp.password"),
    s("SMTP_FROM_ADDRESS", "mastodon.smtp.fromAddress"),
    s("SMTP_DOMAIN", "mastodon.smtp.domain"),
    s("SMTP_DELIVERY_METHOD", "mastodon.smtp.deliveryMethod"),
    s("SMTP_AUTH_METHOD", "mastodon.smtp.authMethod"),
    s("SMTP_CA_FILE", "mastodon.smtp.caFile"),
    s(
        "SMTP_OPENSSL_VERIFY_MODE",
        "mastodon.smtp.opensslVerifyMode",
    ),
    s("SMTP_ENABLE_STARTTLS", "mastodon.smtp.enableStartTls"),
    m("SMTP_TLS", "mastodon.smtp.tls", Kind::Bool),
    s("SMTP_RETURN_PATH", "mastodon.smtp.returnPath"),
    s("SMTP_REPLY_TO", "mastodon.smtp.replyTo"),
    s("BULK_SMTP_SERVER", "mastodon.smtp.bulk.server").also(&[("mastodon.smtp.bulk.enabled", ON)]),
    m("BULK_SMTP_PORT", "mastodon.smtp.bulk.port", Kind::Int),
    s("BULK_SMTP_LOGIN", "mastodon.smtp.bulk.username"),
    s("BULK_SMTP_PASSWORD", "mastodon.smtp.bulk.password"),
    s("BULK_SMTP_FROM_ADDRESS", "mastodon.smtp.bulk.fromAddress"),
    s("BULK_SMTP_DOMAIN", "mastodon.smtp.bulk.domain"),
    s("BULK_SMTP_AUTH_METHOD", "mastodon.smtp.bulk.authMethod"),
    s("BULK_SMTP_CA_FILE", "mastodon.smtp.bulk.caFile"),
    s(
        "BULK_SMTP_OPENSSL_VERIFY_MODE",
        "mastodon.smtp.bulk.opensslVerifyMode",
    ),
    s(
        "BULK_SMTP_ENABLE_STARTTLS",
        "mastodon.smtp.bulk.enableStartTls",
    ),
    m("BULK_SMTP_TLS", "mastodon.smtp.bulk.tls", Kind::Bool),
    // Observability
    s("OTEL_EXPORTER_OTLP_ENDPOINT", "mastodon.otel.endpointUri")
        .also(&[("mastodon.otel.enabled", ON)])
        .note("the templates read endpointUri although values.yaml documents exporterUri"),
    s("OTEL_SERVICE_NAME_PREFIX", "mastodon.otel.namePrefix"),
    s("OTEL_SERVICE_NAME_SEPARATOR", "mastodon.otel.nameSeparator"),
    // Optional integrations
    s("DEEPL_PLAN", "mastodon.deepl.plan").also(&[("mastodon.deepl.enabled", ON)]),
    s("DEEPL_API_KEY", "mastodon.deepl.apiKey").also(&[("mastodon.deepl.enabled", ON)]),
    s("HCAPTCHA_SITE_KEY", "mastodon.hcaptcha.siteId").also(&[("mastodon.hcaptcha.enabled", ON)]),
    s("HCAPTCHA_SECRET_KEY", "mastodon.hcaptcha.apiKey").also(&[("mastodon.hcaptcha.enabled", ON)]),
    s(
        "CACHE_BUSTER_HTTP_METHOD",
        "mastodon.cacheBuster.httpMethod",
    )
    .also(&[("mastodon.cacheBuster.enabled", ON)]),
    s(
        "CACHE_BUSTER_SECRET_HEADER",
        "mastodon.cacheBuster.authHeader",
    )
    .also(&[("mastodon.cacheBuster.enabled", ON)]),
    s("CACHE_BUSTER_SECRET", "mastodon.cacheBuster.authToken")
        .also(&[("mastodon.cacheBuster.enabled", ON)]),
    m(
        "CACHE_BUSTER_ENABLED",
        "mastodon.cacheBuster.enabled",
        Kind::Bool,
    ),
];

static CLASSIC_SECRET_REFS: &[SecretRef] = &[
    r(
        "SECRET_KEY_BASE",
        "",
        "SECRET_KEY_BASE",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "OTP_SECRET",
        "",
        "OTP_SECRET",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "VAPID_PRIVATE_KEY",
        "",
        "VAPID_PRIVATE_KEY",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "VAPID_PUBLIC_KEY",
        "",
        "VAPID_PUBLIC_KEY",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "",
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "",
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "",
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "mastodon.secrets.existingSecret",
        "",
    ),
    r(
        "AWS_ACCESS_KEY_ID",
        "",
        "AWS_ACCESS_KEY_ID",
        "mastodon.s3.existingSecret",
        "",
    ),
    r(
        "AWS_SECRET_ACCESS_KEY",
        "",
        "AWS_SECRET_ACCESS_KEY",
        "mastodon.s3.existingSecret",
        "",
    ),
    r(
        "REDIS_PASSWORD",
        "",
        "REDIS_PASSWORD",
        "redis.auth.existingSecret",
        "redis.auth.existingSecretKey",
    ),
    r(
        "SIDEKIQ_REDIS_PASSWORD",
        "",
        "SIDEKIQ_REDIS_PASSWORD",
        "redis.sidekiq.auth.existingSecret",
        "redis.sidekiq.auth.existingSecretKey",
    ),
    r(
        "CACHE_REDIS_PASSWORD",
        "",
        "CACHE_REDIS_PASSWORD",
        "redis.cache.auth.existingSecret",
        "redis.cache.auth.existingSecretKey",
    ),
    r(
        "DB_PASS",
        "-postgresql",
        "password",
        "postgresql.auth.existingSecret",
        "",
    ),
    r(
        "REPLICA_DB_PASS",
        "-postgresql-replica",
        "password",
        "postgresql.readReplica.auth.existingSecret",
        "",
    ),
    r(
        "ES_PASS",
        "-elasticsearch",
        "password",
        "elasticsearch.existingSecret",
        "",
    ),
    r(
        "SMTP_LOGIN",
        "-smtp",
        "login",
        "mastodon.smtp.existingSecret",
        "",
    ),
    r(
        "SMTP_PASSWORD",
        "-smtp",
        "password",
        "mastodon.smtp.existingSecret",
        "",
    ),
    r(
        "BULK_SMTP_LOGIN",
        "-smtp-bulk",
        "login",
        "mastodon.smtp.bulk.existingSecret",
        "",
    ),
    r(
        "BULK_SMTP_PASSWORD",
        "-smtp-bulk",
        "password",
        "mastodon.smtp.bulk.existingSecret",
        "",
    ),
    r(
        "DEEPL_API_KEY",
        "",
        "DEEPL_API_KEY",
        "mastodon.deepl.apiKeySecretRef.name",
        "mastodon.deepl.apiKeySecretRef.key",
    ),
    r(
        "HCAPTCHA_SECRET_KEY",
        "",
        "HCAPTCHA_SECRET_KEY",
        "mastodon.hcaptcha.secretKeySecretRef.name",
        "mastodon.hcaptcha.secretKeySecretRef.key",
    ),
    r(
        "CACHE_BUSTER_SECRET",
        "-cache-buster",
        "password",
        "mastodon.cacheBuster.authToken.existingSecret",
        "",
    ),
];

/// The next chart names every key, so one Secret keyed by variable name
/// serves all of them.
static NEXT_SECRET_REFS: &[SecretRef] = &[
    r(
        "SECRET_KEY_BASE",
        "",
        "SECRET_KEY_BASE",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.secretKeyBase",
    ),
    r(
        "VAPID_PRIVATE_KEY",
        "",
        "VAPID_PRIVATE_KEY",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.vapidPrivateKey",
    ),
    r(
        "VAPID_PUBLIC_KEY",
        "",
        "VAPID_PUBLIC_KEY",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.vapidPublicKey",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "",
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.arePrimaryKey",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "",
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.areDeterministicKey",
    ),
    r(
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "",
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "mastodon.secrets.existingSecret",
        "mastodon.secrets.existingSecretKeys.areKeyDerivationSalt",
    ),
    r(
        "DB_USER",
        "",
        "DB_USER",
        "postgresql.existingSecret",
        "postgresql.existingSecretKeys.username",
    ),
    r(
        "DB_PASS",
        "",
        "DB_PASS",
        "postgresql.existingSecret",
        "postgresql.existingSecretKeys.password",
    ),
    r(
        "REPLICA_DB_USER",
        "",
        "REPLICA_DB_USER",
        "postgresql.readReplica.existingSecret",
        "postgresql.readReplica.existingSecretKeys.username",
    ),
    r(
        "REPLICA_DB_PASS",
        "",
        "REPLICA_DB_PASS",
        "postgresql.readReplica.existingSecret",
        "postgresql.readReplica.existingSecretKeys.password",
    ),
    r(
        "REDIS_PASSWORD",
        "",
        "REDIS_PASSWORD",
        "redis.existingSecret",
        "redis.existingSecretKeys.password",
    ),
    r(
        "SIDEKIQ_REDIS_PASSWORD",
        "",
        "SIDEKIQ_REDIS_PASSWORD",
        "redis.sidekiq.existingSecret",
        "redis.sidekiq.existingSecretKeys.password",
    ),
    r(
        "CACHE_REDIS_PASSWORD",
        "",
        "CACHE_REDIS_PASSWORD",
        "redis.cache.existingSecret",
        "redis.cache.existingSecretKeys.password",
    ),
    r(
        "ES_USER",
        "",
        "ES_USER",
        "elasticsearch.existingSecret",
        "elasticsearch.existingSecretKeys.username",
    ),
    r(
        "ES_PASS",
        "",
        "ES_PASS",
        "elasticsearch.existingSecret",
        "elasticsearch.existingSecretKeys.password",
    ),
    r(
        "AWS_ACCESS_KEY_ID",
        "",
        "AWS_ACCESS_KEY_ID",
        "mastodon.s3.existingSecret",
        "mastodon.s3.existingSecretKeys.accessKeyId",
    ),
    r(
        "AWS_SECRET_ACCESS_KEY",
        "",
        "AWS_SECRET_ACCESS_KEY",
        "mastodon.s3.existingSecret",
        "mastodon.s3.existingSecretKeys.secretAccessKey",
    ),
    r(
        "SMTP_LOGIN",
        "",
        "SMTP_LOGIN",
        "mastodon.smtp.existingSecret",
        "mastodon.smtp.existingSecretKeys.username",
    ),
    r(
        "SMTP_PASSWORD",
        "",
        "SMTP_PASSWORD",
        "mastodon.smtp.existingSecret",
        "mastodon.smtp.existingSecretKeys.password",
    ),
    r(
        "BULK_SMTP_LOGIN",
        "",
        "BULK_SMTP_LOGIN",
        "mastodon.smtp.bulk.existingSecret",
        "mastodon.smtp.bulk.existingSecretKeys.username",
    ),
    r(
        "BULK_SMTP_PASSWORD",
        "",
        "BULK_SMTP_PASSWORD",
        "mastodon.smtp.bulk.existingSecret",
        "mastodon.smtp.bulk.existingSecretKeys.password",
    ),
    r(
        "DEEPL_API_KEY",
        "",
        "DEEPL_API_KEY",
        "mastodon.deepl.existingSecret",
        "mastodon.deepl.existingSecretKeys.apiKey",
    ),
    r(
        "HCAPTCHA_SECRET_KEY",
        "",
        "HCAPTCHA_SECRET_KEY",
        "mastodon.hcaptcha.existingSecret",
        "mastodon.hcaptcha.existingSecretKeys.apiKey",
    ),
    r(
        "CACHE_BUSTER_SECRET",
        "",
        "CACHE_BUSTER_SECRET",
        "mastodon.cacheBuster.existingSecret",
        "mastodon.cacheBuster.existingSecretKeys.authToken",
    ),
];

fn kind_text(m: &Mapping) -> String {
    match m.kind {
        Kind::Str => "string".into(),
        Kind::Int => "integer".into(),
        Kind::Bool => "boolean".into(),
        Kind::List => "list (comma-separated)".into(),
        Kind::Host { tls } => format!("host (`https://` sets `{tls}`)"),
        Kind::Fixed(v) => format!("fixed by the chart: `{v}`"),
        Kind::Implied => "implied".into(),
        Kind::SecretOnly => "existing Secret only".into(),
    }
}

/// The mapping table of `chart` as Markdown (the text between the markers
/// in docs/values.md).
pub fn markdown_table(chart: Chart) -> String {
    let mut out = String::new();
    out.push_str("| variable | value path | kind | secret | notes |\n");
    out.push_str("|---|---|---|---|---|\n");
    for m in chart.mappings() {
        let path = if m.path.is_empty() {
            "—".to_string()
        } else {
            format!("`{}`", m.path)
        };
        let secret = if SECRET_KEYS.contains(&m.env) {
            "yes"
        } else {
            ""
        };
        let mut notes: Vec<String> = m
            .also
            .iter()
            .map(|(p, v)| format!("sets `{p}: {v}`"))
            .collect();
        if !m.note.is_empty() {
            notes.push(m.note.to_string());
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            m.env,
            path,
            kind_text(m),
            secret,
            notes.join("; ")
        ));
    }
    out
}

/// The existing-Secret table of `chart` as Markdown.
pub fn markdown_secret_refs(chart: Chart) -> String {
    let mut out = String::new();
    out.push_str("| variable | Secret name | key | values set |\n");
    out.push_str("|---|---|---|---|\n");
    for r in chart.secret_refs() {
        let mut set = format!("`{}`", r.name_path);
        if !r.key_path.is_empty() {
            set.push_str(&format!(", `{}`", r.key_path));
        }
        out.push_str(&format!(
            "| `{}` | NAME{} | `{}` | {} |\n",
            r.env, r.suffix, r.key, set
        ));
    }
    out
}
