//! Loading a chart directory (helm's `loader.LoadDir`): walks the tree in
//! lexical order, applies `.helmignore` plus helm's defaults, strips UTF-8
//! BOMs. Symbolic links are followed like helm does, but only while they stay
//! inside the chart directory; irregular files are refused.

use std::path::{Path, PathBuf};

use crate::ignore::{HELM_IGNORE, Rules};
use crate::load::{File, LoadLimits, load_files_with};
use crate::{Chart, ChartError, Result};

/// Largest file accepted (as helm 3.18's loader).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Largest total of all files accepted.
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Loads the chart in `dir`.
pub fn load_dir(dir: &Path, limits: &LoadLimits) -> Result<Chart> {
    // helm names paths from filepath.Abs (symbolic links kept); the real
    // location is only used to keep links inside the chart.
    let top = crate::load::go_abs(dir);
    let real_top = std::fs::canonicalize(&top)
        .map_err(|e| ChartError::Load(format!("{}: {e}", dir.display())))?;
    let mut rules = Rules::empty();
    let ifile = top.join(HELM_IGNORE);
    if ifile.is_file() {
        let text = std::fs::read_to_string(&ifile)
            .map_err(|e| ChartError::Load(format!("{}: {e}", ifile.display())))?;
        rules = Rules::parse(&text).map_err(ChartError::Load)?;
    }
    rules.add_defaults();
    let mut files = Vec::new();
    let mut total = 0u64;
    walk(&real_top, &top, "", &rules, limits, &mut files, &mut total)?;
    load_files_with(files, limits)
}

fn walk(
    top: &Path,
    dir: &Path,
    rel: &str,
    rules: &Rules,
    limits: &LoadLimits,
    files: &mut Vec<File>,
    total: &mut u64,
) -> Result<()> {
    let rd =
        std::fs::read_dir(dir).map_err(|e| ChartError::Load(format!("{}: {e}", dir.display())))?;
    let mut names: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    names.sort();
    for (name, path) in names {
        let n = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let lmeta = std::fs::symlink_metadata(&path)
            .map_err(|e| ChartError::Load(format!("{}: {e}", path.display())))?;
        let real = if lmeta.file_type().is_symlink() {
            let resolved = std::fs::canonicalize(&path).map_err(|e| {
                ChartError::Load(format!("error evaluating symlink {}: {e}", path.display()))
            })?;
            crate::log::log(
                "walk.go:75",
                format!(
                    "found symbolic link in path: {} resolves to {}. Contents of linked file included and used",
                    path.display(),
                    resolved.display()
                ),
            );
            if !resolved.starts_with(top) {
                return Err(ChartError::Load(format!(
                    "chart illegally contains a symbolic link leaving the chart directory: {n}"
                )));
            }
            resolved
        } else {
            path.clone()
        };
        let meta = std::fs::metadata(&real)
            .map_err(|e| ChartError::Load(format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            if rules.ignore(&n, true) {
                continue;
            }
            // A link to an enclosing directory would be walked forever.
            if real != path && std::fs::canonicalize(dir).is_ok_and(|d| d.starts_with(&real)) {
                return Err(ChartError::Load(format!(
                    "chart contains a symbolic link loop: {n} resolves to {}",
                    real.display()
                )));
            }
            walk(top, &real, &n, rules, limits, files, total)?;
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(ChartError::Load(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                path.display()
            )));
        }
        if meta.len() > limits.max_file_size {
            return Err(ChartError::Load(format!(
                "chart file \"{n}\" is larger than the maximum file size {}",
                limits.max_file_size
            )));
        }
        *total += meta.len();
        if *total > limits.max_chart_size {
            return Err(ChartError::Load(format!(
                "chart is larger than the maximum size {}",
                limits.max_chart_size
            )));
        }
        let data = std::fs::read(&real)
            .map_err(|e| ChartError::Load(format!("error reading {n}: {e}")))?;
        files.push(File::new(n, data.strip_prefix(BOM).unwrap_or(&data)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_helmignore() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir_all(p.join("templates")).unwrap();
        std::fs::create_dir_all(p.join("docs")).unwrap();
        std::fs::write(
            p.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(p.join(".helmignore"), "docs/\n*.bak\n").unwrap();
        std::fs::write(p.join("docs/x.md"), "x").unwrap();
        std::fs::write(p.join("a.bak"), "x").unwrap();
        std::fs::write(p.join("templates/.hidden"), "x").unwrap();
        std::fs::write(p.join("templates/a.yaml"), b"\xEF\xBB\xBFa: 1").unwrap();
        let c = load_dir(p, &LoadLimits::default()).unwrap();
        assert_eq!(c.templates.len(), 1);
        assert_eq!(&*c.templates[0].data, b"a: 1");
        let names: Vec<_> = c.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec![".helmignore"]);
    }

    #[test]
    fn refuses_escaping_symlink() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c");
        std::fs::create_dir_all(p.join("templates")).unwrap();
        std::fs::write(
            p.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(d.path().join("outside"), "secret").unwrap();
        std::os::unix::fs::symlink(d.path().join("outside"), p.join("link")).unwrap();
        let err = load_dir(&p, &LoadLimits::default()).unwrap_err();
        assert!(err.to_string().contains("symbolic link"));
    }
}
