<?php
/**
 * The PHP half of `cargo run --release -p litres-ffi --example
 * bridge_bench`: imports the catalog into a store that keeps nothing and
 * prints the product update's record count and seconds as JSON.
 */
require __DIR__ . '/../Litres.php';
require __DIR__ . '/NullStore.php';

$litres = new Litres(getenv('LITRES_LIB'));
$client = $litres->client(json_decode(getenv('LITRES_CONFIG'), true));
$store = new NullStore();
$client->updateGenres($store);
$started = microtime(true);
$done = $client->updateBooks($store, json_decode(getenv('LITRES_PARAMS'), true));
$seconds = microtime(true) - $started;
echo json_encode(array('seen' => $done['report']['seen'], 'seconds' => $seconds)), "\n";
