// A Neo4j Community server for the test suite, started from Maven Central's artifacts:
//   java -cp "$(cat target/classpath.txt)" Neo4jTestServer.java HOME PASSWORD [PORT]
// Bolt listens on 127.0.0.1 (PORT, or a free one), authentication on, user neo4j with
// PASSWORD. Prints "bolt://127.0.0.1:PORT" once the server answers, then serves until its
// standard input closes (so it never outlives the process that started it) or it is signalled.
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class Neo4jTestServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Neo4jTestServer HOME PASSWORD [PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String password = args[1];
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        // The initial user neo4j/neo4j must change its password; set the one we were given.
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // A restart on the same home: the password was set on the first start.
            if (!e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database("neo4j");
        int bound = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        System.out.println("bolt://127.0.0.1:" + bound);
        System.out.flush();
        while (System.in.read() != -1) {
            // serve until the parent closes our stdin
        }
        System.exit(0);  // runs the shutdown hook
    }
}
