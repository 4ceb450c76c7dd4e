<?php
/**
 * REST API entity `litres_files`: the downloadable files of a LitRes
 * product, which CS-Cart's own API does not expose.
 *
 * URL: /api/litres_files[/<file_id>]. A file is an ordinary row of
 * `product_files` (with a description per language) whose bytes stay at
 * LitRes, so `file_path` contains a placeholder name. The LitRes format and
 * file id are kept in `ms_litres_files`. See docs/cscart-files-api.md.
 */

namespace Tygh\Api\Entities;

use Tygh\Api\AEntity;
use Tygh\Api\Response;

class LitresFiles extends AEntity
{
    /** Page size when the request names none, as in CS-Cart's lists. */
    const DEFAULT_ITEMS_PER_PAGE = 10;

    /** Activation types CS-Cart accepts: manual, immediately, after payment. */
    const ACTIVATION_TYPES = array('M', 'I', 'P');

    /**
     * Lists a product's files (`product_id` required) or returns one file.
     */
    public function index($id = 0, $params = array())
    {
        if (!empty($id)) {
            $file = $this->getFile((int) $id);
            if (empty($file) || !$this->mayAccess($file['product_id'])) {
                return $this->error(Response::STATUS_NOT_FOUND, "File $id not found");
            }
            return array('status' => Response::STATUS_OK, 'data' => $file);
        }

        $product_id = isset($params['product_id']) ? (int) $params['product_id'] : 0;
        if (empty($product_id)) {
            return $this->error(Response::STATUS_BAD_REQUEST, 'product_id is required');
        }
        if (!$this->mayAccess($product_id)) {
            return $this->error(Response::STATUS_NOT_FOUND, "Product $product_id not found");
        }

        $items_per_page = empty($params['items_per_page'])
            ? self::DEFAULT_ITEMS_PER_PAGE
            : max(1, (int) $params['items_per_page']);
        $total = (int) db_get_field(
            'SELECT COUNT(*) FROM ?:product_files WHERE product_id = ?i',
            $product_id
        );
        $last_page = max(1, (int) ceil($total / $items_per_page));
        // CS-Cart lists return the last page for a page past the end.
        $page = empty($params['page']) ? 1 : min(max(1, (int) $params['page']), $last_page);

        $ids = db_get_fields(
            'SELECT file_id FROM ?:product_files WHERE product_id = ?i'
            . ' ORDER BY position, file_id LIMIT ?i, ?i',
            $product_id,
            ($page - 1) * $items_per_page,
            $items_per_page
        );
        $files = array();
        foreach ($ids as $file_id) {
            $files[] = $this->getFile((int) $file_id);
        }

        return array(
            'status' => Response::STATUS_OK,
            'data' => array(
                'files' => $files,
                'params' => array(
                    'page' => $page,
                    'items_per_page' => $items_per_page,
                    'total_items' => $total,
                ),
            ),
        );
    }

    /**
     * Creates a file for a product and returns its id as `file_id`.
     */
    public function create($params)
    {
        $product_id = isset($params['product_id']) ? (int) $params['product_id'] : 0;
        $product_company = $this->productCompany($product_id);
        if ($product_company === null || !$this->mayAccess($product_id)) {
            return $this->error(Response::STATUS_NOT_FOUND, "Product $product_id not found");
        }
        if (!isset($params['file_name']) || trim($params['file_name']) === '') {
            return $this->error(Response::STATUS_BAD_REQUEST, 'file_name is required');
        }
        $problem = $this->checkFields($params, $product_company);
        if ($problem !== null) {
            return $this->error(Response::STATUS_BAD_REQUEST, $problem);
        }

        $position = (int) db_get_field(
            'SELECT MAX(position) FROM ?:product_files WHERE product_id = ?i',
            $product_id
        ) + 10;
        $file_id = db_query('INSERT INTO ?:product_files ?e', array(
            'product_id' => $product_id,
            'file_path' => $this->placeholderPath($params),
            'file_size' => 0,
            'max_downloads' => isset($params['max_downloads']) ? (int) $params['max_downloads'] : 0,
            'activation_type' => isset($params['activation_type']) ? $params['activation_type'] : 'P',
            'agreement' => 'N',
            'status' => isset($params['status']) ? $params['status'] : 'A',
            'position' => $position,
            'folder_id' => 0,
        ));
        foreach ($this->languages() as $lang_code) {
            db_query('INSERT INTO ?:product_file_descriptions ?e', array(
                'file_id' => $file_id,
                'lang_code' => $lang_code,
                'file_name' => trim($params['file_name']),
                'license' => '',
                'readme' => '',
            ));
        }
        db_query('REPLACE INTO ?:ms_litres_files ?e', array(
            'file_id' => $file_id,
            'product_id' => $product_id,
            'format' => isset($params['format']) ? (string) $params['format'] : '',
            'litres_file_id' => isset($params['litres_file_id']) ? (string) $params['litres_file_id'] : '',
        ));

        return array(
            'status' => Response::STATUS_CREATED,
            'data' => array('file_id' => $file_id),
        );
    }

