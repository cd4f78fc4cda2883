//! Link flags for the `tusk` binary that depend on the build machine.
//!
//! Packed relative relocations (DT_RELR): a PIE of this size carries ~25 000
//! relative relocations, whose 600 KiB table the dynamic loader reads at
//! every start, adding that much to the peak RSS of a ~10 MiB process
//! (docs/performance.md). Used only when this machine's C toolchain links
//! with `-z pack-relative-relocs` and its C library runs the result (glibc
//! 2.36+), which a small probe program checks.
//!
//! Hot code first (link-order.txt, from scripts/link-order): the kernel maps
//! the binary's text in 64 KiB blocks around each page a run touches, so
//! the ~2 000 functions real runs execute, spread over 8 MiB, made a
//! fixture render map ~4 MiB of code. Given to the linker only when rustc
//! links this target with lld, which a probe build with the same flags
//! checks (other linkers do not know `--symbol-ordering-file`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link-order.txt");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    // A cross build cannot run its probe.
    if target != host || !target.contains("linux-gnu") {
        return;
    }
    let Ok(out) = std::env::var("OUT_DIR") else {
        return;
    };
    let dir = PathBuf::from(out);
    link_order(&dir);
    let src = dir.join("relr_probe.c");
    let exe = dir.join("relr_probe");
    let probe = "static const char *p[] = {\"a\", \"b\"};\nint main(void) { return p[1][0] == 'b' ? 0 : 1; }\n";
    if std::fs::write(&src, probe).is_err() {
        return;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let linked = Command::new(cc)
        .args(["-pie", "-fPIE", "-Wl,-z,pack-relative-relocs", "-o"])
        .arg(&exe)
        .arg(&src)
        .output()
        .is_ok_and(|o| o.status.success());
    if linked && Command::new(&exe).status().is_ok_and(|s| s.success()) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Passes link-order.txt to lld when a probe program links with it.
fn link_order(dir: &Path) {
    let Ok(manifest) = std::env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let order = Path::new(&manifest).join("link-order.txt");
    if !order.is_file() {
        return;
    }
    let args = [
        format!("link-arg=-Wl,--symbol-ordering-file={}", order.display()),
        "link-arg=-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    let src = dir.join("order_probe.rs");
    if std::fs::write(&src, "fn main() {}\n").is_err() {
        return;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut probe = Command::new(rustc);
    // The same flags as the real build, so a linker chosen there is probed.
    if let Ok(flags) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        probe.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    }
    for arg in &args {
        probe.arg("-C").arg(arg);
    }
    probe.arg("-o").arg(dir.join("order_probe")).arg(&src);
    if probe.output().is_ok_and(|o| o.status.success()) {
        for arg in &args {
            println!("cargo:rustc-link-arg-bins={}", &arg["link-arg=".len()..]);
        }
    }
}
