//! Reading the charter folder's files safely: only regular files (a FIFO or a device would block
//! `steward check` forever), at most a size that keeps compiling bounded, and UTF-8, a text that
//! is not being reported at the line and column of its first bad byte.

use std::path::Path;

/// The largest rule file or `charter.toml`.
pub const MAX_RULE_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest word list.
pub const MAX_WORD_LIST_BYTES: u64 = 8 * 1024 * 1024;

/// Why a file was not read: where (line and column, 0 when the whole file) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ReadError {
    fn whole(message: String) -> ReadError {
        ReadError {
            line: 0,
            column: 0,
            message,
        }
    }
}

/// Reads `path` as UTF-8 text of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    text_of(read_regular(path, limit).map_err(ReadError::whole)?)
}

/// The bytes of `path`, when it is a regular file of at most `limit` bytes (replay input and the
/// charter's files alike).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file (a folder, FIFO or device is never read)".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "{} bytes, more than the limit of {limit}",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// `bytes` as text, or where the first byte that is not UTF-8 is.
pub fn text_of(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        ReadError {
            line,
            column,
            message: "not UTF-8: save the file as UTF-8".into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_byte_is_located() {
        let error = text_of(b"title = \"ok\"\nname = \"caf\xE9\"\n".to_vec()).unwrap_err();
        assert_eq!((error.line, error.column), (2, 12));
        assert_eq!(text_of(b"fine".to_vec()).unwrap(), "fine");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_folder_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("words.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_text(&fifo, MAX_WORD_LIST_BYTES).unwrap_err();
            assert!(error.message.contains("not a regular file"), "{error:?}");
        }
        assert!(read_text(dir.path(), MAX_WORD_LIST_BYTES).is_err());
    }

    #[test]
    fn an_oversized_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        let error = read_text(&big, 1024).unwrap_err();
        assert!(
            error.message.contains("more than the limit of 1024"),
            "{error:?}"
        );
    }
}
