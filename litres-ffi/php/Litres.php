<?php
/**
 * PHP wrapper of the litres-ffi C library, loaded through FFI.
 *
 * Runs on PHP 7.4 and later with the FFI extension. FFI works in the CLI
 * with the default `ffi.enable=preload`; php-fpm needs `ffi.enable=true`
 * or preloading. Every string the library returns is copied with
 * FFI::string() and freed with litres_string_free().
 */

/** A failed library call; the code is the library's status value. */
class LitresException extends RuntimeException
{
}

/**
 * Thrown by a LitresStore method to report a store failure to the
 * engine. The kind is one of not_found, rejected, config, unavailable
 * (retrying later may work) or corrupt.
 */
class LitresStoreException extends RuntimeException
{
    /** @var string */
    private $kind;

    /**
     * @param string $kind
     * @param string $message
     */
    public function __construct($kind, $message)
    {
        parent::__construct($message);
        $this->kind = $kind;
    }

    /** @return string */
    public function getKind()
    {
        return $this->kind;
    }
}

/**
 * The shop's catalog, one method per store request of the pull loop.
 * Arrays are the JSON objects of the request, decoded as associative
 * arrays; ids are integers and times are "YYYY-MM-DD HH:MM:SS" strings in
 * Moscow time.
 */
interface LitresStore
{
    /** @return array[] every genre category: id, genre_path, name, parent, position, enabled */
    public function genreCategories();

    /** @return int the new category id */
    public function createCategory(array $draft);

    /** Overwrites name, parent, position and status; keeps genre_path. */
    public function updateCategory($id, array $draft);

    public function disableCategory($id);

    /** @return array|null id, content_hash, cover_url, status, source_updated */
    public function findProduct($artId);

    /** @return int the new product id */
    public function createProduct(array $draft);

    public function updateProduct($id, array $draft, $sendCover);

    /** Sets status "disabled" and, when $changedAt is not null, source_updated. */
    public function disableProduct($id, $changedAt);

    /** @return string|null the checkpoint of a work type */
    public function loadCheckpoint($workType);

    public function beginWindow();

    /** Saves the checkpoint and ends the window's writes. */
    public function commitWindow($workType, $checkpoint);

    /** Drops what was written since beginWindow, where the store can. */
    public function abortWindow();
}

/**
 * The shop's orders, one method per order request of the pull loop, for
 * sale notification and buyer links. An order is an array with id,
 * status, status_reason (string or null), user_id, email and lines. Each
 * line has product_id, art_id (null for a product that is not a LitRes
 * book), external_id (string or null) and price. The price is a decimal
 * string such as "109.00", and ids are integers.
 */
interface LitresOrderStore
{
    /** @return array|null the order, or null when it does not exist */
    public function loadOrder($orderId);

    /**
     * Lists, in id order, the orders in one of $statuses with a LitRes
     * line that has no saved state, and the orders of any status with a
     * line whose state is "pending" or "in_flight".
     *
     * @param string[] $statuses
     * @return int[]
     */
    public function ordersToNotify(array $statuses);

    /** Sets the order's status and records $reason. Throws not_found for an unknown order. */
    public function setOrderStatus($orderId, $status, $reason);

    /** @return array|null the state last saved for the line, unchanged, or null */
    public function loadNotification($orderId, $productId);

    /**
     * Saves the line's state durably before returning, replacing the
     * last. Throws not_found when the order has no line for the product.
     * Keep $state as it is, because loadNotification must return it
     * unchanged.
     */
    public function saveNotification($orderId, $productId, array $state);
}

/** A buyer link that was not issued; getReason() is the library's reason code. */
class LitresLinkRefusedException extends LitresException
{
    /** @var string */
    private $reason;

    /**
     * @param string $reason  order_not_found, line_not_found, not_paid, not_litres or not_notified
     * @param string $message
     */
    public function __construct($reason, $message)
    {
        parent::__construct($message);
        $this->reason = $reason;
    }

    /** @return string */
    public function getReason()
    {
        return $this->reason;
    }
}

/** The loaded library. */
class Litres
{
    /** ABI version this wrapper was written for. */
    const ABI_VERSION = 1;

    /** @var FFI */
    private $ffi;

