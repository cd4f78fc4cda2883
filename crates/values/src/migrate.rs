//! Classic chart values → next chart values.
//!
//! Every leaf of the user's classic values file is moved by the first rule
//! that knows it:
//!
//! 1. special cases (bundled services, existing Secrets, S3 vs volumes);
//! 2. the environment variable both charts produce from it (the classic
//!    table's path → variable → the next table's path);
//! 3. renamed subtrees (`mastodon.persistence` → `mastodon.pvc`, …);
//! 4. subtrees both charts spell the same (`image`, `mastodon.web.resources`, …).
//!
//! Anything else is left out and reported with the reason.

use crate::ValuesError;
use crate::mapping::Chart;
use crate::yaml::{self, Map, Node};

/// One thing `migrate` could not carry over, or changed on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The classic value path.
    pub path: String,
    /// What happened and what to do.
    pub message: String,
}

/// The result of [`migrate`].
#[derive(Debug, Clone)]
pub struct Migrated {
    /// The next chart's values file.
    pub values: String,
    /// Values left out (with the reason).
    pub unmapped: Vec<Note>,
    /// Values carried over with a change worth knowing.
    pub changed: Vec<Note>,
    /// How many classic values were carried over.
    pub moved: usize,
}

/// Subtrees renamed between the charts.
const RENAMES: &[(&str, &str)] = &[
    ("mastodon.persistence", "mastodon.pvc"),
    ("ingress.ingressClassName", "ingress.className"),
    (
        "ingress.streaming.ingressClassName",
        "ingress.streaming.className",
    ),
    ("redis.sidekiq.auth.password", "redis.sidekiq.password"),
    ("redis.cache.auth.password", "redis.cache.password"),
];

/// Subtrees both charts spell the same way.
const SAME: &[&str] = &[
    "image",
    "imagePullSecrets",
    "nameOverride",
    "fullnameOverride",
    "mastodon.revisionHistoryLimit",
    "mastodon.createAdmin",
    "mastodon.hooks.dbPrepare",
    "mastodon.hooks.dbMigrate",
    "mastodon.hooks.deploySearch",
    "mastodon.web.replicas",
    "mastodon.web.port",
    "mastodon.web.image",
    "mastodon.web.otel",
    "mastodon.web.pdb",
    "mastodon.web.updateStrategy",
    "mastodon.sidekiq.workers",
    "mastodon.sidekiq.otel",
    "mastodon.sidekiq.readinessProbe",
    "mastodon.sidekiq.updateStrategy",
    "mastodon.streaming.replicas",
    "mastodon.streaming.port",
    "mastodon.streaming.image",
    "mastodon.streaming.extraCerts",
    "mastodon.streaming.extraEnvVars",
    "mastodon.streaming.pdb",
    "mastodon.streaming.updateStrategy",
    "mastodon.metrics.prometheus",
    "mastodon.otel.enabled",
    "mastodon.extraEnvVars",
    "mastodon.extraEnvFrom",
    "mastodon.deepl.enabled",
    "mastodon.smtp.bulk.enabled",
    "redis.sidekiq.enabled",
    "redis.cache.enabled",
    "mastodon.hcaptcha.enabled",
    "serviceAccount",
    "service",
    "httproute",
    "ingress.enabled",
    "ingress.annotations",
    "ingress.hosts",
    "ingress.tls",
    "ingress.streaming.enabled",
    "ingress.streaming.annotations",
    "ingress.streaming.hosts",
    "ingress.streaming.tls",
    "postgresql.direct",
    "elasticsearch.existingSecret",
    "elasticsearch.tls",
    "podSecurityContext",
    "securityContext",
    "resources",
    "affinity",
    "nodeSelector",
    "tolerations",
    "topologySpreadConstraints",
    "labels",
    "podLabels",
    "podAnnotations",
    "deploymentAnnotations",
    "jobLabels",
    "jobAnnotations",
    "hostAliases",
    "revisionPodAnnotation",
    "volumeMounts",
    "volumes",
];

/// Per-component pod settings, the same in both charts.
const COMPONENT_SAME: &[&str] = &[
    "podSecurityContext",
    "securityContext",
    "affinity",
    "nodeSelector",
    "topologySpreadConstraints",
    "tolerations",
    "resources",
    "annotations",
    "labels",
    "podAnnotations",
    "podLabels",
];

