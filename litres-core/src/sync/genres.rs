//! Genre update: mirror the LitRes genre tree as store categories.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use tracing::info;

use crate::model::{path_key, CategoryId, GenreTree};
use crate::store::{CartStore, CategoryDraft};

use super::config::SyncConfig;
use super::decide::{decide_category, CategoryAction};
use super::error::SyncError;
use super::report::GenreReport;

/// Fetches the genre tree and mirrors it into the store.
///
/// # Errors
///
/// [`SyncError`] when LitRes or the store fails; categories written before
/// the failure stay and the next run finds them again by tree position.
pub async fn update_genres<S>(
    client: &crate::client::Client,
    store: &S,
    config: &SyncConfig,
) -> Result<GenreReport, SyncError>
where
    S: CartStore + ?Sized,
{
    let tree = client.genres().await.map_err(SyncError::Source)?;
    apply_genre_tree(store, &tree, config).await
}

/// Mirrors a genre tree into the store: one category per tree position,
/// found again by its path of ids, so a rerun creates nothing and renames
/// what LitRes renamed. Categories whose position left the tree are
/// disabled, never deleted.
///
/// # Errors
///
/// [`SyncError::EmptyGenreTree`] for a tree with no genres, which would
/// disable every category; [`SyncError::Store`] on the first failed store
/// call.
pub async fn apply_genre_tree<S>(
    store: &S,
    tree: &GenreTree,
    config: &SyncConfig,
) -> Result<GenreReport, SyncError>
where
    S: CartStore + ?Sized,
{
    if tree.is_empty() {
        return Err(SyncError::EmptyGenreTree);
    }
    let started = Instant::now();
    let mut report = GenreReport::default();
    let existing = store.genre_categories().await.map_err(SyncError::Store)?;
    let by_path: HashMap<String, _> = existing
        .iter()
        .map(|category| (path_key(&category.genre_path), category))
        .collect();

    let mut ids: Vec<CategoryId> = Vec::with_capacity(tree.len());
    let mut sibling_counts: HashMap<Option<usize>, u32> = HashMap::new();
    let mut seen_paths: HashSet<String> = HashSet::with_capacity(tree.len());
    for node in tree.nodes() {
        let parent = match node.parent {
            Some(index) => ids.get(index).copied(),
            None => config.genre_root,
        };
        let position = sibling_counts.entry(node.parent).or_insert(0);
        let mut draft = CategoryDraft::new(node.path.clone(), node.title.trim(), parent);
        draft.position = *position * 10;
        draft.vendor_id = config.vendor_id;
        *position += 1;

        let key = node.path_key();
        let stored = by_path.get(&key).copied();
        let id = match decide_category(stored, &draft) {
            CategoryAction::Create => {
                report.created += 1;
                store
                    .create_category(&draft)
                    .await
                    .map_err(SyncError::Store)?
            }
            CategoryAction::Update => {
                let id = stored
                    .map(|category| category.id)
                    .ok_or_else(|| SyncError::internal("category to update vanished"))?;
                report.updated += 1;
                store
                    .update_category(id, &draft)
                    .await
                    .map_err(SyncError::Store)?;
                id
            }
            CategoryAction::Unchanged => {
                report.unchanged += 1;
                stored
                    .map(|category| category.id)
                    .ok_or_else(|| SyncError::internal("unchanged category vanished"))?
            }
        };
        ids.push(id);
        seen_paths.insert(key);
        report.positions += 1;
    }

    for category in &existing {
        if category.enabled && !seen_paths.contains(&path_key(&category.genre_path)) {
            store
                .disable_category(category.id)
                .await
                .map_err(SyncError::Store)?;
            report.disabled += 1;
        }
    }
    report.elapsed = started.elapsed();
    info!(
        positions = report.positions,
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        disabled = report.disabled,
        "genre update finished"
    );
    Ok(report)
}
