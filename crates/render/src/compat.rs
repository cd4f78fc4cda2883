//! helm 4 compatibility: what `helm template` of helm 4.1.4 prints where it
//! differs from helm 3.17.2 in wording rather than in rendering.
//!
//! The chart and render code produce helm 3's texts; in helm 4 mode
//! [`crate::template`] passes them through here:
//! * log lines: helm 4 logs with `log/slog`'s text handler
//!   (`level=INFO msg="..." key=value`) instead of `log.Printf`'s
//!   `file.go:LINE: message`; lines helm 4 still writes with `log.Printf`
//!   become `level=INFO msg=...` (helm routes the standard logger through
//!   slog), the ones it rewrote to structured `slog` calls get their keys;
//! * errors: template execution errors become helm 4's multi-line trace
//!   (`reformatExecErrorMsg`), a few errors are logged at `ERROR` level and
//!   wrapped with a context.
//!
//! Where helm 4 computes something else (values files with several
//! documents, `null` handling while coalescing, defaults in
//! `.Capabilities`), the chart and render code branch on
//! [`tusk_chart::compat::current`] / [`crate::RenderOptions::helm_compat`].

use crate::RenderError;

/// Go's `strconv.Quote` as slog's text handler applies it: only when the
/// value is empty or has a space, `=`, `"` or a non-printable character.
pub fn slog_value(s: &str) -> String {
    let needs = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control() || c == '\u{fffd}');
    if needs {
        tusk_chart::strvals::go_quote(s)
    } else {
        s.to_string()
    }
}

/// A slog text-handler line: `level=LEVEL msg=MSG k=v ...`.
pub fn slog_line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut line = format!("level={level} msg={}", slog_value(msg));
    for (k, v) in attrs {
        line.push_str(&format!(" {k}={}", slog_value(v)));
    }
    line
}

/// Undoes Go's `%q` for the simple escapes helm's messages contain.
fn go_unquote(q: &str) -> String {
    let inner = q
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(q);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// helm 4's line for a helm 3 log line.
pub fn log_line_v4(line: &str) -> String {
    if line == "WARNING: This chart is deprecated" {
        return slog_line("WARN", "this chart is deprecated", &[]);
    }
    let Some((origin, msg)) = split_origin(line) else {
        return line.to_string();
    };
    match origin {
        "manifest_sorter.go" => {
            if let Some(q) = msg.strip_prefix("info: skipping unknown hook: ") {
                return slog_line(
                    "INFO",
                    "skipping unknown hooks",
                    &[("hookTypes", &go_unquote(q))],
                );
            }
        }
        "dependencies.go" => {
            if let Some(rest) = msg.strip_prefix("Warning: ImportValues missing table from chart ")
                && let Some((chart, err)) = rest.split_once(": ")
            {
                return slog_line(
                    "WARN",
                    "ImportValues missing table from chart",
                    &[("chart", chart), ("error", err)],
                );
            }
            if let Some(err) = msg.strip_prefix("Warning: ImportValues missing table: ") {
                return slog_line("WARN", "ImportValues missing table", &[("error", err)]);
            }
            for (prefix, key) in [
                ("Warning: Tag '", "tag"),
                ("Warning: Condition path '", "path"),
            ] {
                if let Some(rest) = msg.strip_prefix(prefix)
                    && let Some((name, rest)) = rest.split_once("' for chart ")
                    && let Some(chart) = rest.strip_suffix(" returned non-bool value")
                {
                    return slog_line(
                        "WARN",
                        "returned non-bool value",
                        &[(key, name), ("chart", chart)],
                    );
                }
            }
        }
        "walk.go" => {
            if let Some(rest) = msg.strip_prefix("found symbolic link in path: ")
                && let Some((path, resolved)) = rest.split_once(" resolves to ")
                && let Some(resolved) =
                    resolved.strip_suffix(". Contents of linked file included and used")
            {
                return slog_line(
                    "INFO",
                    "found symbolic link in path. Contents of linked file included and used",
                    &[("path", path), ("resolved", resolved)],
                );
            }
        }
        _ => {}
    }
    // Still `log.Printf` in helm 4 (coalescing warnings): the standard
    // logger writes through slog at INFO.
    slog_line("INFO", msg, &[])
}

/// `coalesce.go:237: text` → `("coalesce.go", "text")`.
fn split_origin(line: &str) -> Option<(&str, &str)> {
    let (origin, msg) = line.split_once(": ")?;
    let (file, num) = origin.split_once(':')?;
    (file.ends_with(".go") && !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()))
        .then_some((file, msg))
}

/// helm's render-time hint, kept by helm 4.
const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// helm 4's error for a helm 3 error text, and the lines helm 4 logs before
/// printing it.
pub fn error_v4(e: RenderError) -> (RenderError, Vec<String>) {
    let msg = e.message();
    let mut logs = Vec::new();
    let (body, hint) = match msg.strip_suffix(DEBUG_HINT) {
        Some(b) => (b, DEBUG_HINT),
        None => (msg, ""),
    };
    let body = if let Some(rest) = body.strip_prefix("An error occurred while checking") {
        format!("an error occurred while checking{rest}")
    } else if body.starts_with("release name ") {
        logs.push(slog_line(
            "ERROR",
            "release name check failed",
            &[("error", body)],
        ));
        format!("release name check failed: {body}")
    } else if body.starts_with("type mismatch on ") {
        logs.push(slog_line(
            "ERROR",
            "chart dependencies processing failed",
            &[("error", body)],
        ));
        format!("chart dependencies processing failed: {body}")
    } else if body.starts_with("template: ") {
        reformat_exec_error(body).unwrap_or_else(|| body.to_string())
    } else {
        body.to_string()
    };
    (RenderError::new(format!("{body}{hint}")), logs)
}

