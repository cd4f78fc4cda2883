//! Loading a chart archive (helm's `loader.LoadArchive`): a gzipped tar read
//! entirely in memory; the first path component (the chart directory) is
//! dropped; absolute paths, `..` and drive letters are refused; sizes are
//! bounded.

use std::io::Read;
use std::path::Path;

use crate::load::{File, LoadLimits, load_files_with};
use crate::{Chart, ChartError, Result};

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Loads a `.tgz` file (helm's `LoadFile`, including its checks that the
/// file is a gzip archive).
pub fn load_file(path: &Path, limits: &LoadLimits) -> Result<Chart> {
    let name = path.display().to_string();
    let data = std::fs::read(path)
        .map_err(|e| ChartError::Load(format!("file '{name}' cannot be read: {e}")))?;
    if !data.starts_with(&[0x1f, 0x8b, 0x08]) {
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            return Err(ChartError::Load(format!(
                "file '{name}' seems to be a YAML file, but expected a gzipped archive"
            )));
        }
        return Err(ChartError::Load(format!(
            "file '{name}' does not appear to be a gzipped archive; got '{}'",
            detect_content_type(&data)
        )));
    }
    load_files_with(load_archive_files(&data, limits)?, limits)
}

/// Go's `http.DetectContentType` as helm calls it: on a 512-byte buffer
/// (zero-padded when the file is shorter, which makes short files look
/// binary). Only the signatures likely here are recognised.
fn detect_content_type(data: &[u8]) -> &'static str {
    let mut buf = [0u8; 512];
    let n = data.len().min(512);
    buf[..n].copy_from_slice(&data[..n]);
    let sigs: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"BZh", "application/x-bzip2"),
        (b"\xFD7zXZ\x00", "application/x-xz"),
    ];
    for (sig, ct) in sigs {
        if buf.starts_with(sig) {
            return ct;
        }
    }
    if buf[..5].eq_ignore_ascii_case(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    let binary = buf.iter().any(|&b| {
        b <= 0x08 || b == 0x0B || (0x0E..=0x1A).contains(&b) || (0x1C..=0x1F).contains(&b)
    });
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// helm's `LoadArchiveFiles`: the files of an archive, named relative to the
/// chart root.
pub fn load_archive_files(data: &[u8], limits: &LoadLimits) -> Result<Vec<File>> {
    let (max_file, max_chart) = (limits.max_file_size, limits.max_chart_size);
    let gz = flate2::read::GzDecoder::new(data);
    let mut ar = tar::Archive::new(gz);
    let mut files = Vec::new();
    let mut total = 0u64;
    let entries = ar.entries().map_err(|e| ChartError::Load(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| ChartError::Load(e.to_string()))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous || kind.is_gnu_sparse()) {
            // Links and devices carry no chart content.
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let delimiter = if raw.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw.split(delimiter).collect();
        let n = parts[1..].join("/");
        if n.starts_with('/') {
            return Err(ChartError::Load(
                "chart illegally contains absolute paths".into(),
            ));
        }
        let n = clean(&n);
        if n == "." {
            return Err(ChartError::Load(format!(
                "chart illegally contains content outside the base directory: {}",
                crate::strvals::go_quote(&raw)
            )));
        }
        if n.starts_with("..") {
            return Err(ChartError::Load(
                "chart illegally references parent directory".into(),
            ));
        }
        let b = n.as_bytes();
        if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
            return Err(ChartError::Load(
                "chart contains illegally named files".into(),
            ));
        }
        if parts[0] == "Chart.yaml" {
            return Err(ChartError::Load("chart yaml not in base directory".into()));
        }
        let size = entry.header().size().unwrap_or(0);
        if size > max_file {
            return Err(ChartError::Load(format!(
                "decompressed chart file {} is larger than the maximum file size {max_file}",
                crate::strvals::go_quote(&raw)
            )));
        }
        let mut buf = Vec::new();
        (&mut entry)
            .take(max_file + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ChartError::Load(e.to_string()))?;
        total += buf.len() as u64;
        if buf.len() as u64 > max_file || total > max_chart {
            return Err(ChartError::Load(format!(
                "decompressed chart is larger than the maximum size {max_chart}"
            )));
        }
        files.push(File::new(n, buf.strip_prefix(BOM).unwrap_or(&buf)));
    }
    if files.is_empty() {
        return Err(ChartError::Load("no files in chart archive".into()));
    }
    Ok(files)
}

/// Go's `path.Clean`.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // Write the name bytes directly so unsafe names can be tested.
            let nb = name.as_bytes();
            h.as_old_mut().name[..nb.len()].copy_from_slice(nb);
            h.set_cksum();
            b.append(&h, data.as_bytes()).unwrap();
        }
        let tar = b.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn loads_archive() {
        let data = tgz(&[
            ("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            ("c/templates/a.yaml", "a: 1\n"),
        ]);
        let c = crate::load_archive_bytes(&data).unwrap();
        assert_eq!(c.name(), "c");
        assert_eq!(c.templates[0].name, "templates/a.yaml");
    }

    #[test]
    fn refuses_parent_paths() {
        let data = tgz(&[("c/../../etc/x", "x")]);
        let err = crate::load_archive_bytes(&data).unwrap_err();
        assert_eq!(
            err.to_string(),
            "chart illegally references parent directory"
        );
        let data = tgz(&[("Chart.yaml", "x")]);
        let err = crate::load_archive_bytes(&data).unwrap_err();
        assert!(err.to_string().contains("outside the base directory"));
    }

    #[test]
    fn clean_paths() {
        assert_eq!(clean("a/./b/../c"), "a/c");
        assert_eq!(clean("../a"), "../a");
        assert_eq!(clean(""), ".");
    }
}
