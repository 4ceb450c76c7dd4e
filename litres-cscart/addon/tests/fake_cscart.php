<?php
/**
 * A small fake of the CS-Cart pieces the add-on's API entity calls:
 * `Tygh\Api\AEntity`, `Tygh\Api\Response` and the `db_*` helpers over
 * in-memory tables. It understands only the statement shapes the entity
 * uses and throws on any other, so a new query shape fails the test
 * instead of passing unnoticed.
 */

namespace Tygh\Api {
    class Response
    {
        const STATUS_OK = 200;
        const STATUS_CREATED = 201;
        const STATUS_NO_CONTENT = 204;
        const STATUS_BAD_REQUEST = 400;
        const STATUS_FORBIDDEN = 403;
        const STATUS_NOT_FOUND = 404;
    }

    abstract class AEntity
    {
        protected $auth;

        public function __construct($auth = array())
        {
            $this->auth = $auth;
        }
    }
}

namespace {
    define('DESCR_SL', 'en');

    /** Tables by name (without the `?:` prefix), each a list of rows. */
    $GLOBALS['fake_tables'] = array(
        'products' => array(),
        'product_files' => array(),
        'product_file_descriptions' => array(),
        'ms_litres_files' => array(),
        'languages' => array(array('lang_code' => 'en'), array('lang_code' => 'ru')),
    );
    $GLOBALS['fake_next_id'] = 100;

    function fake_rows($table)
    {
        return $GLOBALS['fake_tables'][$table];
    }

    function fake_where($table, $column, $value)
    {
        return array_values(array_filter(fake_rows($table), function ($row) use ($column, $value) {
            return (string) $row[$column] === (string) $value;
        }));
    }

    function db_query($sql)
    {
        $args = array_slice(func_get_args(), 1);
        if (preg_match('/^(INSERT|REPLACE) INTO \?:(\w+) \?e$/', $sql, $m)) {
            $row = $args[0];
            if ($m[2] === 'product_files') {
                $row['file_id'] = ++$GLOBALS['fake_next_id'];
            }
            if ($m[1] === 'REPLACE') {
                $GLOBALS['fake_tables'][$m[2]] = array_values(array_filter(
                    fake_rows($m[2]),
                    function ($old) use ($row) {
                        return $old['file_id'] !== $row['file_id'];
                    }
                ));
            }
            $GLOBALS['fake_tables'][$m[2]][] = $row;
            return isset($row['file_id']) ? $row['file_id'] : true;
        }
        if (preg_match('/^UPDATE \?:(\w+) SET \?u WHERE (\w+) = \?i$/', $sql, $m)) {
            foreach ($GLOBALS['fake_tables'][$m[1]] as &$row) {
                if ((int) $row[$m[2]] === (int) $args[1]) {
                    $row = array_merge($row, $args[0]);
                }
            }
            return true;
        }
        if (preg_match('/^DELETE FROM \?:(\w+) WHERE (\w+) = \?i$/', $sql, $m)) {
            $GLOBALS['fake_tables'][$m[1]] = array_values(array_filter(
                fake_rows($m[1]),
                function ($row) use ($m, $args) {
                    return (int) $row[$m[2]] !== (int) $args[0];
                }
            ));
            return true;
        }
        throw new LogicException("fake db_query does not know: $sql");
    }

    function db_get_field($sql)
    {
        $args = array_slice(func_get_args(), 1);
        if (preg_match('/^SELECT (COUNT\(\*\)|MAX\((\w+)\)|(\w+)) FROM \?:(\w+) WHERE (\w+) = \?i$/', $sql, $m)) {
            $rows = fake_where($m[4], $m[5], $args[0]);
            if ($m[1] === 'COUNT(*)') {
                return count($rows);
            }
            if (!empty($m[2])) {
                return empty($rows) ? null : max(array_column($rows, $m[2]));
            }
            return empty($rows) ? null : $rows[0][$m[3]];
        }
        throw new LogicException("fake db_get_field does not know: $sql");
    }

    function db_get_fields($sql)
    {
        $args = array_slice(func_get_args(), 1);
        if ($sql === 'SELECT lang_code FROM ?:languages') {
            return array_column(fake_rows('languages'), 'lang_code');
        }
        $pattern = '/^SELECT file_id FROM \?:product_files WHERE product_id = \?i'
            . ' ORDER BY position, file_id LIMIT \?i, \?i$/';
        if (preg_match($pattern, $sql)) {
            $rows = fake_where('product_files', 'product_id', $args[0]);
            usort($rows, function ($a, $b) {
                return array($a['position'], $a['file_id']) <=> array($b['position'], $b['file_id']);
            });
            return array_column(array_slice($rows, $args[1], $args[2]), 'file_id');
        }
        throw new LogicException("fake db_get_fields does not know: $sql");
    }

    /** Returns the row of the entity's one row query: a file joined with
     * its product, description and LitRes fields. */
    function db_get_row($sql)
    {
        $args = array_slice(func_get_args(), 1);
        if (strpos($sql, 'FROM ?:product_files AS f') === false) {
            throw new LogicException("fake db_get_row does not know: $sql");
        }
        list($lang, $file_id) = $args;

        $files = fake_where('product_files', 'file_id', $file_id);
        if (empty($files)) {
            return array();
        }
        $file = $files[0];
        $products = fake_where('products', 'product_id', $file['product_id']);
        if (empty($products)) {
            return array();
        }
        $name = null;
        foreach (fake_where('product_file_descriptions', 'file_id', $file_id) as $row) {
            if ($row['lang_code'] === $lang) {
                $name = $row['file_name'];
            }
        }
        $litres = fake_where('ms_litres_files', 'file_id', $file_id);

        return array(
            'file_id' => $file['file_id'],
            'product_id' => $file['product_id'],
            'max_downloads' => $file['max_downloads'],
            'activation_type' => $file['activation_type'],
            'status' => $file['status'],
            'file_name' => $name,
            'format' => empty($litres) ? null : $litres[0]['format'],
            'litres_file_id' => empty($litres) ? null : $litres[0]['litres_file_id'],
            'company_id' => $products[0]['company_id'],
        );
    }
}
