<?php
/**
 * The async runtime starts at the first update, not at load, and a child
 * forked after that, as PHP-FPM forks workers, runs updates on a runtime
 * of its own.
 */
require __DIR__ . '/lib/check.php';

function threadCount()
{
    return count(scandir('/proc/self/task')) - 2;
}

$before = threadCount();
$litres = new Litres(env('LITRES_LIB'));
$client = $litres->client(testSettings());
check(threadCount() === $before, 'loading the library and making a client start no thread');

$store = new LitresArrayStore();
$client->updateGenres($store);
check(threadCount() >= $before + 2, 'the first update starts the runtime workers');

$pid = pcntl_fork();
check($pid !== -1, 'fork succeeded');
if ($pid === 0) {
    // Child: the parent's runtime threads and pooled connections are
    // useless here. A reused connection would wait for the 30 s request
    // timeout, so the update must end well before that.
    $started = microtime(true);
    $childStore = new LitresArrayStore();
    $done = $client->updateGenres($childStore);
    if ($done['report']['created'] === 0) {
        exit(3);
    }
    exit(microtime(true) - $started < 10 ? 0 : 4);
}
pcntl_waitpid($pid, $status);
check(pcntl_wifexited($status), 'the forked child exited');
check(pcntl_wexitstatus($status) === 0, 'an update in a forked child succeeds within 10 s (exit status ' . pcntl_wexitstatus($status) . ')');

$again = $client->updateGenres($store);
check($again['success'] === true, 'the parent still runs updates after the fork');
