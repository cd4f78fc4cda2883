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
