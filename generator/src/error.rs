//! The one error type of the generator: every failure names the file and, where it has one, the
//! JSON pointer (or line/column) of the construct at fault.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub struct Error {
    pub file: Option<PathBuf>,
    /// JSON pointer into the document (`#/paths/~1projects/get`), or a line/column.
    pub location: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            file: None,
            location: None,
            message: message.into(),
        }
    }

    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            file: None,
            location: Some(pointer.into()),
            message: message.into(),
        }
    }

    /// Attach the file name, unless one is already known (a referenced file wins).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(location) = &self.location {
                write!(f, " at {location}")?;
            }
            write!(f, ": ")?;
        } else if let Some(location) = &self.location {
            write!(f, "at {location}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
