//! A tiny HTTP/1.1 file server on loopback for tests that fetch charts
//! (included with `#[path]` by the test crates that need it, so there is
//! one copy without a helper crate).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A running server: its `host:port` and the paths requested so far, in
/// order (tests use them to see the cache work).
pub struct Server {
    pub addr: String,
    pub hits: Arc<Mutex<Vec<String>>>,
}

/// Serves `files` (path → body; 404 otherwise). With `auth`, every request
/// must carry exactly that `Authorization` value, else 401.
pub fn serve(files: HashMap<String, Vec<u8>>, auth: Option<String>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let hits = Arc::new(Mutex::new(Vec::new()));
    let seen = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let mut authorization = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("authorization")
                {
                    authorization = Some(v.trim().to_string());
                }
            }
            seen.lock().unwrap().push(path.clone());
            let (status, body) = if auth.is_some() && authorization != auth {
                ("401 Unauthorized", b"no".to_vec())
            } else {
                match files.get(&path) {
                    Some(b) => ("200 OK", b.clone()),
                    None => ("404 Not Found", b"missing".to_vec()),
                }
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    Server { addr, hits }
}