/// Subtrees with no counterpart, and why.
const GONE: &[(&str, &str)] = &[
    (
        "global",
        "settings of the bundled subcharts; the next chart bundles none",
    ),
    (
        "postgresql.image",
        "the next chart has no bundled PostgreSQL",
    ),
    (
        "postgresql.primary",
        "the next chart has no bundled PostgreSQL",
    ),
    (
        "postgresql.readReplicas",
        "the next chart has no bundled PostgreSQL",
    ),
    (
        "postgresql.backup",
        "the next chart has no bundled PostgreSQL",
    ),
    ("redis.image", "the next chart has no bundled Redis"),
    ("redis.master", "the next chart has no bundled Redis"),
    ("redis.replica", "the next chart has no bundled Redis"),
    ("redis.architecture", "the next chart has no bundled Redis"),
    (
        "elasticsearch.image",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.master",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.data",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.coordinating",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.ingest",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.metrics",
        "the next chart has no bundled Elasticsearch",
    ),
    (
        "elasticsearch.caSecret",
        "the next chart takes elasticsearch.caSecret.name and .key; set it by hand",
    ),
    (
        "mastodon.cron",
        "the next chart has no media-removal CronJob; schedule `tootctl media remove` yourself",
    ),
    (
        "mastodon.metrics.statsd",
        "the next chart has no StatsD support; use mastodon.metrics.prometheus",
    ),
    (
        "mastodon.web.customDatabaseConfigYml",
        "the next chart has no custom database.yml",
    ),
    (
        "mastodon.hooks.s3Upload",
        "the next chart's mastodon.hooks.s3Upload takes accessKeyId/secretAccessKey or existingSecret; set it by hand",
    ),
    (
        "externalAuth",
        "the next chart spells externalAuth in camelCase; copy it by hand",
    ),
    (
        "mastodon.deepl.apiKeySecretRef",
        "set mastodon.deepl.existingSecret and existingSecretKeys.apiKey",
    ),
    (
        "mastodon.hcaptcha.secretKeySecretRef",
        "set mastodon.hcaptcha.existingSecret and existingSecretKeys.apiKey",
    ),
    (
        "mastodon.cacheBuster.authToken",
        "set mastodon.cacheBuster.existingSecret and existingSecretKeys.authToken",
    ),
];

struct Ctx<'a> {
    out: Map,
    unmapped: Vec<Note>,
    changed: Vec<Note>,
    moved: usize,
    root: &'a Map,
}

fn non_empty(n: Option<&Node>) -> bool {
    match n {
        None | Some(Node::Null) => false,
        Some(Node::Str(s)) => !s.is_empty(),
        _ => true,
    }
}