    /**
     * Loads the library and checks its ABI version.
     *
     * @param string      $libraryPath path of liblitres_ffi.so
     * @param string|null $headerPath  preprocessor-free header; default
     *                                 ../include/litres_php.h
     */
    public function __construct($libraryPath, $headerPath = null)
    {
        if ($headerPath === null) {
            $headerPath = __DIR__ . '/../include/litres_php.h';
        }
        $header = @file_get_contents($headerPath);
        if ($header === false) {
            throw new LitresException("cannot read the litres header $headerPath");
        }
        $this->ffi = FFI::cdef($header, $libraryPath);
        $found = $this->ffi->litres_abi_version();
        if ($found !== static::ABI_VERSION) {
            throw new LitresException(sprintf(
                'the litres library at %s has ABI version %d, but this wrapper needs %d; '
                . 'install the library and Litres.php from the same release',
                $libraryPath,
                $found,
                static::ABI_VERSION
            ));
        }
    }

    /** @return FFI the raw bindings, for calls the wrapper does not cover */
    public function ffi()
    {
        return $this->ffi;
    }

    /** @return string the library version, such as 0.1.0 */
    public function version()
    {
        return $this->takeString($this->ffi->litres_version());
    }

    /** @return int */
    public function abiVersion()
    {
        return $this->ffi->litres_abi_version();
    }

    /**
     * Makes a client from settings with the add-on's names.
     *
     * @return LitresClient
     */
    public function client(array $settings)
    {
        $json = json_encode($settings, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        $out = $this->ffi->new('LitresClient *');
        $this->check($this->ffi->litres_client_new($json, strlen($json), FFI::addr($out)));
        return new LitresClient($this, $out);
    }

    /**
     * Parses a saved feed file.
     *
     * @return array[] one array per record, then a "summary" entry
     */
    public function inspectFeed($path)
    {
        $out = $this->ffi->new('char *');
        $this->check($this->ffi->litres_feed_inspect($path, strlen($path), FFI::addr($out)));
        $lines = array();
        foreach (explode("\n", trim($this->takeString($out))) as $line) {
            $lines[] = json_decode($line, true);
        }
        return $lines;
    }

    /**
     * Throws the library's last error unless $status is OK.
     *
     * @param int $status
     */
    public function check($status)
    {
        if ($status !== $this->ffi->LITRES_STATUS_OK) {
            throw $this->error($status);
        }
    }

    /**
     * @param int $status
     * @return LitresException
     */
    public function error($status)
    {
        $message = $this->takeString($this->ffi->litres_last_error());
        if ($message === null) {
            $message = "litres call failed with status $status";
        }
        return new LitresException($message, $status);
    }

    /**
     * Copies a returned string and frees it; NULL gives null.
     *
     * @return string|null
     */
    public function takeString($pointer)
    {
        if ($pointer === null || FFI::isNull($pointer)) {
            return null;
        }
        $text = FFI::string($pointer);
        $this->ffi->litres_string_free($pointer);
        return $text;
    }

    /**
     * Runs the pull loop of a job until its done object, then frees it.
     *
     * A store exception other than LitresStoreException cancels the job;
     * the loop still answers the engine's abort_window requests so the
     * store can roll back, then rethrows it.
     *
     * @param LitresStore|LitresOrderStore $store the store the job's requests go to
     * @return array the done object: op, success, and report or link
     */
    public function runJob($job, $store)
    {
        $thrown = null;
        try {
            while (true) {
                $out = $this->ffi->new('char *');
                $status = $this->ffi->litres_job_next($job, FFI::addr($out));
                if ($status !== $this->ffi->LITRES_STATUS_OK) {
                    if ($thrown !== null) {
                        throw $thrown;
                    }
                    throw $this->error($status);
                }
                $request = json_decode($this->takeString($out), true);
                if ($request['op'] === 'done') {
                    return $request;
                }
                try {
                    $answer = json_encode(
                        array('ok' => LitresDispatch::call($store, $request)),
                        JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR
                    );
                } catch (LitresStoreException $e) {
                    $answer = json_encode(array('error' => array(
                        'kind' => $e->getKind(),
                        'message' => $e->getMessage(),
                    )));
                } catch (Throwable $e) {
                    $thrown = $e;
                    $this->check($this->ffi->litres_job_cancel($job));
                    continue;
                }
                $status = $this->ffi->litres_job_answer($job, $answer, strlen($answer));
                // An invalid answer fails the job, which then sends only
                // abort_window; litres_job_next reports the error at the end.
                if ($status !== $this->ffi->LITRES_STATUS_INVALID_ANSWER) {
                    $this->check($status);
                }
            }
        } finally {
            $this->ffi->litres_job_free($job);
        }
    }
}

/** A client handle: settings and a LitRes connection. */
class LitresClient
{
    /** @var Litres */
    private $litres;

