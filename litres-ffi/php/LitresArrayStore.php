<?php
/**
 * A LitresStore and LitresOrderStore in PHP arrays that behaves like the
 * Rust MemoryStore: ids from 1, writes between beginWindow and
 * abortWindow rolled back, and orders with one notification state per
 * line. Windows cover the catalog only, never orders. For tests and dry
 * runs; it keeps nothing after the request ends.
 */
class LitresArrayStore implements LitresStore, LitresOrderStore
{
    /** @var array the categories, products and checkpoints */
    public $data = array(
        'categories' => array(),
        'products' => array(),
        'by_art_id' => array(),
        'checkpoints' => array(),
        'last_category_id' => 0,
        'last_product_id' => 0,
    );

    /** @var array|null copy of $data taken by beginWindow */
    public $snapshot = null;

    /** @var string[] ops received, in order */
    public $ops = array();

    /** @var array[] orders by id */
    public $orders = array();

    /** @var array[] notification states by "orderId:productId" */
    public $notifications = array();

    /**
     * Adds an order, as a shop's checkout would. Rejects a taken id and
     * two lines for one product, because states are kept per line.
     */
    public function insertOrder(array $order)
    {
        $id = (int) $order['id'];
        if (isset($this->orders[$id])) {
            throw new LitresStoreException('rejected', "order $id already exists in the array store");
        }
        $seen = array();
        foreach ($order['lines'] as $line) {
            $productId = (int) $line['product_id'];
            if (isset($seen[$productId])) {
                throw new LitresStoreException(
                    'rejected',
                    "order $id lists product $productId twice; merge the lines into one"
                );
            }
            $seen[$productId] = true;
        }
        $order['id'] = $id;
        $order['lines'] = array_values($order['lines']);
        if (!array_key_exists('status_reason', $order)) {
            $order['status_reason'] = null;
        }
        $this->orders[$id] = $order;
    }

    public function loadOrder($orderId)
    {
        $this->ops[] = 'load_order';
        return isset($this->orders[$orderId]) ? $this->orders[$orderId] : null;
    }

    public function ordersToNotify(array $statuses)
    {
        $this->ops[] = 'orders_to_notify';
        $ids = array();
        foreach ($this->orders as $id => $order) {
            if ($this->orderIsDue($order, in_array($order['status'], $statuses, true))) {
                $ids[] = $id;
            }
        }
        sort($ids);
        return $ids;
    }

    public function setOrderStatus($orderId, $status, $reason)
    {
        $this->ops[] = 'set_order_status';
        if (!isset($this->orders[$orderId])) {
            throw new LitresStoreException('not_found', "order $orderId not found in the array store");
        }
        $this->orders[$orderId]['status'] = $status;
        $this->orders[$orderId]['status_reason'] = $reason;
    }

    public function loadNotification($orderId, $productId)
    {
        $this->ops[] = 'load_notification';
        $key = "$orderId:$productId";
        return isset($this->notifications[$key]) ? $this->notifications[$key] : null;
    }

    public function saveNotification($orderId, $productId, array $state)
    {
        $this->ops[] = 'save_notification';
        if ($this->findLine($orderId, $productId) === null) {
            throw new LitresStoreException(
                'not_found',
                "order $orderId has no line for product $productId in the array store"
            );
        }
        $this->notifications["$orderId:$productId"] = $state;
    }

    public function genreCategories()
    {
        $this->ops[] = 'genre_categories';
        $list = array();
        foreach ($this->data['categories'] as $id => $draft) {
            $list[] = array(
                'id' => $id,
                'genre_path' => $draft['genre_path'],
                'name' => $draft['name'],
                'parent' => $draft['parent'],
                'position' => $draft['position'],
                'enabled' => $draft['enabled'],
            );
        }
        return $list;
    }

    public function createCategory(array $draft)
    {
        $this->ops[] = 'create_category';
        $id = ++$this->data['last_category_id'];
        $this->data['categories'][$id] = $draft;
        return $id;
    }

    public function updateCategory($id, array $draft)
    {
        $this->ops[] = 'update_category';
        $this->requireCategory($id);
        $draft['genre_path'] = $this->data['categories'][$id]['genre_path'];
        $this->data['categories'][$id] = $draft;
    }

