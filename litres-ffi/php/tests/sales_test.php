<?php
/**
 * Sale notification and buyer links through the wrapper, with orders in
 * a LitresArrayStore. The Rust test sets the sandbox to reject the
 * second book and then checks which sales the sandbox recorded.
 */
require __DIR__ . '/lib/check.php';

$litres = new Litres(env('LITRES_LIB'));
$ffi = $litres->ffi();
$settings = json_decode(env('LITRES_SALE_CONFIG'), true);
$books = json_decode(env('LITRES_BOOKS'), true);
$client = $litres->client($settings);

function order($id, $status, array $book)
{
    return array(
        'id' => $id,
        'status' => $status,
        'user_id' => '42',
        'email' => 'buyer@example.com',
        'lines' => array(
            array('product_id' => 7, 'art_id' => $book[0], 'external_id' => $book[1], 'price' => '109.00'),
            array('product_id' => 8, 'art_id' => null, 'external_id' => null, 'price' => '5.00'),
        ),
    );
}

$store = new LitresArrayStore();
$store->insertOrder(order(1, 'P', $books[0]));
$store->insertOrder(order(2, 'O', $books[0]));
$store->insertOrder(order(3, 'P', $books[1]));

// Notify order 1 once, then again.
$done = $client->notify($store, 1);
check($done['success'] === true, 'notify of order 1 succeeds');
check($done['report']['lines'][0]['outcome'] === 'sent', 'the book line is sent');
check($done['report']['lines'][1]['outcome'] === 'skipped', 'the line that is not a book is skipped');
check($store->notifications['1:7']['state'] === 'sent', 'the PHP store saved the sent state');
$again = $client->notify($store, 1);
check($again['report']['lines'][0]['outcome'] === 'skipped', 'a second notify skips the sent line');
check($again['report']['lines'][0]['reason'] === 'already sent', 'the skip reason is "already sent"');

// The sandbox rejects the second book.
$rejected = $client->notify($store, 3);
check($rejected['success'] === false, 'notify of a rejected sale reports no success');
check($rejected['report']['lines'][0]['outcome'] === 'rejected', 'the line is rejected');
check($store->orders[3]['status'] === 'F', 'the rejected order moves to the failed status F');
check(
    strpos($store->orders[3]['status_reason'], 'rejected by the sandbox') !== false,
    'the order records the rejection reason: ' . $store->orders[3]['status_reason']
);

// Nothing is due any more: order 2 is unpaid and the others are final.
$pending = $client->notifyPending($store);
check(count($pending['report']['lines']) === 0, 'the pending run finds no due line');

// Test mode records the sale without sending it.
$testSettings = $settings;
$testSettings['test_mode'] = true;
$testClient = $litres->client($testSettings);
$store->insertOrder(order(4, 'C', $books[0]));
$test = $testClient->notify($store, 4);
check($test['report']['lines'][0]['outcome'] === 'test', 'test mode reports the line as test');
check($store->notifications['4:7']['state'] === 'test', 'test mode saves the test state');

// A buyer link for the sent line is accepted by the sandbox.
$link = $client->buyerLink($store, 1, 7, 'epub');
check(strpos($link, '/get_litres_file/') !== false, "the buyer link is a get_litres_file link: $link");
$context = stream_context_create(array('http' => array('ignore_errors' => true, 'timeout' => 10)));
$body = file_get_contents(str_replace('https://', 'http://', $link), false, $context);
check(strpos($http_response_header[0], ' 200') !== false, 'the sandbox serves the link: ' . $http_response_header[0]);
check(strpos($body, 'book: ' . strtolower($books[0][1])) !== false, 'the file names the book');

// Orders that may not get a link; order 6 is paid but not notified yet.
$store->insertOrder(order(6, 'P', $books[0]));
$refused = array(
    array(2, 'not_paid'),
    array(6, 'not_notified'),
    array(9, 'order_not_found'),
);
foreach ($refused as $case) {
    try {
        $client->buyerLink($store, $case[0], 7, 'epub');
        check(false, "order {$case[0]} gets no link");
    } catch (LitresLinkRefusedException $e) {
        check($e->getReason() === $case[1], "order {$case[0]} is refused as {$case[1]}: {$e->getMessage()}");
    }
}

// An invalid order answer fails the job and names the op.
class NumberPriceStore extends LitresArrayStore
{
    public function loadOrder($orderId)
    {
        $order = parent::loadOrder($orderId);
        $order['lines'][0]['price'] = 109;
        return $order;
    }
}
$bad = new NumberPriceStore();
$bad->insertOrder(order(5, 'P', $books[0]));
$e = expectLitresError(function () use ($client, $bad) {
    $client->notify($bad, 5);
}, 'notify with a number price');
check($e->getCode() === $ffi->LITRES_STATUS_INVALID_ANSWER, 'the code is INVALID_ANSWER');
check(strpos($e->getMessage(), '`load_order`') !== false, 'the message names load_order');
check($bad->ops === array('load_order'), 'the job sends no request after the invalid answer');
check(count($bad->notifications) === 0, 'no state is saved');

$e = expectLitresError(function () use ($client, $store) {
    $client->notify($store, '1; drop');
}, 'notify with an order id that is not a number');
check($e->getCode() === $ffi->LITRES_STATUS_INVALID_ARGUMENT, 'the code is INVALID_ARGUMENT');
check(strpos($e->getMessage(), "'1; drop'") !== false, 'the message names the value');
