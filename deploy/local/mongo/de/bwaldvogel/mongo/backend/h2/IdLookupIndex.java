package de.bwaldvogel.mongo.backend.h2;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.List;

/**
 * A unique index that also serves a query naming its keys among other conditions.
 *
 * mongo-java-server uses an index only when the query's fields are exactly the index's keys:
 * `{_id: x}` is a lookup, `{_id: x, rev: 3}` reads the whole collection (measured: 0.4 ms
 * against 50 ms at 50,000 documents). Every conditional update of the hub has that second
 * shape. Here the index finds the documents of its keys' values, and the collection then
 * tests each against the whole query, as it does for any index.
 */
class IdLookupIndex extends H2UniqueIndex {

    IdLookupIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(map, name, keys, sparse);
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        if (super.canHandle(query)) {
            return true;
        }
        Document keysOnly = keysOnly(query);
        return keysOnly != null && super.canHandle(keysOnly);
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        return super.getPositions(keysOnly(query));
    }

    /** The query's conditions on this index's keys, or null if it lacks one of them. */
    private Document keysOnly(Document query) {
        if (!query.keySet().containsAll(keySet()) || query.keySet().size() == keySet().size()) {
            return null;
        }
        Document keys = new Document();
        for (String key : keySet()) {
            keys.put(key, query.get(key));
        }
        return keys;
    }
}
