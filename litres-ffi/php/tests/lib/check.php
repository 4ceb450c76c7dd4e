<?php
/**
 * Helpers of the PHP tests: assertions that print "ok: ..." lines and
 * exit 1 on the first failure, and the settings from the environment the
 * Rust test sets.
 */

require_once __DIR__ . '/../../Litres.php';
require_once __DIR__ . '/../../LitresArrayStore.php';

function check($condition, $what)
{
    if (!$condition) {
        fwrite(STDERR, "FAIL: $what\n");
        exit(1);
    }
    echo "ok: $what\n";
}

/** Runs $call and returns the LitresException it throws, or fails. */
function expectLitresError($call, $what)
{
    try {
        $call();
    } catch (LitresException $e) {
        echo "ok: $what throws: {$e->getMessage()}\n";
        return $e;
    }
    fwrite(STDERR, "FAIL: $what did not throw\n");
    exit(1);
}

function env($name)
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fwrite(STDERR, "FAIL: environment variable $name is not set; run this script from the Rust test\n");
        exit(2);
    }
    return $value;
}

/** @return array the client settings the Rust test passes as JSON */
function testSettings()
{
    return json_decode(env('LITRES_CONFIG'), true);
}

/** @return array the product update parameters the Rust test passes */
function testParams()
{
    return json_decode(env('LITRES_PARAMS'), true);
}
