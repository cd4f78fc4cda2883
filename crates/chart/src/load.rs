//! The chart model and helm's `loader.LoadFiles`: sorting a chart's files
//! into metadata, values, schema, templates, other files and subcharts.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tusk_template::Map;

use crate::metadata::Metadata;
use crate::{ChartError, Result, archive, directory};

/// Size limits of chart loading (helm's defaults: 5 MiB per file, 100 MiB
/// per chart, decompressed). Subchart archives are bounded by the same
/// limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Largest file accepted, in bytes.
    pub max_file_size: u64,
    /// Largest total of a chart's files, in bytes.
    pub max_chart_size: u64,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_file_size: directory::MAX_FILE_SIZE,
            max_chart_size: directory::MAX_CHART_SIZE,
        }
    }
}

/// A file of a chart, named relative to the chart root with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path inside the chart, e.g. `templates/web.yaml`.
    pub name: String,
    /// Contents (a leading UTF-8 BOM removed), shared: cloning a chart or
    /// handing its files to `.Files` copies no file contents.
    pub data: Arc<[u8]>,
}

/// A file's bytes as text, invalid UTF-8 read as U+FFFD like Go's
/// strings. Valid text (nearly every chart file) is borrowed, and checked
/// with `from_utf8`, whose ASCII fast path is several times quicker than
/// the lossy decoder's.
pub fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(data) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(data),
    }
}

impl File {
    /// A file named `name` (relative to the chart root, `/`-separated)
    /// holding `data` as is.
    pub fn new(name: impl Into<String>, data: impl Into<Arc<[u8]>>) -> File {
        File {
            name: name.into(),
            data: data.into(),
        }
    }
}

/// A loaded chart.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// `Chart.yaml`.
    pub metadata: Metadata,
    /// Files under `templates/`.
    pub templates: Vec<File>,
    /// Default values (`values.yaml`); empty when absent.
    pub values: Map,
    /// `values.schema.json`, if present.
    pub schema: Option<Arc<[u8]>>,
    /// Every other file (what `.Files` sees), including `crds/`.
    pub files: Vec<File>,
    /// Subcharts from `charts/`, in name order until dependency processing
    /// puts them in `Chart.yaml` order.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    /// The chart's name (after aliasing).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Whether `type: library`.
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.eq_ignore_ascii_case("library")
    }

    /// The CRD files of this chart and its subcharts, with helm's file names
    /// (`full_path` is this chart's path, e.g. `parent/charts/sub`).
    pub fn crd_objects(&self, full_path: &str) -> Vec<(String, &File)> {
        let mut out = Vec::new();
        for f in &self.files {
            if f.name.starts_with("crds/")
                && (f.name.ends_with(".yaml")
                    || f.name.ends_with(".yml")
                    || f.name.ends_with(".json"))
            {
                out.push((format!("{full_path}/{}", f.name), f));
            }
        }
        for d in &self.dependencies {
            out.extend(d.crd_objects(&format!("{full_path}/charts/{}", d.name())));
        }
        out
    }

    #[cfg(test)]
    pub(crate) fn new_for_test(name: &str) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = name.into();
        c.metadata.version = "0.1.0".into();
        c.metadata.api_version = "v2".into();
        c
    }
}

/// Go's `filepath.Abs`: joined with the working directory and cleaned,
/// symbolic links not resolved.
pub(crate) fn go_abs(path: &Path) -> std::path::PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    std::path::PathBuf::from(crate::archive::clean(&joined.to_string_lossy()))
}

/// Loads a chart directory or `.tgz` archive (helm's `LocateChart` followed
/// by `loader.Load`). A missing path gives helm's messages; chart
/// repositories are not consulted.
pub fn load(path: &Path) -> Result<Chart> {
    load_with(path, &LoadLimits::default())
}

/// [`load`] with size limits other than helm's.
pub fn load_with(path: &Path, limits: &LoadLimits) -> Result<Chart> {
    let name = path.to_string_lossy().trim().to_string();
    let path = Path::new(&name);
    if std::fs::metadata(path).is_err() {
        if path.is_absolute() || name.starts_with('.') {
            return Err(ChartError::Load(format!("path \"{name}\" not found")));
        }
        return Err(ChartError::Load(match name.split_once('/') {
            Some((repo, _)) => format!("repo {repo} not found"),
            None => format!(
                "non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
            ),
        }));
    }
    let abs = go_abs(path);
    let meta = std::fs::metadata(&abs)
        .map_err(|e| ChartError::Load(format!("stat {}: {e}", abs.display())))?;
    if meta.is_dir() {
        directory::load_dir(&abs, limits)
    } else {
        archive::load_file(&abs, limits)
    }
}

/// Loads a chart from an archive held in memory.
pub fn load_archive_bytes(data: &[u8]) -> Result<Chart> {
    load_archive_bytes_with(data, &LoadLimits::default())
}

pub(crate) fn load_archive_bytes_with(data: &[u8], limits: &LoadLimits) -> Result<Chart> {
    load_files_with(archive::load_archive_files(data, limits)?, limits)
}

/// helm's `LoadFiles`: builds a chart from its files.
pub fn load_files(files: Vec<File>) -> Result<Chart> {
    load_files_with(files, &LoadLimits::default())
}

