<?php
/** A store that keeps nothing and finds nothing, for the benchmark. */
class NullStore implements LitresStore
{
    private $nextId = 0;

    public function genreCategories()
    {
        return array();
    }

    public function createCategory(array $draft)
    {
        return ++$this->nextId;
    }

    public function updateCategory($id, array $draft)
    {
    }

    public function disableCategory($id)
    {
    }

    public function findProduct($artId)
    {
        return null;
    }

    public function createProduct(array $draft)
    {
        return ++$this->nextId;
    }

    public function updateProduct($id, array $draft, $sendCover)
    {
    }

    public function disableProduct($id, $changedAt)
    {
    }

    public function loadCheckpoint($workType)
    {
        return null;
    }

    public function beginWindow()
    {
    }

    public function commitWindow($workType, $checkpoint)
    {
    }

    public function abortWindow()
    {
    }
}
