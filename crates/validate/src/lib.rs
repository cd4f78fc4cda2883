//! Offline validation of manifests: Kubernetes schemas, CRDs and Mastodon
//! rules, reported all at once.