/// [`load_files`], subchart archives bounded by `limits`.
pub(crate) fn load_files_with(files: Vec<File>, limits: &LoadLimits) -> Result<Chart> {
    let mut c = Chart::default();
    let mut metadata: Option<Metadata> = None;
    for f in &files {
        if f.name == "Chart.yaml" {
            let md = Metadata::from_yaml(&f.data)
                .map_err(|e| ChartError::Load(format!("cannot load Chart.yaml: {e}")))?;
            metadata = Some(md);
        }
    }
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in files {
        let name = f.name.as_str();
        if name == "Chart.yaml" || name == "Chart.lock" {
            continue;
        }
        if name == "values.yaml" {
            c.values = crate::values::parse_values(&f.data)
                .map_err(|e| ChartError::Load(format!("cannot load values.yaml: {e}")))?;
        } else if name == "values.schema.json" {
            c.schema = Some(f.data);
        } else if name == "requirements.yaml" {
            let md = metadata.get_or_insert_with(Metadata::default);
            md.merge_requirements(&f.data)
                .map_err(|e| ChartError::Load(format!("cannot load requirements.yaml: {e}")))?;
            if md.api_version == "v1" {
                c.files.push(f);
            }
        } else if name == "requirements.lock" {
            let md = metadata.get_or_insert_with(Metadata::default);
            if md.api_version == "v1" {
                c.files.push(f);
            }
        } else if name.starts_with("templates/") {
            c.templates.push(f);
        } else if let Some(rest) = name.strip_prefix("charts/") {
            if name.ends_with(".prov") {
                c.files.push(f);
                continue;
            }
            let cname = rest.split('/').next().unwrap_or(rest).to_string();
            subcharts.entry(cname).or_default().push(File {
                name: rest.to_string(),
                data: f.data,
            });
        } else {
            c.files.push(f);
        }
    }
    let Some(mut md) = metadata else {
        return Err(ChartError::Load("Chart.yaml file is missing".into()));
    };
    md.validate().map_err(ChartError::Load)?;
    c.metadata = md;

    // Subcharts load independently (on several threads for large charts);
    // they are added, and their errors reported, in order.
    let subcharts: Vec<(String, Vec<File>)> = subcharts
        .into_iter()
        .filter(|(n, _)| !n.starts_with('_') && !n.starts_with('.'))
        .collect();
    let bytes = subcharts
        .iter()
        .flat_map(|(_, files)| files.iter().map(|f| f.data.len()))
        .sum();
    let names: Vec<String> = subcharts.iter().map(|(n, _)| n.clone()).collect();
    let chart_name = c.name().to_string();
    let loaded = crate::par::map(subcharts, bytes, |(n, files)| {
        if n.ends_with(".tgz") {
            let file = &files[0];
            if file.name != n {
                return Err(ChartError::Load(format!(
                    "error unpacking subchart tar in {chart_name}: expected {n}, got {}",
                    file.name
                )));
            }
            load_archive_bytes_with(&file.data, limits)
        } else {
            let buff: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| File {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_files_with(buff, limits)
        }
    });
    for (n, sc) in names.iter().zip(loaded) {
        let sc = sc.map_err(|e| e.wrap(format!("error unpacking subchart {n} in {}", c.name())))?;
        c.dependencies.push(sc);
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, data: &str) -> File {
        File::new(name, data.as_bytes())
    }

    /// Subcharts large enough to load on several threads: order kept, and
    /// the first broken one (in order) is the error.
    #[test]
    fn subcharts_in_order_whatever_the_threads() {
        let filler = "x".repeat(40 << 10);
        let mut files = vec![f("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n")];
        for n in ["c", "a", "d", "b"] {
            files.push(f(
                &format!("charts/{n}/Chart.yaml"),
                &format!("apiVersion: v2\nname: {n}\nversion: 0.1.0\n"),
            ));
            files.push(f(&format!("charts/{n}/templates/x.yaml"), &filler));
        }
        let c = load_files(files.clone()).unwrap();
        let names: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);

        files.push(f("charts/b/values.yaml", ": bad"));
        files.push(f("charts/d/values.yaml", ": bad"));
        let e = load_files(files).unwrap_err().to_string();
        assert!(e.contains("subchart b"), "{e}");
    }

    #[test]
    fn sorts_files() {
        let c = load_files(vec![
            f("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            f("values.yaml", "a: 1\n"),
            f("templates/x.yaml", "x"),
            f("README.md", "r"),
            f(
                "charts/s/Chart.yaml",
                "apiVersion: v2\nname: s\nversion: 0.1.0\n",
            ),
            f("charts/s/templates/y.yaml", "y"),
            f("charts/_skip/Chart.yaml", "bogus"),
        ])
        .unwrap();
        assert_eq!(c.name(), "p");
        assert_eq!(c.templates.len(), 1);
        assert_eq!(c.files.len(), 1);
        assert_eq!(c.dependencies.len(), 1);
        assert_eq!(c.dependencies[0].templates[0].name, "templates/y.yaml");
        assert!(c.values.contains_key("a"));
    }

    #[test]
    fn errors_name_the_subchart() {
        let err = load_files(vec![
            f("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            f("charts/s/values.yaml", "a: 1\n"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error unpacking subchart s in p: Chart.yaml file is missing"
        );
    }
}
