package de.bwaldvogel.mongo.backend.h2;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * How the local stack's store keeps documents and index keys in H2: as BSON.
 *
 * mongo-java-server opens its maps with H2's default type, which stores any object by Java
 * serialization, and orders index keys (not Comparable) by comparing their serialized bytes:
 * a profile of the store under load spent most of its time there, in every commit and every
 * index lookup. BSON is the format these documents arrived in; keys are ordered by
 * mongo-java-server's own comparison of values.
 */
final class BsonTypes {

    private BsonTypes() {
    }

    static final class Documents extends BasicDataType<Document> {
        static final Documents INSTANCE = new Documents();

        @Override
        public int getMemory(Document document) {
            return 64 + 48 * document.size();  // an estimate, for the page cache's accounting
        }

        @Override
        public void write(WriteBuffer buffer, Document document) {
            writeBson(buffer, document);
        }

        @Override
        public Document read(ByteBuffer buffer) {
            return readBson(buffer);
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }
    }

    static final class Keys extends BasicDataType<KeyValue> {
        static final Keys INSTANCE = new Keys();
        private static final ValueComparator ORDER = ValueComparator.asc();

        @Override
        public int getMemory(KeyValue key) {
            return 32 + 32 * key.size();
        }

        @Override
        public void write(WriteBuffer buffer, KeyValue key) {
            Document values = new Document();
            int n = 0;
            for (Object value : key) {
                values.put(Integer.toString(n++), value);
            }
            writeBson(buffer, values);
        }

        @Override
        public KeyValue read(ByteBuffer buffer) {
            return new KeyValue(new ArrayList<>(readBson(buffer).values()));
        }

        @Override
        public int compare(KeyValue a, KeyValue b) {
            Iterator<Object> left = a.iterator();
            Iterator<Object> right = b.iterator();
            while (left.hasNext() && right.hasNext()) {
                int order = ORDER.compare(left.next(), right.next());
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }
    }

    private static void writeBson(WriteBuffer buffer, Document document) {
        ByteBuf bson = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, bson);
            byte[] bytes = new byte[bson.readableBytes()];
            bson.readBytes(bytes);
            buffer.putVarInt(bytes.length).put(bytes);
        } finally {
            bson.release();
        }
    }

    private static Document readBson(ByteBuffer buffer) {
        byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bytes);
        ByteBuf bson = Unpooled.wrappedBuffer(bytes);
        try {
            return BsonDecoder.decodeBson(bson);
        } finally {
            bson.release();
        }
    }
}
