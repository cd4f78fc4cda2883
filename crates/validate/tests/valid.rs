//! Valid manifests that exercise edge cases the API server accepts: each must
//! give zero findings (false positives are bugs).

use tusk_validate::{Format, Options, format_report, validate_stream};

const VALID: &str = r#"---
# Source: edge/templates/sts.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  creationTimestamp: null
  annotations:
spec:
  serviceName: db
  podManagementPolicy: ""
  replicas: 1e+00
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      volumes:
        - name: scripts
          configMap:
            name: scripts
            defaultMode: 0755
      containers:
        - name: db
          image: postgres:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          imagePullPolicy: ""
          env:
            - name: "YES"
              value: "yes"
          resources:
            limits: {cpu: 1, memory: 1Gi}
            requests: {cpu: 250m}
          ports:
            - containerPort: 5432
              name: pg
---
# Source: edge/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
    - port: 5432
      targetPort: pg
---
# Source: edge/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: creds
data:
  password: "aHVudGVyMg=="
  multi: |
    aHVudGVy
    Mg==
stringData:
  plain: anything at all
---
# Source: edge/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
  labels: &labels
    app: db
data:
  run.sh: |
    #!/bin/sh
binaryData:
  blob: AAEC
---
# Source: edge/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  maxUnavailable: 50%
  selector:
    matchLabels:
      <<: {app: db}
---
# Source: edge/templates/rev.yaml
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: rev
data:
  anything: [1, {nested: true}]
revision: 1
---
# Source: edge/templates/list.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: listed}
---
# Source: edge/templates/unknown-cr.yaml
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g
spec:
  whatever: 1
"#;

#[test]
fn edge_cases_are_accepted() {
    let report = validate_stream(VALID, Some("valid.yaml"), &Options::default());
    assert_eq!(report.documents, 8);
    assert!(
        report.findings.is_empty(),
        "{}",
        format_report(&report, Format::Human)
    );
    // A custom resource without a CRD is listed as unchecked, not reported.
    assert_eq!(report.unchecked.len(), 1);
    assert_eq!(report.unchecked[0].kind.as_deref(), Some("Gadget"));
}

#[test]
fn json_and_sarif_reports_are_well_formed() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: Nodeport\n  ports: [{port: 80}]\n";
    let report = validate_stream(text, Some("svc.yaml"), &Options::default());
    let json: serde_json::Value =
        serde_json::from_str(&format_report(&report, Format::Json)).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["findings"][0]["rule"], "schema/enum");
    assert_eq!(json["findings"][0]["field"], "spec.type");
    assert_eq!(json["findings"][0]["line"], 6);
    assert_eq!(json["findings"][0]["manifest"]["kind"], "Service");
    let sarif: serde_json::Value =
        serde_json::from_str(&format_report(&report, Format::Sarif)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "schema/enum");
    assert_eq!(result["level"], "error");
    let idx = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "schema/enum");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "svc.yaml");
    assert_eq!(loc["region"]["startLine"], 6);
}

/// Broken input never panics: every prefix of a real helm output (cut at
/// arbitrary bytes, so mid-token and mid-document) gives a report.
#[test]
fn truncated_inputs_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helm-outputs");
    let text = std::fs::read_to_string(dir.join("classic-split-sidekiq.yaml")).unwrap();
    let mut cuts = 0;
    for end in (0..text.len()).step_by(97) {
        if !text.is_char_boundary(end) {
            continue;
        }
        let report = validate_stream(&text[..end], Some("cut.yaml"), &Options::default());
        let _ = format_report(&report, Format::Sarif);
        cuts += 1;
    }
    assert!(cuts > 100);
    // Indentation damage in the middle of a document.
    let damaged = text.replacen("\n      containers:", "\n    containers:", 1);
    let report = validate_stream(&damaged, Some("damaged.yaml"), &Options::default());
    assert!(!report.findings.is_empty());
}
