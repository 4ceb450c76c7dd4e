//! Work types and file formats: open sets that keep values LitRes adds later.

use std::fmt;

use serde::{Deserialize, Serialize};

/// LitRes work type (`type` attribute and request parameter).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WorkType {
    /// `0`: e-book (text).
    Text,
    /// `1`: audiobook.
    Audio,
    /// `4`: PDF book.
    Pdf,
    /// `11`: English book with Adobe DRM.
    AdobeDrm,
    /// `12`: paper book.
    Paper,
    /// `22`: podcast.
    Podcast,
    /// `23`: podcast episode.
    PodcastEpisode,
    /// A code this version does not know, kept as sent.
    Other(String),
}

impl WorkType {
    /// Reads a type code; unknown codes become [`WorkType::Other`].
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "0" | "" => Self::Text,
            "1" => Self::Audio,
            "4" => Self::Pdf,
            "11" => Self::AdobeDrm,
            "12" => Self::Paper,
            "22" => Self::Podcast,
            "23" => Self::PodcastEpisode,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Returns the code LitRes uses for this type.
    pub fn code(&self) -> &str {
        match self {
            Self::Text => "0",
            Self::Audio => "1",
            Self::Pdf => "4",
            Self::AdobeDrm => "11",
            Self::Paper => "12",
            Self::Podcast => "22",
            Self::PodcastEpisode => "23",
            Self::Other(code) => code,
        }
    }

    /// Returns true for types whose files come in groups (audio and PDF)
    /// rather than as one file per text format.
    pub fn has_file_groups(&self) -> bool {
        matches!(self, Self::Audio | Self::Pdf)
    }
}

impl fmt::Display for WorkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for WorkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WorkType({})", self.code())
    }
}

impl Serialize for WorkType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for WorkType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum NumberOrText {
            Number(u64),
            Text(String),
        }
        Ok(match NumberOrText::deserialize(deserializer)? {
            NumberOrText::Number(code) => Self::from_code(&code.to_string()),
            NumberOrText::Text(code) => Self::from_code(&code),
        })
    }
}

/// File format of a text book, such as `fb2.zip` or `epub`.
///
/// Any format LitRes sends is kept; the known ones are only constants.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileFormat(String);

impl FileFormat {
    /// FictionBook 2 in a zip archive, the default of `get_the_book`.
    pub const FB2_ZIP: &'static str = "fb2.zip";
    /// EPUB.
    pub const EPUB: &'static str = "epub";
    /// PDF laid out for A4 pages.
    pub const A4_PDF: &'static str = "a4.pdf";
    /// Mobipocket.
    pub const MOBI_PRC: &'static str = "mobi.prc";

    /// Wraps a format name, trimmed and in lower case.
    pub fn new(name: &str) -> Self {
        Self(name.trim().to_ascii_lowercase())
    }

    /// Returns the format name, which is also the file extension.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileFormat({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_type_keeps_unknown_codes() {
        let kind = WorkType::from_code("77");
        assert_eq!(kind, WorkType::Other("77".into()));
        assert_eq!(kind.code(), "77");
    }

    #[test]
    fn work_type_round_trips_known_codes() {
        for code in ["0", "1", "4", "11", "12", "22", "23"] {
            assert_eq!(WorkType::from_code(code).code(), code);
        }
    }

    #[test]
    fn file_format_is_lowercased() {
        assert_eq!(FileFormat::new(" EPUB ").as_str(), "epub");
    }
}