    /** @var FFI\CData|null */
    private $handle;

    public function __construct(Litres $litres, $handle)
    {
        $this->litres = $litres;
        $this->handle = $handle;
    }

    public function __destruct()
    {
        $this->close();
    }

    /** Frees the handle; later calls throw. */
    public function close()
    {
        if ($this->handle !== null) {
            $this->litres->ffi()->litres_client_free($this->handle);
            $this->handle = null;
        }
    }

    /** @return array the done object of the genre update */
    public function updateGenres(LitresStore $store)
    {
        $ffi = $this->litres->ffi();
        $job = $ffi->new('LitresJob *');
        $this->litres->check($ffi->litres_genres_start($this->handle(), FFI::addr($job)));
        return $this->litres->runJob($job, $store);
    }

    /**
     * Runs the product update.
     *
     * @param array $params product_type, from, days, minutes, uuid
     * @return array the done object; success is false when a window or
     *               record failed
     */
    public function updateBooks(LitresStore $store, array $params = array())
    {
        $ffi = $this->litres->ffi();
        $json = json_encode((object) $params);
        $job = $ffi->new('LitresJob *');
        $this->litres->check(
            $ffi->litres_books_start($this->handle(), $json, strlen($json), FFI::addr($job))
        );
        return $this->litres->runJob($job, $store);
    }

    /**
     * Reports the due LitRes lines of one order to LitRes.
     *
     * @param bool $resendUnconfirmed send again lines an interrupted run left in flight
     * @return array the done object; report has lines and failed_orders,
     *               and success is false when a line was rejected, gave up
     *               or failed
     */
    public function notify(LitresOrderStore $store, $orderId, $resendUnconfirmed = false)
    {
        $params = array(
            'order_id' => $this->wholeNumber('order id', $orderId),
            'resend_unconfirmed' => (bool) $resendUnconfirmed,
        );
        return $this->runNotify($store, $params);
    }

    /**
     * Reports every order that ordersToNotify lists: the cron run.
     *
     * @param bool $resendUnconfirmed send again lines an interrupted run left in flight
     * @return array the done object, as for notify()
     */
    public function notifyPending(LitresOrderStore $store, $resendUnconfirmed = false)
    {
        $params = array('pending' => true, 'resend_unconfirmed' => (bool) $resendUnconfirmed);
        return $this->runNotify($store, $params);
    }

    /**
     * Builds the buyer link of a paid order line whose sale LitRes
     * accepted, valid 12 hours.
     *
     * @param string $format  a text format such as "epub" or "fb2.zip"
     * @param int    $nowUnix Unix time; 0 reads the clock
     * @return string
     * @throws LitresLinkRefusedException when the line may not get a link
     */
    public function buyerLink(LitresOrderStore $store, $orderId, $productId, $format, $nowUnix = 0)
    {
        $ffi = $this->litres->ffi();
        $json = json_encode(array(
            'order_id' => $this->wholeNumber('order id', $orderId),
            'product_id' => $this->wholeNumber('product id', $productId),
            'format' => (string) $format,
            'now_unix' => (int) $nowUnix,
        ));
        $job = $ffi->new('LitresJob *');
        $this->litres->check(
            $ffi->litres_buyer_link_start($this->handle(), $json, strlen($json), FFI::addr($job))
        );
        $done = $this->litres->runJob($job, $store);
        if (!$done['success']) {
            throw new LitresLinkRefusedException($done['refused']['reason'], $done['refused']['message']);
        }
        return $done['link'];
    }

    /**
     * Returns an id given as an int or a string of digits; anything else,
     * such as "1; drop" that a cast would turn into 1, is an error.
     *
     * @param string     $name
     * @param int|string $value
     * @return int
     */
    private function wholeNumber($name, $value)
    {
        if (is_int($value) && $value >= 0) {
            return $value;
        }
        if (is_string($value) && $value !== '' && ctype_digit($value)) {
            return (int) $value;
        }
        throw new LitresException(
            sprintf('invalid %s %s: expected a whole number', $name, var_export($value, true)),
            $this->litres->ffi()->LITRES_STATUS_INVALID_ARGUMENT
        );
    }

