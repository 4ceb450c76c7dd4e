<?php
/**
 * Imports the sandbox catalog through the pull loop into a LitresArrayStore
 * and writes the store as JSON to $LITRES_DUMP, which the Rust test
 * compares with the same import into its MemoryStore.
 */
require __DIR__ . '/lib/check.php';

$litres = new Litres(env('LITRES_LIB'));
check($litres->abiVersion() === Litres::ABI_VERSION, 'ABI version is ' . Litres::ABI_VERSION);
check($litres->version() === env('LITRES_VERSION'), 'library version is ' . env('LITRES_VERSION'));

$client = $litres->client(testSettings());
$store = new LitresArrayStore();

$genres = $client->updateGenres($store);
check($genres['op'] === 'done', 'genre update ends with done');
check($genres['success'] === true, 'genre update succeeds');
check($genres['report']['created'] > 0, "genre update created {$genres['report']['created']} categories");

$books = $client->updateBooks($store, testParams());
check($books['report']['created'] > 0, "product update created {$books['report']['created']} products");
check($store->snapshot === null, 'no window is left open');

$again = $client->updateGenres($store);
check($again['report']['created'] === 0, 'genre rerun creates nothing');

$dump = json_encode($store->dump(), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
check(file_put_contents(env('LITRES_DUMP'), $dump) !== false, 'store dump written');
echo json_encode($books['report']['failed']), "\n";
