package de.bwaldvogel.mongo.backend.h2;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.util.List;

/**
 * An H2 database of the local stack whose unique indexes also serve a query that names their
 * keys among other conditions (see IdLookupIndex). Ours, not mongo-java-server's: it lives in
 * this package only to reach H2UniqueIndex's package-private constructor.
 */
public class IdLookupDatabase extends H2Database {

    public IdLookupDatabase(String name, MVStore store, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collection, String indexName,
                                                    List<IndexKey> keys, boolean sparse) {
        H2UniqueIndex opened = (H2UniqueIndex) super.openOrCreateUniqueIndex(
                collection, indexName, keys, sparse);
        return new IdLookupIndex(mapOf(opened), indexName, keys, sparse);
    }

    @SuppressWarnings("unchecked")
    private static MVMap<de.bwaldvogel.mongo.backend.KeyValue, Object> mapOf(H2UniqueIndex index) {
        try {
            Field map = H2UniqueIndex.class.getDeclaredField("mvMap");
            map.setAccessible(true);
            return (MVMap<de.bwaldvogel.mongo.backend.KeyValue, Object>) map.get(index);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mongo-java-server changed: H2UniqueIndex.mvMap", e);
        }
    }
}
