//! `tusk values` end to end: exit codes, messages, files written.

use std::process::Command;

fn tusk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tusk"))
}

const ENV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../values/tests/data/env.production"
);

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn from_env_writes_values_and_a_private_secrets_file() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets.yaml");
    let (code, stdout, stderr) = run(tusk()
        .args([
            "values",
            "from-env",
            ENV,
            "--chart",
            "next",
            "--secrets-out",
        ])
        .arg(&secrets));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: example.social"), "{stdout}");
    assert!(!stdout.contains("mail-secret"));
    let written = std::fs::read_to_string(&secrets).unwrap();
    assert!(written.contains("password: mail-secret"), "{written}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "secrets file is readable by others: {mode:o}"
        );
    }
    assert!(
        stderr.contains("warning: 5 variable(s) have no next chart value"),
        "{stderr}"
    );
    assert!(stderr.contains("mapped 47 of 52 variables"), "{stderr}");
}

#[test]
fn from_env_needs_a_place_for_secrets() {
    let (code, stdout, stderr) =
        run(tusk().args(["values", "from-env", ENV, "--chart", "classic"]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("pass --secrets-out FILE or --existing-secret NAME"),
        "{stderr}"
    );
}

#[test]
fn from_env_existing_secret_lists_keys() {
    let (code, stdout, stderr) = run(tusk().args([
        "values",
        "from-env",
        ENV,
        "--chart",
        "classic",
        "--existing-secret",
        "mastodon-env",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("existingSecret: mastodon-env-postgresql"),
        "{stdout}"
    );
    assert!(
        stderr.contains("  Secret mastodon-env-smtp:\n    login (the value of SMTP_LOGIN)"),
        "{stderr}"
    );
}

#[test]
fn bad_env_file_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("bad.env");
    std::fs::write(&env, "A=1\nB=\"unterminated\n").unwrap();
    let (code, _, stderr) = run(tusk()
        .args(["values", "from-env"])
        .arg(&env)
        .args(["--chart", "classic"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("bad.env:2:3: unterminated quoted value"),
        "{stderr}"
    );
}

#[test]
fn init_is_repeatable_with_a_seed() {
    let (c1, a, _) = run(tusk().args(["values", "init", "--chart", "classic", "--seed", "9"]));
    let (c2, b, _) = run(tusk().args(["values", "init", "--chart", "classic", "--seed", "9"]));
    let (c3, c, _) = run(tusk().args(["values", "init", "--chart", "classic"]));
    assert_eq!((c1, c2, c3), (0, 0, 0));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.contains("otp_secret:"));
}

#[test]
fn migrate_reports_on_stderr() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../values/tests/data/classic-values.yaml"
    );
    let (code, stdout, stderr) = run(tusk().args(["values", "migrate", file]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: example.social"));
    assert!(stderr.contains("not migrated: mastodon.cron:"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = run(tusk().args(["values", "init", "--chart", "modern"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(tusk().args([
        "values",
        "from-env",
        ENV,
        "--chart",
        "next",
        "--secrets-out",
        "x",
        "--existing-secret",
        "y",
    ]));
    assert_eq!(code, 2);
}

const CLASSIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/charts/mastodon-classic"
);

#[test]
fn check_reports_unknown_keys_with_their_origin_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  localDomain: typo.example\n  local_domain: ok.example\n  otel:\n    endpointUri: http://x\npodAnnotations:\n  a.example/b: c\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "check", "m", CLASSIC, "-f"])
        .arg(&f)
        .args(["--set", "postgresql.primery.x=1,redis.port=7000"]));
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(
            "mastodon.localDomain: the chart never declares or reads this key (set by -f "
        ),
        "{stdout}"
    );
    assert!(
        lines[0].ends_with("did you mean mastodon.local_domain?"),
        "{stdout}"
    );
    assert_eq!(
        lines[1],
        "postgresql.primery: the chart never declares or reads this key (set by --set postgresql.primery.x=1,redis.port=7000); did you mean postgresql.primary?"
    );
    assert!(
        stderr.contains("2 key(s) the chart never declares or reads"),
        "{stderr}"
    );
}

#[test]
fn check_passes_clean_values() {
    let (code, stdout, stderr) = run(tusk().args([
        "values",
        "check",
        "m",
        CLASSIC,
        "--set",
        "mastodon.local_domain=a.example",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
}

#[test]
fn effective_names_each_leafs_origin() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  local_domain: from-file.example\nredis:\n  port: 6390\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "effective", "m", CLASSIC, "-f"])
        .arg(&f)
        .args([
            "--set",
            "redis.port=7000",
            "--set-string",
            "postgresql.auth.password=abc",
        ]));
    assert_eq!(code, 0, "{stderr}");
    let file = format!("-f {}", f.display());
    for want in [
        format!("  local_domain: from-file.example  # {file}"),
        "  port: 7000  # --set redis.port=7000".to_string(),
        "    password: abc  # --set-string postgresql.auth.password=abc".to_string(),
        "  locale: en  # chart default".to_string(),
        // A subchart's default, coalesced under its name.
        "    password: fixture-redis-password  # chart default".to_string(),
    ] {
        assert!(
            stdout.lines().any(|l| l == want),
            "missing {want:?} in\n{stdout}"
        );
    }
}

#[test]
fn effective_on_a_missing_chart_fails_with_helms_message() {
    let (code, _, stderr) = run(tusk().args(["values", "effective", "m", "/nonexistent/chart"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Error: path \"/nonexistent/chart\" not found"),
        "{stderr}"
    );
}

#[test]
fn migrate_reads_yaml_like_helm() {
    // helm accepts duplicate keys (the last wins); so does migrate.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("dup.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  local_domain: first.example\n  local_domain: second.example\nredis:\n  sidekiq:\n    enabled: true\n    auth:\n      password: p\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk().args(["values", "migrate"]).arg(&f));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: second.example"), "{stdout}");
    // helm's reader sorts keys, so the output follows key order.
    assert!(
        stdout.contains("  sidekiq:\n    password: p\n    enabled: true\n"),
        "{stdout}"
    );
}
