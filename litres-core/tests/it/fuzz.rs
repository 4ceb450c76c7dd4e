//! Fuzz-style tests of the feed decoder.