    /**
     * Changes the fields a request sends; the product cannot change.
     */
    public function update($id, $params)
    {
        $file = $this->getFile((int) $id);
        if (empty($file) || !$this->mayAccess($file['product_id'])) {
            return $this->error(Response::STATUS_NOT_FOUND, "File $id not found");
        }
        $problem = $this->checkFields($params, (int) $file['company_id']);
        if ($problem !== null) {
            return $this->error(Response::STATUS_BAD_REQUEST, $problem);
        }

        $row = array();
        foreach (array('max_downloads', 'activation_type', 'status') as $key) {
            if (isset($params[$key])) {
                $row[$key] = $key === 'max_downloads' ? (int) $params[$key] : $params[$key];
            }
        }
        if (!empty($row)) {
            db_query('UPDATE ?:product_files SET ?u WHERE file_id = ?i', $row, $id);
        }
        if (isset($params['file_name']) && trim($params['file_name']) !== '') {
            db_query(
                'UPDATE ?:product_file_descriptions SET ?u WHERE file_id = ?i',
                array('file_name' => trim($params['file_name'])),
                $id
            );
        }
        $litres = array();
        foreach (array('format', 'litres_file_id') as $key) {
            if (isset($params[$key])) {
                $litres[$key] = (string) $params[$key];
            }
        }
        if (!empty($litres)) {
            db_query('UPDATE ?:ms_litres_files SET ?u WHERE file_id = ?i', $litres, $id);
        }

        return array('status' => Response::STATUS_OK, 'data' => array('file_id' => (int) $id));
    }

    /**
     * Deletes a file. NOTE: download keys already issued for it stop
     * working, so the importer disables files (`status` D) instead.
     */
    public function delete($id)
    {
        $file = $this->getFile((int) $id);
        if (empty($file) || !$this->mayAccess($file['product_id'])) {
            return $this->error(Response::STATUS_NOT_FOUND, "File $id not found");
        }
        db_query('DELETE FROM ?:product_file_descriptions WHERE file_id = ?i', $id);
        db_query('DELETE FROM ?:ms_litres_files WHERE file_id = ?i', $id);
        db_query('DELETE FROM ?:product_files WHERE file_id = ?i', $id);

        return array('status' => Response::STATUS_NO_CONTENT);
    }

    public function privileges()
    {
        return array(
            'create' => 'manage_catalog',
            'update' => 'manage_catalog',
            'delete' => 'manage_catalog',
            'index' => 'view_catalog',
        );
    }

    /**
     * Returns one file with its LitRes fields and the product's company, or
     * an empty array.
     */
    private function getFile($file_id)
    {
        $file = db_get_row(
            'SELECT f.file_id, f.product_id, f.max_downloads, f.activation_type, f.status,'
            . ' d.file_name, l.format, l.litres_file_id, p.company_id'
            . ' FROM ?:product_files AS f'
            . ' INNER JOIN ?:products AS p ON p.product_id = f.product_id'
            . ' LEFT JOIN ?:product_file_descriptions AS d'
            . ' ON d.file_id = f.file_id AND d.lang_code = ?s'
            . ' LEFT JOIN ?:ms_litres_files AS l ON l.file_id = f.file_id'
            . ' WHERE f.file_id = ?i',
            $this->languageCode(),
            $file_id
        );
        if (empty($file)) {
            return array();
        }
        $file['format'] = (string) $file['format'];
        $file['litres_file_id'] = (string) $file['litres_file_id'];
        $file['file_name'] = (string) $file['file_name'];

        return $file;
    }

    /**
     * Returns the problem with the fields of a create or update, or null.
     * A `company_id` other than the product's is rejected, so a file never
     * lands on another vendor's product.
     */
    private function checkFields($params, $product_company)
    {
        if (isset($params['company_id']) && (int) $params['company_id'] !== (int) $product_company) {
            return 'company_id ' . (int) $params['company_id']
                . " differs from the product's vendor $product_company";
        }
        if (isset($params['activation_type'])
            && !in_array($params['activation_type'], self::ACTIVATION_TYPES, true)
        ) {
            return 'activation_type must be M, I or P';
        }
        if (isset($params['status']) && !in_array($params['status'], array('A', 'D'), true)) {
            return 'status must be A or D';
        }
        if (isset($params['max_downloads']) && (int) $params['max_downloads'] < 0) {
            return 'max_downloads must be 0 (no limit) or more';
        }

        return null;
    }

    /** Returns the product's company id, or null for a missing product. */
    private function productCompany($product_id)
    {
        $company = db_get_field(
            'SELECT company_id FROM ?:products WHERE product_id = ?i',
            $product_id
        );

        return $company === null || $company === false || $company === ''
            ? null
            : (int) $company;
    }

    /** Returns true when the API user may reach the product: an administrator
     * reaches every product, a vendor only its own. */
    private function mayAccess($product_id)
    {
        $company = $this->productCompany($product_id);
        if ($company === null) {
            return false;
        }
        $own = isset($this->auth['company_id']) ? (int) $this->auth['company_id'] : 0;

        return $own === 0 || $own === $company;
    }

    /** Builds the placeholder `file_path`; no bytes are stored. */
    private function placeholderPath($params)
    {
        $key = !empty($params['litres_file_id'])
            ? $params['litres_file_id']
            : (!empty($params['format']) ? $params['format'] : 'file');

        return 'litres_' . preg_replace('/[^A-Za-z0-9._-]/', '_', (string) $key);
    }

    /** Returns every language code of the store. */
    private function languages()
    {
        $codes = db_get_fields('SELECT lang_code FROM ?:languages');

        return empty($codes) ? array($this->languageCode()) : $codes;
    }

    /** Returns the language of descriptions read back. */
    private function languageCode()
    {
        if (defined('DESCR_SL')) {
            return DESCR_SL;
        }

        return defined('CART_LANGUAGE') ? CART_LANGUAGE : 'en';
    }

    private function error($status, $message)
    {
        return array('status' => $status, 'data' => array('message' => $message));
    }
}
