package de.bwaldvogel.mongo.backend.h2;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.util.List;

/**
 * An H2 database of the local stack: its collections keep documents as BSON (BsonTypes), and
 * its unique indexes also serve a query that names their keys among other conditions
 * (IdLookupIndex). Ours, not mongo-java-server's: it lives in this package only to reach the
 * package-private constructor of H2UniqueIndex. The map names are mongo-java-server's, so
 * the rest of its H2 backend (dropping, renaming) finds them.
 */
public class IdLookupDatabase extends H2Database {

    public IdLookupDatabase(String name, MVStore store, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    /** H2Database's own store: its constructor opens the collections, before ours could
     * keep a copy. */
    private MVStore store() {
        try {
            Field field = H2Database.class.getDeclaredField("mvStore");
            field.setAccessible(true);
            return (MVStore) field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mongo-java-server changed: H2Database.mvStore", e);
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String name,
                                                             CollectionOptions options) {
        String namespace = getFullCollectionNamespace(name);
        MVStore store = store();
        MVMap<Object, Document> data = store.openMap("databases." + namespace,
                new MVMap.Builder<Object, Document>().valueType(BsonTypes.Documents.INSTANCE));
        MVMap<String, Object> meta = store.openMap("meta." + namespace);
        return new H2Collection(this, name, options, data, meta, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collection, String indexName,
                                                    List<IndexKey> keys, boolean sparse) {
        MVMap<KeyValue, Object> map = store().openMap(
                getFullCollectionNamespace(collection) + "._index_" + indexName,
                new MVMap.Builder<KeyValue, Object>().keyType(BsonTypes.Keys.INSTANCE));
        return new IdLookupIndex(map, indexName, keys, sparse);
    }
}
