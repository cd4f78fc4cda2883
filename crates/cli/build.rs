//! Link flags for the `tusk` binary that depend on the build machine.
//!
//! Packed relative relocations (DT_RELR): a PIE of this size carries ~25 000
//! relative relocations, whose 600 KiB table the dynamic loader reads at
//! every start, adding that much to the peak RSS of a ~10 MiB process
//! (docs/performance.md). Used only when this machine's C toolchain links
//! with `-z pack-relative-relocs` and its C library runs the result (glibc
//! 2.36+), which a small probe program checks.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
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