impl Ctx<'_> {
    fn put(&mut self, path: &str, value: Node) {
        self.out.set_path(path, value, None);
        self.moved += 1;
    }

    fn gone(&mut self, path: &str, message: impl Into<String>) {
        self.unmapped.push(Note {
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn changed(&mut self, path: &str, message: impl Into<String>) {
        self.changed.push(Note {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Special cases; true when handled.
    fn special(&mut self, path: &str, node: &Node) -> bool {
        let on = matches!(node, Node::Bool(true));
        match path {
            "postgresql.enabled" | "redis.enabled" => {
                let what = path.trim_end_matches(".enabled");
                if on {
                    self.gone(
                        path,
                        format!("the next chart has no bundled {what}; set {what}.hostname to your server"),
                    );
                }
                true
            }
            "elasticsearch.enabled" => {
                if on {
                    self.gone(
                        path,
                        "the next chart has no bundled Elasticsearch; set elasticsearch.hostname",
                    );
                } else if !non_empty(self.root.get_path("elasticsearch.hostname")) {
                    self.put("elasticsearch.enabled", Node::Bool(false));
                }
                true
            }
            "elasticsearch.hostname" => {
                if non_empty(Some(node)) {
                    self.put("elasticsearch.hostname", node.clone());
                    self.out
                        .set_path("elasticsearch.enabled", Node::Bool(true), None);
                    self.changed(
                        path,
                        "an external cluster: elasticsearch.enabled is true in the next chart",
                    );
                }
                true
            }
            "mastodon.s3.enabled" => {
                self.put("mastodon.s3.enabled", node.clone());
                if !on {
                    self.out
                        .set_path("mastodon.pvc.enabled", Node::Bool(true), None);
                    self.changed(
                        path,
                        "S3 off: mastodon.pvc.enabled is true (the next chart needs one of them)",
                    );
                }
                true
            }
            "mastodon.secrets.existingSecret" => {
                if non_empty(Some(node)) {
                    self.put(path, node.clone());
                    for (key, env) in [
                        ("secretKeyBase", "SECRET_KEY_BASE"),
                        ("vapidPrivateKey", "VAPID_PRIVATE_KEY"),
                        ("vapidPublicKey", "VAPID_PUBLIC_KEY"),
                        ("arePrimaryKey", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY"),
                        (
                            "areDeterministicKey",
                            "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
                        ),
                        (
                            "areKeyDerivationSalt",
                            "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
                        ),
                    ] {
                        self.out.set_path(
                            &format!("mastodon.secrets.existingSecretKeys.{key}"),
                            Node::Str(env.into()),
                            None,
                        );
                    }
                    self.changed(path, "existingSecretKeys name the classic Secret's keys");
                }
                true
            }
            "mastodon.s3.existingSecret" => {
                if non_empty(Some(node)) {
                    self.put(path, node.clone());
                    self.out.set_path(
                        "mastodon.s3.existingSecretKeys.accessKeyId",
                        Node::Str("AWS_ACCESS_KEY_ID".into()),
                        None,
                    );
                    self.out.set_path(
                        "mastodon.s3.existingSecretKeys.secretAccessKey",
                        Node::Str("AWS_SECRET_ACCESS_KEY".into()),
                        None,
                    );
                }
                true
            }
            "mastodon.smtp.existingSecret" | "mastodon.smtp.bulk.existingSecret" => {
                if non_empty(Some(node)) {
                    self.put(path, node.clone());
                    let base = path.trim_end_matches(".existingSecret");
                    self.out.set_path(
                        &format!("{base}.existingSecretKeys.username"),
                        Node::Str("login".into()),
                        None,
                    );
                }
                true
            }
            "postgresql.auth.existingSecret" | "postgresql.readReplica.auth.existingSecret" => {
                if non_empty(Some(node)) {
                    let base = path.trim_end_matches(".auth.existingSecret");
                    self.put(&format!("{base}.existingSecret"), node.clone());
                    self.changed(
                        path,
                        "the next chart also reads the user name from this Secret (key `username`); add it",
                    );
                }
                true
            }
            "redis.auth.existingSecret"
            | "redis.sidekiq.auth.existingSecret"
            | "redis.cache.auth.existingSecret" => {
                if non_empty(Some(node)) {
                    let base = path.trim_end_matches(".auth.existingSecret");
                    self.put(&format!("{base}.existingSecret"), node.clone());
                    let key = self
                        .root
                        .get_path(&format!("{base}.auth.existingSecretKey"))
                        .cloned()
                        .unwrap_or(Node::Str("redis-password".into()));
                    self.out
                        .set_path(&format!("{base}.existingSecretKeys.password"), key, None);
                }
                true
            }
            "redis.auth.existingSecretKey"
            | "redis.sidekiq.auth.existingSecretKey"
            | "redis.cache.auth.existingSecretKey" => true,
            "mastodon.otel.exporterUri" => {
                if non_empty(Some(node)) {
                    self.put("mastodon.otel.endpointUri", node.clone());
                    self.changed(
                        path,
                        "the classic templates ignored exporterUri (they read endpointUri); written as mastodon.otel.endpointUri",
                    );
                }
                true
            }
            _ => false,
        }
    }

    fn walk(&mut self, path: &str, node: &Node) {
        if self.special(path, node) {
            return;
        }
        if let Some(m) = Chart::Classic.mapping_for_path(path) {
            match Chart::Next.mapping(m.env) {
                Some(n) if !n.path.is_empty() => self.put(n.path, node.clone()),
                _ => self.gone(path, format!("the next chart has no value for {}", m.env)),
            }
            return;
        }
        for (from, to) in RENAMES {
            if path == *from {
                self.put(to, node.clone());
                return;
            }
        }
        if SAME.contains(&path) {
            self.put(path, node.clone());
            return;
        }
        for component in ["mastodon.web.", "mastodon.sidekiq.", "mastodon.streaming."] {
            if let Some(rest) = path.strip_prefix(component) {
                if COMPONENT_SAME.contains(&rest) {
                    self.put(path, node.clone());
                    return;
                }
            }
        }
        for (prefix, why) in GONE {
            if path == *prefix {
                self.gone(path, *why);
                return;
            }
        }
        match node {
            Node::Map(m) if !m.is_empty() => {
                for e in m.entries() {
                    self.walk(&format!("{path}.{}", e.key), &e.value);
                }
            }
            _ => self.gone(path, "no equivalent in the next chart"),
        }
    }
}

/// Converts a classic values file's text to next values.
pub fn migrate(text: &str, origin: &str) -> Result<Migrated, ValuesError> {
    let parsed: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| ValuesError::Yaml {
        origin: origin.to_string(),
        message: e.to_string(),
    })?;
    let root = match yaml::from_yaml(&parsed) {
        Node::Map(m) => m,
        Node::Null => Map::new(),
        _ => return Err(ValuesError::NotAMapping(origin.to_string())),
    };
    Ok(migrate_map(&root, origin))
}

/// Converts classic values already parsed (for instance by helm's own YAML
/// reader in `tusk-chart`, which accepts duplicate keys like helm does).
pub fn migrate_map(root: &Map, origin: &str) -> Migrated {
    let mut ctx = Ctx {
        out: Map::new(),
        unmapped: Vec::new(),
        changed: Vec::new(),
        moved: 0,
        root,
    };
    for e in root.entries() {
        ctx.walk(&e.key, &e.value);
    }
    let header = vec![
        format!(
            "Values for {}, migrated by `tusk values migrate {origin}`",
            Chart::Next.source()
        ),
        format!("from values for {}.", Chart::Classic.source()),
        "Values that could not be carried over were reported when this file was written.".into(),
    ];
    Migrated {
        values: yaml::emit(&header, &ctx.out),
        unmapped: ctx.unmapped,
        changed: ctx.changed,
        moved: ctx.moved,
    }
}
