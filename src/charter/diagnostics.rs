//! Charter errors: each one located as `path:line:col: rule "id": message`, all collected at once.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem found in a charter folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line and column; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    /// The rule concerned, when there is one.
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule \"{rule}\"")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found while loading a charter.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct CharterErrors(pub Vec<Diagnostic>);

impl fmt::Display for CharterErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A file being read, able to turn byte offsets into line and column.
///
/// The byte offset of every line start is indexed once, so locating a span costs a binary
/// search plus the characters of its own line: checking a file of 40,000 rules stays linear.
pub(crate) struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceFile<'a> {
    /// Indexes `text`, read from `path`.
    pub fn new(path: &'a Path, text: &'a str) -> SourceFile<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// A diagnostic at `span` (or at the top of the file when `None`).
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        rule: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = span.map_or((1, 1), |s| self.line_col(s.start));
        Diagnostic {
            path: self.path.to_path_buf(),
            line,
            column,
            rule: rule.map(str::to_string),
            message: message.into(),
        }
    }

    /// A diagnostic from a TOML parse or type error, which carries its own span.
    pub fn toml_error(&self, error: &toml::de::Error, rule: Option<&str>) -> Diagnostic {
        let message = error.message().trim().to_string();
        self.error(error.span(), rule, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new(Path::new("rules/a.toml"), "a = 1\nété = 2\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // "été" is 5 bytes: the '=' after it is column 5.
        assert_eq!(file.line_col(12), (2, 5));
        // The newline itself belongs to its line; past the end is the last position.
        assert_eq!(file.line_col(5), (1, 6));
        assert_eq!(file.line_col(16), (3, 1));
        assert_eq!(file.line_col(1_000), (3, 1));
        // Inside a multi-byte character: the character's own column.
        assert_eq!(file.line_col(7), (2, 1));
    }

    #[test]
    fn display_has_the_documented_shape() {
        let d = Diagnostic {
            path: PathBuf::from("rules/spam.toml"),
            line: 3,
            column: 7,
            rule: Some("flood".into()),
            message: "bad duration".into(),
        };
        assert_eq!(
            d.to_string(),
            "rules/spam.toml:3:7: rule \"flood\": bad duration"
        );
    }
}
