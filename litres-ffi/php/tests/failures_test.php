<?php
/**
 * Failure paths of the wrapper and the library: bad config, wrong ABI
 * version, invalid answers, store exceptions, NULL frees and freed job
 * handles.
 */
require __DIR__ . '/lib/check.php';

$lib = env('LITRES_LIB');
$litres = new Litres($lib);
$ffi = $litres->ffi();

// Bad JSON config, sent raw because json_encode cannot make one.
$out = $ffi->new('LitresClient *');
$status = $ffi->litres_client_new('{"partner_id": ', 15, FFI::addr($out));
check($status === $ffi->LITRES_STATUS_INVALID_CONFIG, 'bad JSON config returns INVALID_CONFIG');
check(FFI::isNull($out), 'no client is written on failure');
$message = $litres->takeString($ffi->litres_last_error());
check(strpos($message, 'invalid JSON config') !== false, "last error: $message");

$e = expectLitresError(function () use ($litres) {
    $litres->client(array('partner_id' => 'TEST', 'secret_key' => 'k', 'base_url' => 'ftp://x'));
}, 'invalid base_url');
check($e->getCode() === $ffi->LITRES_STATUS_INVALID_CONFIG, 'exception code is INVALID_CONFIG');
check(strpos($e->getMessage(), 'base_url') !== false, 'message names base_url');

$e = expectLitresError(function () use ($litres) {
    $litres->client(array('partner' => 'TEST'));
}, 'unknown setting');
check(strpos($e->getMessage(), 'partner') !== false, 'message names the unknown setting');

// Wrong ABI version.
class FutureLitres extends Litres
{
    const ABI_VERSION = 999;
}
$e = expectLitresError(function () use ($lib) {
    new FutureLitres($lib);
}, 'wrapper for another ABI version');
check(strpos($e->getMessage(), 'ABI version 1') !== false, 'message shows the library ABI version');

// Invalid answer: a product id that is not a number.
class BadIdStore extends LitresArrayStore
{
    public function createProduct(array $draft)
    {
        parent::createProduct($draft);
        return 'seven';
    }
}
$client = $litres->client(testSettings());
$store = new BadIdStore();
$client->updateGenres($store);
$e = expectLitresError(function () use ($client, $store) {
    $client->updateBooks($store, testParams());
}, 'invalid create_product answer');
check($e->getCode() === $ffi->LITRES_STATUS_INVALID_ANSWER, 'exception code is INVALID_ANSWER');
check(strpos($e->getMessage(), '`create_product`') !== false, 'message names the op');
check(strpos($e->getMessage(), 'product id') !== false, 'message says what was expected');
check($store->snapshot === null, 'the window was rolled back');
check(count($store->data['products']) === 0, 'no product was committed');
check(count($store->data['checkpoints']) === 0, 'no checkpoint was committed');
check(in_array('abort_window', $store->ops, true), 'the engine sent abort_window');
check(!in_array('commit_window', $store->ops, true), 'the engine sent no commit_window');

// A PHP exception in the store cancels the job, rolls back, and is rethrown.
class ThrowingStore extends LitresArrayStore
{
    public function createProduct(array $draft)
    {
        throw new DomainException('disk full');
    }
}
$store = new ThrowingStore();
$client->updateGenres($store);
try {
    $client->updateBooks($store, testParams());
    check(false, 'a store exception is rethrown');
} catch (DomainException $e) {
    check($e->getMessage() === 'disk full', 'the store exception is rethrown as is');
}
check($store->snapshot === null, 'the window was rolled back after the store exception');
check(count($store->data['products']) === 0, 'no product was committed after the store exception');

// A LitresStoreException fails one record, not the run.
class RejectingStore extends LitresArrayStore
{
    private $rejected = false;

    public function createProduct(array $draft)
    {
        if (!$this->rejected) {
            $this->rejected = true;
            throw new LitresStoreException('rejected', 'name too long');
        }
        return parent::createProduct($draft);
    }
}
$store = new RejectingStore();
$client->updateGenres($store);
$done = $client->updateBooks($store, testParams());
check($done['success'] === false, 'a rejected record makes the run unsuccessful');
$reasons = array_column($done['report']['failed'], 'reason');
check(count(preg_grep('/name too long/', $reasons)) >= 1, 'the report carries the store message');
check(count($store->data['products']) > 0, 'the other records were imported');

// Freeing NULL does nothing.
$ffi->litres_string_free(null);
$ffi->litres_client_free(null);
check($ffi->litres_job_free(null) === $ffi->LITRES_STATUS_OK, 'litres_job_free(NULL) returns OK');

// Calls after free on a job handle are detected.
$rawClient = $ffi->new('LitresClient *');
$json = json_encode(testSettings());
$litres->check($ffi->litres_client_new($json, strlen($json), FFI::addr($rawClient)));
$job = $ffi->new('LitresJob *');
$litres->check($ffi->litres_genres_start($rawClient, FFI::addr($job)));
check($ffi->litres_job_free($job) === $ffi->LITRES_STATUS_OK, 'first job free returns OK');
check($ffi->litres_job_free($job) === $ffi->LITRES_STATUS_INVALID_HANDLE, 'second job free returns INVALID_HANDLE');
$request = $ffi->new('char *');
$status = $ffi->litres_job_next($job, FFI::addr($request));
check($status === $ffi->LITRES_STATUS_INVALID_HANDLE, 'next on a freed job returns INVALID_HANDLE');
check(FFI::isNull($request), 'no request is written for a freed job');
$ffi->litres_client_free($rawClient);

// Download link and feed inspection.
$link = $client->downloadLink(666, 'fb2-test-id-123', 'epub', 1223476767);
check(strpos($link, 'https://dl.example.com/get_litres_file/1223476707/666/fb2-test-id-123.epub?sha=') === 0, "download link $link");
$e = expectLitresError(function () use ($client) {
    $client->downloadLink(666, 'fb2-test-id-123', 'ep/ub');
}, 'download link with an invalid extension');
check($e->getCode() === $ffi->LITRES_STATUS_INVALID_ARGUMENT, 'exception code is INVALID_ARGUMENT');

$lines = $litres->inspectFeed(env('LITRES_FEED'));
$summary = end($lines);
check($summary['kind'] === 'summary' && $summary['complete'] === true, 'feed inspection ends with a complete summary');
check($lines[0]['kind'] === 'updated' || $lines[0]['kind'] === 'removed', 'feed inspection returns records');
