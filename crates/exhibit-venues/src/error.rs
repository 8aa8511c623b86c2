//! The one error type of this crate, with a stable code for each variant.

use crate::validate::{Issue, Severity};

/// Why a complaint file could not be read or a complaint could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VenueError {
    /// The complaint file is not valid TOML, has a value of the wrong type, or a key
    /// this version does not know.
    #[error("{}", parse_message(*.line, .message))]
    Parse {
        /// 1-based line of the mistake, when the parser knows it.
        line: Option<usize>,
        /// 1-based column (in characters).
        column: Option<usize>,
        /// What is wrong, from the parser.
        message: String,
    },
    /// The complaint file is larger than any real one.
    #[error(
        "The complaint file is {bytes} bytes long; complaint files are at most {max} bytes. Check that you opened the right file."
    )]
    TooLarge { bytes: usize, max: usize },
    /// The complaint has problems that must be fixed before it can be filed. Every
    /// issue found is carried, warnings included.
    #[error("{}", invalid_message(.issues))]
    Invalid { issues: Vec<Issue> },
    /// The complaint could not be written back as TOML.
    #[error("The complaint could not be written as TOML: {0}")]
    Serialize(String),
}

impl VenueError {
    /// A stable code for user interfaces to branch on (never branch on the message).
    pub fn code(&self) -> &'static str {
        match self {
            VenueError::Parse { .. } => "complaint_parse",
            VenueError::TooLarge { .. } => "complaint_too_large",
            VenueError::Invalid { .. } => "complaint_invalid",
            VenueError::Serialize(_) => "complaint_serialize",
        }
    }
}

fn parse_message(line: Option<usize>, message: &str) -> String {
    match line {
        Some(line) => format!("The complaint file has a mistake on line {line}: {message}"),
        None => format!("The complaint file has a mistake: {message}"),
    }
}

fn invalid_message(issues: &[Issue]) -> String {
    let errors: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    match errors.as_slice() {
        [] => "The complaint cannot be filed yet.".to_string(),
        [one] => format!("The complaint cannot be filed yet: {}", one.message),
        [first, rest @ ..] => format!(
            "The complaint cannot be filed yet: {} ({} more problem{} to fix)",
            first.message,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}
