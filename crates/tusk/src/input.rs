//! Bounded reads of the files a user names (project files, overlay files,
//! `.env` files, manifests to validate): a path such as `/dev/zero` or a
//! runaway file must end in an error, not in all memory being used.

use std::io::Read;
use std::path::Path;

/// Largest input file read (helm's limit for a whole chart).
pub const MAX_INPUT_SIZE: u64 = 100 * 1024 * 1024;

/// `std::fs::read_to_string`, refusing files larger than [`MAX_INPUT_SIZE`].
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_SIZE + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_INPUT_SIZE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than the maximum input size {MAX_INPUT_SIZE}"),
        ));
    }
    String::from_utf8(buf).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn endless_input_is_refused() {
        #[cfg(unix)]
        {
            let e = super::read_text(std::path::Path::new("/dev/zero")).unwrap_err();
            assert!(e.to_string().contains("maximum input size"), "{e}");
        }
    }
}
