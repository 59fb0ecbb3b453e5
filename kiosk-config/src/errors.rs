//! What validation reports: each problem with its line and key path.

use std::fmt;
use std::path::Path;

/// One problem in a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {key}: {message}")]
pub struct ProfileError {
    /// 1-based line number; 0 when the problem concerns the whole file (it could not be read).
    pub line: usize,
    /// The key path, e.g. `accessibility.high_contrast` or `enabled_modules[2]`.
    pub key: String,
    /// A plain English description.
    pub message: String,
}

/// All problems found in one profile, sorted by line. `Display` prints one
/// `FILE:LINE: key: message` line per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileErrors {
    pub(crate) file: String,
    pub(crate) errors: Vec<ProfileError>,
}

impl ProfileErrors {
    /// The same errors, naming `file` in `Display`.
    pub fn with_file(mut self, file: impl AsRef<Path>) -> ProfileErrors {
        self.file = file.as_ref().display().to_string();
        self
    }

    /// The file name used in `Display` (`<input>` for
    /// [`KioskProfile::parse`](crate::KioskProfile::parse)).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The problems, sorted by line; never empty.
    pub fn errors(&self) -> &[ProfileError] {
        &self.errors
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false: a `ProfileErrors` holds at least one error.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ProfileError> {
        self.errors.iter()
    }
}

impl<'a> IntoIterator for &'a ProfileErrors {
    type Item = &'a ProfileError;
    type IntoIter = std::slice::Iter<'a, ProfileError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match (e.line, e.key.is_empty()) {
                (0, true) => write!(f, "{}: {}", self.file, e.message)?,
                (0, false) => write!(f, "{}: {}: {}", self.file, e.key, e.message)?,
                (line, _) => write!(f, "{}:{}: {}: {}", self.file, line, e.key, e.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ProfileErrors {}
