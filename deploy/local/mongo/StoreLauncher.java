import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.IdLookupDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's MongoDB-wire store: mongo-java-server over one H2 MVStore file.
 *
 * Why a launcher of our own. First, H2 commits its store in the background once a second, so a
 * `kill -9` loses the writes of the last second that clients were told had succeeded. This
 * backend commits after every command that writes, before the reply leaves (one commit
 * serves every write that waited for it). Second, mongo-java-server uses an index only for a
 * query on exactly its keys, so every conditional update `{_id: x, rev: n}` read the whole
 * collection: its databases here are IdLookupDatabase, whose unique indexes serve those too. With `sync`,
 * it also forces the file to disk (power loss); without it, the operating system holds the
 * committed pages, which a killed process cannot lose.
 *
 *     java -cp 'classes:libs/*' StoreLauncher HOST PORT FILE CACHE_MB [sync]
 */
public final class StoreLauncher {

    private static final int WORKER_THREADS = 64;

    /** Commands that change data; every other command (find, count, ping...) only reads. */
    private static final Set<String> WRITES = Set.of(
            "insert", "update", "delete", "findandmodify", "create", "createindexes", "drop",
            "dropindexes", "dropdatabase", "renamecollection");

    static final class CommittingBackend extends H2Backend {
        private final boolean sync;
        private final Object commitLock = new Object();
        private long written;    // write commands done, under `this`
        private long committed;  // of those, how many a commit covers, under commitLock

        CommittingBackend(MVStore store, boolean sync) {
            super(store);
            this.sync = sync;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            return new IdLookupDatabase(name, getMvStore(), getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command,
                                      Document query) {
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                if (WRITES.contains(command.toLowerCase())) {
                    awaitCommit();
                }
            }
        }

        /**
         * Group commit: the first writer to take the lock commits every write done so far;
         * the writers that queued behind it find theirs covered and return at once. A reply
         * never leaves before the commit that holds its write.
         */
        private void awaitCommit() {
            long mine;
            synchronized (this) {
                mine = ++written;
            }
            synchronized (commitLock) {
                if (committed >= mine) {
                    return;
                }
                long upTo;
                synchronized (this) {
                    upTo = written;
                }
                commit();
                if (sync) {
                    getMvStore().sync();
                }
                committed = upTo;
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 4) {
            System.err.println("usage: StoreLauncher HOST PORT FILE CACHE_MB [sync]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MVStore store = new MVStore.Builder()
                .fileName(args[2])
                .cacheSize(Integer.parseInt(args[3]))
                .open();
        // Old versions are kept for concurrent readers only; with a commit per write, a
        // retention time would keep a copy of every page each write touched (gigabytes).
        store.setRetentionTime(0);
        boolean sync = args.length > 4 && args[4].equals("sync");
        CommittingBackend backend = new CommittingBackend(store, sync);
        MongoServer server = new MongoServer(backend);
        // One event-loop thread serves each connection, and a command holds its thread while
        // it waits for its commit or for a scan of its collection: netty's default, two
        // threads per core, would queue every other client behind them.
        server.bind(new InetSocketAddress(host, port), 1, WORKER_THREADS);
        System.out.println("store listening on " + host + ":" + port + ", data in " + args[2]
                + (sync ? " (synced after each write)" : ""));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: stop taking requests, then close the store, which writes it whole.
            server.shutdown();
            backend.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