    private function runNotify(LitresOrderStore $store, array $params)
    {
        $ffi = $this->litres->ffi();
        $json = json_encode($params);
        $job = $ffi->new('LitresJob *');
        $this->litres->check(
            $ffi->litres_notify_start($this->handle(), $json, strlen($json), FFI::addr($job))
        );
        return $this->litres->runJob($job, $store);
    }

    /**
     * Builds a signed buyer download link, valid 12 hours, without
     * checking the order: buyerLink() checks payment and the sale first.
     *
     * @param int $nowUnix Unix time; 0 reads the clock
     * @return string
     */
    public function downloadLink($userId, $externalId, $ext, $nowUnix = 0)
    {
        $ffi = $this->litres->ffi();
        $out = $ffi->new('char *');
        $userId = (string) $userId;
        $this->litres->check($ffi->litres_download_link(
            $this->handle(),
            $userId,
            strlen($userId),
            $externalId,
            strlen($externalId),
            $ext,
            strlen($ext),
            $nowUnix,
            FFI::addr($out)
        ));
        return $this->litres->takeString($out);
    }

    private function handle()
    {
        if ($this->handle === null) {
            throw new LitresException('the litres client was closed');
        }
        return $this->handle;
    }
}

/** Calls the LitresStore or LitresOrderStore method of one store request. */
final class LitresDispatch
{
    /** Ops of LitresOrderStore. */
    const ORDER_OPS = array(
        'load_order', 'orders_to_notify', 'set_order_status', 'load_notification', 'save_notification',
    );

    /**
     * @param LitresStore|LitresOrderStore $store
     * @return mixed the value of the ok answer
     */
    public static function call($store, array $request)
    {
        $op = $request['op'];
        $orders = in_array($op, self::ORDER_OPS, true);
        $expected = $orders ? 'LitresOrderStore' : 'LitresStore';
        if (!($store instanceof $expected)) {
            throw new LitresStoreException(
                'config',
                sprintf('the %s request needs a %s, but the store is a %s', $op, $expected, get_class($store))
            );
        }
        return $orders ? self::callOrders($store, $request) : self::callCatalog($store, $request);
    }

    /** @return mixed */
    private static function callOrders(LitresOrderStore $store, array $request)
    {
        switch ($request['op']) {
            case 'load_order':
                return $store->loadOrder($request['order_id']);
            case 'orders_to_notify':
                return $store->ordersToNotify($request['statuses']);
            case 'set_order_status':
                $store->setOrderStatus($request['order_id'], $request['status'], $request['reason']);
                return null;
            case 'load_notification':
                return $store->loadNotification($request['order_id'], $request['product_id']);
        }
        $store->saveNotification($request['order_id'], $request['product_id'], $request['state']);
        return null;
    }

    /** @return mixed */
    private static function callCatalog(LitresStore $store, array $request)
    {
        switch ($request['op']) {
            case 'genre_categories':
                return $store->genreCategories();
            case 'create_category':
                return $store->createCategory($request['draft']);
            case 'update_category':
                $store->updateCategory($request['id'], $request['draft']);
                return null;
            case 'disable_category':
                $store->disableCategory($request['id']);
                return null;
            case 'find_product':
                return $store->findProduct($request['art_id']);
            case 'create_product':
                return $store->createProduct($request['draft']);
            case 'update_product':
                $store->updateProduct($request['id'], $request['draft'], $request['send_cover']);
                return null;
            case 'disable_product':
                $store->disableProduct($request['id'], $request['changed_at']);
                return null;
            case 'load_checkpoint':
                return $store->loadCheckpoint($request['work_type']);
            case 'begin_window':
                $store->beginWindow();
                return null;
            case 'commit_window':
                $store->commitWindow($request['work_type'], $request['checkpoint']);
                return null;
            case 'abort_window':
                $store->abortWindow();
                return null;
        }
        throw new LitresStoreException(
            'corrupt',
            'unknown store request op ' . json_encode($request['op'])
                . '; update Litres.php to the library version'
        );
    }
}
