//! Chart loading (directories and `.tgz` archives), `Chart.yaml`,
//! dependencies and values coalescing, mirroring helm's `pkg/chart` and
//! `pkg/chartutil`.
