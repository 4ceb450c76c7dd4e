<?php
/**
 * Sandbox faults the Rust test injects before running this script: an
 * HTML error page for the genre tree and a malformed feed record.
 */
require __DIR__ . '/lib/check.php';

$litres = new Litres(env('LITRES_LIB'));
$client = $litres->client(testSettings());
$store = new LitresArrayStore();

$e = expectLitresError(function () use ($client, $store) {
    $client->updateGenres($store);
}, 'genre update against an HTML error page');
check($e->getCode() === $litres->ffi()->LITRES_STATUS_UPDATE_FAILED, 'exception code is UPDATE_FAILED');
check(strpos($e->getMessage(), 'LitRes') !== false, 'message names LitRes');

$done = $client->updateBooks($store, testParams());
check($done['success'] === false, 'a malformed record makes the run unsuccessful');
$ids = array_column($done['report']['failed'], 'art_id');
check(in_array(999999999, $ids, true), 'the malformed record is reported by art id');
check($done['report']['created'] > 0, 'the other records were imported');
check($store->snapshot === null, 'no window is left open');
