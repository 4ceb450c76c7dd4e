//! Change detection: a hash over everything a product write would send.

use sha2::{Digest, Sha256};

use crate::store::ProductDraft;

/// Returns the content hash of a draft: SHA-256 over its JSON form with the
/// hash and the change time left empty, as lower-case hex.
///
/// Equal hashes mean a write would change nothing. The JSON form follows
/// the field order of [`ProductDraft`], so the hash is stable across runs
/// of the same build. A release that changes the draft changes every hash
/// once, so each product is rewritten one time.
pub fn content_hash(draft: &ProductDraft) -> String {
    let mut unhashed = draft.clone();
    unhashed.content_hash.clear();
    unhashed.source_updated = None;
    // The draft has only string map keys and no custom serializer that
    // fails, so serde_json cannot return an error here.
    let json = serde_json::to_vec(&unhashed).unwrap_or_default();
    hex::encode(Sha256::digest(&json))
}