/// One step of a template error chain as helm 4 prints it.
#[derive(PartialEq)]
struct Trace {
    location: String,
    function: String,
    message: String,
}

/// helm 4's `reformatExecErrorMsg` on the text of a Go template execution
/// error: each `template: ...` link of the chain (function errors wrap the
/// error they call, as `include` does) becomes `location`, `executing ...`
/// and message lines. `None` when some link is not a template error; helm 4
/// then prints the error unchanged.
fn reformat_exec_error(text: &str) -> Option<String> {
    let mut traces: Vec<Trace> = Vec::new();
    let mut current = Some(text.to_string());
    while let Some(s) = current.take() {
        let rest = s.strip_prefix("template: ")?;
        if rest.starts_with("no template ") {
            traces.push(Trace {
                location: String::new(),
                function: String::new(),
                message: s.clone(),
            });
            break;
        }
        let (trace, full_msg) = if let Some(idx) = rest.find(": executing \"") {
            let location = &rest[..idx];
            let after = &rest[idx + ": executing \"".len()..];
            let end = after.find('"')?;
            let function = &after[..end];
            let at = after[end + 1..].strip_prefix(" at <")?;
            let loc_end = at.find(">: ")?;
            let node = &at[..loc_end];
            let full_msg = &at[loc_end + 3..];
            (
                Trace {
                    location: location.to_string(),
                    function: format!("executing \"{function}\" at <{node}>:"),
                    message: cut_chained(full_msg).to_string(),
                },
                full_msg,
            )
        } else {
            let sep = rest.rfind(": ")?;
            let full_msg = &rest[sep + 2..];
            (
                Trace {
                    location: rest[..sep].to_string(),
                    function: String::new(),
                    message: cut_chained(full_msg).to_string(),
                },
                full_msg,
            )
        };
        // Go's `error calling NAME: %w` wraps the function's error.
        if let Some(inner) = full_msg
            .strip_prefix("error calling ")
            .and_then(|m| m.split_once(": ").map(|(_, inner)| inner))
        {
            current = Some(inner.to_string());
        }
        if traces.last() != Some(&trace) {
            traces.push(trace);
        }
    }
    let mut out = String::new();
    for t in &traces {
        if !t.location.is_empty() {
            out.push_str(&format!("{}\n  ", t.location));
        }
        if !t.function.is_empty() {
            out.push_str(&format!("{}\n    ", t.function));
        }
        if !t.message.is_empty() {
            out.push_str(&format!("{}\n", t.message));
        }
    }
    Some(out.trim().to_string())
}

/// A message up to a chained ` template:` error.
fn cut_chained(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines() {
        assert_eq!(
            log_line_v4("coalesce.go:237: warning: skipped value for a.b: Not a table."),
            "level=INFO msg=\"warning: skipped value for a.b: Not a table.\""
        );
        assert_eq!(
            log_line_v4("manifest_sorter.go:190: info: skipping unknown hook: \"a,b\""),
            "level=INFO msg=\"skipping unknown hooks\" hookTypes=a,b"
        );
        assert_eq!(
            log_line_v4(
                "dependencies.go:269: Warning: ImportValues missing table from chart mid: \"exports\" is not a table"
            ),
            "level=WARN msg=\"ImportValues missing table from chart\" chart=mid error=\"\\\"exports\\\" is not a table\""
        );
        assert_eq!(
            log_line_v4("WARNING: This chart is deprecated"),
            "level=WARN msg=\"this chart is deprecated\""
        );
    }

    #[test]
    fn template_errors() {
        let e = RenderError::new(format!(
            "template: c/t.yaml:1:6: executing \"c/t.yaml\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\"{DEBUG_HINT}"
        ));
        let (e, logs) = error_v4(e);
        assert!(logs.is_empty());
        assert_eq!(
            e.message(),
            format!(
                "c/t.yaml:1:6\n  executing \"c/t.yaml\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\"{DEBUG_HINT}"
            )
        );
        // A function error that is no template error: unchanged.
        let text = "template: c/t.yaml:1:6: executing \"c/t.yaml\" at <index .a 5>: error calling index: index out of range: 5";
        assert_eq!(error_v4(RenderError::new(text)).0.message(), text);
    }

    #[test]
    fn wrapped_errors_log_first() {
        let (e, logs) = error_v4(RenderError::new("type mismatch on x: y"));
        assert_eq!(
            e.message(),
            "chart dependencies processing failed: type mismatch on x: y"
        );
        assert_eq!(
            logs,
            vec![
                "level=ERROR msg=\"chart dependencies processing failed\" error=\"type mismatch on x: y\""
            ]
        );
    }
}
