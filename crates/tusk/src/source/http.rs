//! Blocking HTTP GETs with helm-like error reporting and an optional
//! progress bar.

use std::io::Read;
use std::time::Duration;

use super::{FetchOptions, SourceError};

/// The largest download accepted (a chart archive or an index).
pub const MAX_DOWNLOAD: u64 = 100 * 1024 * 1024;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

/// GETs `url`; `auth` is a full `Authorization` header value.
pub fn get(
    url: &str,
    auth: Option<&str>,
    accept: Option<&str>,
    opts: &FetchOptions,
) -> Result<Response, SourceError> {
    let mut req = agent().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let resp = req.call().map_err(|e| SourceError::Transport {
        url: url.to_string(),
        message: e.to_string(),
    })?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let len = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut reader = resp.into_body().into_reader().take(MAX_DOWNLOAD + 1);
    let bar = (opts.progress && status == 200).then(|| progress_bar(url, len));
    let mut body = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(|e| SourceError::Transport {
            url: url.to_string(),
            message: e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
        if let Some(b) = &bar {
            b.inc(n as u64);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if body.len() as u64 > MAX_DOWNLOAD {
        return Err(SourceError::Invalid(format!(
            "{url}: larger than the {MAX_DOWNLOAD}-byte download limit"
        )));
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Maps a non-200 status to the error a user can act on.
pub fn check(url: &str, resp: Response) -> Result<Response, SourceError> {
    match resp.status {
        200 => Ok(resp),
        401 | 403 => Err(SourceError::Auth {
            url: url.to_string(),
            status: resp.status,
        }),
        404 => Err(SourceError::NotFound {
            url: url.to_string(),
        }),
        status => Err(SourceError::Status {
            url: url.to_string(),
            status,
        }),
    }
}

/// `Basic ...` from the options' credentials, if any.
pub fn basic_auth(opts: &FetchOptions) -> Option<String> {
    use base64::Engine;
    let user = opts.username.as_deref()?;
    let pass = opts.password.as_deref().unwrap_or("");
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    ))
}

fn progress_bar(url: &str, len: Option<u64>) -> indicatif::ProgressBar {
    let bar = match len {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let name = url.rsplit('/').next().unwrap_or(url).to_string();
    bar.set_message(name);
    bar
}