    public function disableCategory($id)
    {
        $this->ops[] = 'disable_category';
        $this->requireCategory($id);
        $this->data['categories'][$id]['enabled'] = false;
    }

    public function findProduct($artId)
    {
        $this->ops[] = 'find_product';
        if (!isset($this->data['by_art_id'][$artId])) {
            return null;
        }
        $id = $this->data['by_art_id'][$artId];
        $product = $this->data['products'][$id];
        return array(
            'id' => $id,
            'content_hash' => $product['draft']['content_hash'],
            'cover_url' => $product['draft']['cover_url'],
            'status' => $product['status'],
            'source_updated' => $product['draft']['source_updated'],
        );
    }

    public function createProduct(array $draft)
    {
        $this->ops[] = 'create_product';
        $id = ++$this->data['last_product_id'];
        $this->data['products'][$id] = array('draft' => $draft, 'status' => $draft['status']);
        $this->data['by_art_id'][$draft['art_id']] = $id;
        return $id;
    }

    public function updateProduct($id, array $draft, $sendCover)
    {
        $this->ops[] = 'update_product';
        $this->requireProduct($id);
        $old = $this->data['products'][$id]['draft']['art_id'];
        unset($this->data['by_art_id'][$old]);
        $this->data['products'][$id] = array('draft' => $draft, 'status' => $draft['status']);
        $this->data['by_art_id'][$draft['art_id']] = $id;
    }

    public function disableProduct($id, $changedAt)
    {
        $this->ops[] = 'disable_product';
        $this->requireProduct($id);
        $this->data['products'][$id]['status'] = 'disabled';
        if ($changedAt !== null) {
            $this->data['products'][$id]['draft']['source_updated'] = $changedAt;
        }
    }

    public function loadCheckpoint($workType)
    {
        $this->ops[] = 'load_checkpoint';
        $key = (string) $workType;
        return isset($this->data['checkpoints'][$key]) ? $this->data['checkpoints'][$key] : null;
    }

    public function beginWindow()
    {
        $this->ops[] = 'begin_window';
        if ($this->snapshot !== null) {
            throw new LitresStoreException('rejected', 'beginWindow called while a window is open');
        }
        $this->snapshot = $this->data;
    }

    public function commitWindow($workType, $checkpoint)
    {
        $this->ops[] = 'commit_window';
        $this->data['checkpoints'][(string) $workType] = $checkpoint;
        $this->snapshot = null;
    }

    public function abortWindow()
    {
        $this->ops[] = 'abort_window';
        if ($this->snapshot !== null) {
            $this->data = $this->snapshot;
            $this->snapshot = null;
        }
    }

    /** @return array categories and products by id, and the checkpoint work types */
    public function dump()
    {
        $types = array();
        foreach (array_keys($this->data['checkpoints']) as $type) {
            $types[] = (string) $type;
        }
        sort($types);
        return array(
            'categories' => (object) $this->data['categories'],
            'products' => (object) $this->data['products'],
            'checkpoint_types' => $types,
        );
    }

    /**
     * Returns true when a line has a pending or in-flight state, or, in a
     * sending status, a LitRes line has no state yet.
     */
    private function orderIsDue(array $order, $inStatus)
    {
        foreach ($order['lines'] as $line) {
            $key = $order['id'] . ':' . $line['product_id'];
            if (!isset($this->notifications[$key])) {
                if ($inStatus && $line['art_id'] !== null) {
                    return true;
                }
                continue;
            }
            $state = $this->notifications[$key]['state'];
            if ($state === 'pending' || $state === 'in_flight') {
                return true;
            }
        }
        return false;
    }

    /** @return array|null */
    private function findLine($orderId, $productId)
    {
        if (!isset($this->orders[$orderId])) {
            return null;
        }
        foreach ($this->orders[$orderId]['lines'] as $line) {
            if ((int) $line['product_id'] === (int) $productId) {
                return $line;
            }
        }
        return null;
    }

    private function requireCategory($id)
    {
        if (!isset($this->data['categories'][$id])) {
            throw new LitresStoreException('not_found', "category $id not found");
        }
    }

    private function requireProduct($id)
    {
        if (!isset($this->data['products'][$id])) {
            throw new LitresStoreException('not_found', "product $id not found");
        }
    }
}
