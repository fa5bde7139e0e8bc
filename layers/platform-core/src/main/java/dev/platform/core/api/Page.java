package dev.platform.core.api;

import java.util.List;

/**
 * One page of a list as a store returns it.
 *
 * @param after where the next page starts, in the store's own terms (null: this is the last page); the API
 *     signs it into an opaque cursor before a client sees it
 */
public record Page<T>(List<T> items, String after) {
    public Page {
        items = List.copyOf(items);
    }
}
