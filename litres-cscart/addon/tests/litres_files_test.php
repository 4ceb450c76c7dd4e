<?php
/**
 * Tests of the `litres_files` API entity against the fake in
 * fake_cscart.php. Run: php litres-cscart/addon/tests/litres_files_test.php
 * Prints one line per failed check and exits with status 1 when any
 * check failed.
 */

require __DIR__ . '/fake_cscart.php';
require __DIR__ . '/../app/addons/ms_litres_integration/Tygh/Api/Entities/LitresFiles.php';

use Tygh\Api\Entities\LitresFiles;
use Tygh\Api\Response;

$failures = 0;

function check($name, $actual, $expected)
{
    global $failures;
    if ($actual !== $expected) {
        $failures++;
        fwrite(STDERR, "FAILED $name: expected " . var_export($expected, true)
            . ', got ' . var_export($actual, true) . "\n");
    }
}

$GLOBALS['fake_tables']['products'] = array(
    array('product_id' => 7, 'company_id' => 2),
    array('product_id' => 8, 'company_id' => 3),
);
$admin = new LitresFiles(array('company_id' => 0));
$vendor = new LitresFiles(array('company_id' => 3));

// Create a text-format file and an audio file.
$created = $admin->create(array(
    'product_id' => 7, 'file_name' => 'Book.fb2.zip', 'format' => 'fb2.zip',
    'max_downloads' => 3, 'activation_type' => 'P', 'company_id' => 2,
));
check('create status', $created['status'], Response::STATUS_CREATED);
$fb2 = $created['data']['file_id'];
$audio = $admin->create(array(
    'product_id' => 7, 'file_name' => 'Part 1.mp3', 'litres_file_id' => '998877',
));
check('second create status', $audio['status'], Response::STATUS_CREATED);
check('one description per language', count(fake_where('product_file_descriptions', 'file_id', $fb2)), 2);
$row = fake_where('product_files', 'file_id', $fb2)[0];
check('placeholder path', $row['file_path'], 'litres_fb2.zip');
check('max downloads stored', $row['max_downloads'], 3);

// Read back one file and the product's list.
$one = $admin->index($fb2);
check('index one status', $one['status'], Response::STATUS_OK);
check('index one format', $one['data']['format'], 'fb2.zip');
check('index one name', $one['data']['file_name'], 'Book.fb2.zip');
check('index one company', $one['data']['company_id'], 2);
$list = $admin->index(0, array('product_id' => 7, 'items_per_page' => 1, 'page' => 5));
check('list total', $list['data']['params']['total_items'], 2);
check('page past the end is the last page', $list['data']['params']['page'], 2);
check('last page file', $list['data']['files'][0]['litres_file_id'], '998877');

// Rejections.
$wrong_vendor = $admin->create(array('product_id' => 7, 'file_name' => 'x', 'company_id' => 3));
check('other vendor rejected', $wrong_vendor['status'], Response::STATUS_BAD_REQUEST);
$no_name = $admin->create(array('product_id' => 7));
check('missing name rejected', $no_name['status'], Response::STATUS_BAD_REQUEST);
$no_product = $admin->create(array('product_id' => 99, 'file_name' => 'x'));
check('missing product', $no_product['status'], Response::STATUS_NOT_FOUND);
$bad_activation = $admin->update($fb2, array('activation_type' => 'X'));
check('bad activation rejected', $bad_activation['status'], Response::STATUS_BAD_REQUEST);
$no_list = $admin->index(0, array());
check('list needs product_id', $no_list['status'], Response::STATUS_BAD_REQUEST);

// A vendor's key reaches only that vendor's products.
check('vendor cannot read others', $vendor->index($fb2)['status'], Response::STATUS_NOT_FOUND);
$foreign = $vendor->create(array('product_id' => 7, 'file_name' => 'x'));
check('vendor cannot attach to others', $foreign['status'], Response::STATUS_NOT_FOUND);
$own = $vendor->create(array('product_id' => 8, 'file_name' => 'Own.epub', 'format' => 'epub'));
check('vendor attaches to own product', $own['status'], Response::STATUS_CREATED);

// Update and delete.
$updated = $admin->update($fb2, array('status' => 'D', 'max_downloads' => 5, 'file_name' => 'New.fb2.zip'));
check('update status', $updated['status'], Response::STATUS_OK);
$after = $admin->index($fb2)['data'];
check('status changed', $after['status'], 'D');
check('limit changed', $after['max_downloads'], 5);
check('name changed', $after['file_name'], 'New.fb2.zip');
$deleted = $admin->delete($audio['data']['file_id']);
check('delete status', $deleted['status'], Response::STATUS_NO_CONTENT);
check('deleted file gone', $admin->index($audio['data']['file_id'])['status'], Response::STATUS_NOT_FOUND);
check('litres row gone', count(fake_where('ms_litres_files', 'file_id', $audio['data']['file_id'])), 0);
check('missing delete', $admin->delete(12345)['status'], Response::STATUS_NOT_FOUND);

$privileges = $admin->privileges();
check('privileges', array_keys($privileges), array('create', 'update', 'delete', 'index'));

if ($failures > 0) {
    fwrite(STDERR, "$failures check(s) failed\n");
    exit(1);
}
echo "litres_files entity: all checks passed\n";
