package io.trendline.broker;

import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kafka.metrics.KafkaMetricsReporter;
import kafka.server.KafkaConfig;
import kafka.server.KafkaServer;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * A real single-node Kafka 2.0 broker with an in-process ZooKeeper 3.5, for tests and local runs:
 * {@code java -jar trendline-broker.jar --data-dir DIR [--port N] [--zk-port N] [--topic
 * NAME:PARTITIONS]... [--ready-file FILE] [--exit-on-stdin-eof]}.
 *
 * <p>Port 0 (the default) picks free ports. Once the broker serves and the topics exist, it prints
 * {@value #READY_PREFIX}{@code 127.0.0.1:PORT zk=127.0.0.1:ZKPORT} and writes the same line to the
 * ready file (atomically). Data lives under the data directory, so a broker restarted on the same
 * directory and ports keeps its topics and offsets. SIGTERM shuts the broker down cleanly.
 * Automatic topic creation is off, as on a careful production cluster.
 */
public final class LocalKafkaBroker {
  public static final String READY_PREFIX = "TRENDLINE-BROKER READY ";

  private LocalKafkaBroker() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // ZooKeeper's and Kafka's threads are not daemons: without this a failed start hangs.
      System.err.println("error: the broker failed to start: " + t);
      t.printStackTrace();
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Path dataDir = null;
    int port = 0;
    int zkPort = 0;
    Path readyFile = null;
    boolean exitOnStdinEof = false;
    Path saslSsl = null;
    int saslSslPort = 0;
    List<String[]> topics = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--data-dir":
          dataDir = Paths.get(value(args, ++i, a));
          break;
        case "--port":
          port = Integer.parseInt(value(args, ++i, a));
          break;
        case "--zk-port":
          zkPort = Integer.parseInt(value(args, ++i, a));
          break;
        case "--topic":
          String spec = value(args, ++i, a);
          String[] parts = spec.split(":");
          if (parts.length != 2 || !parts[1].matches("[1-9][0-9]*")) {
            fail("--topic expects NAME:PARTITIONS, got '" + spec + "'");
          }
          topics.add(parts);
          break;
        case "--ready-file":
          readyFile = Paths.get(value(args, ++i, a));
          break;
        case "--exit-on-stdin-eof":
          exitOnStdinEof = true;
          break;
        case "--sasl-ssl":
          saslSsl = Paths.get(value(args, ++i, a));
          break;
        case "--sasl-ssl-port":
          saslSslPort = Integer.parseInt(value(args, ++i, a));
          break;
        case "--help":
        case "-h":
          System.out.println(
              "usage: java -jar trendline-broker.jar --data-dir DIR [--port N] [--zk-port N]"
                  + " [--topic NAME:PARTITIONS]... [--ready-file FILE] [--exit-on-stdin-eof]"
                  + " [--sasl-ssl BROKER_SECURITY_PROPERTIES [--sasl-ssl-port N]]");
          return;
        default:
          fail("unknown argument '" + a + "'; see --help");
      }
    }
    if (dataDir == null) {
      fail("--data-dir is required");
    }
    Files.createDirectories(dataDir);

    File zkDir = dataDir.resolve("zookeeper").toFile();
    ZooKeeperServer zk = new ZooKeeperServer(zkDir, zkDir, 2000);
    ServerCnxnFactory zkFactory = ServerCnxnFactory.createFactory();
    zkFactory.configure(new InetSocketAddress("127.0.0.1", zkPort), 64);
    zkFactory.startup(zk);
    int actualZkPort = zkFactory.getLocalPort();
    clearStaleRegistration("127.0.0.1:" + actualZkPort);

    Properties props = new Properties();
    props.put("broker.id", "0");
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("zookeeper.connect", "127.0.0.1:" + actualZkPort);
    props.put("zookeeper.connection.timeout.ms", "30000");
    props.put("log.dirs", dataDir.resolve("kafka-logs").toString());
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("controlled.shutdown.enable", "false");
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    if (saslSsl != null) {
      // A second listener that requires SASL (PLAIN) over TLS; the brokers' own traffic and the
      // topic set-up stay on PLAINTEXT. The file holds the keystore and the listener's JAAS
      // configuration (its users), as a real cluster's server.properties would.
      props.put(
          "listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_SSL://127.0.0.1:" + saslSslPort);
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("sasl.enabled.mechanisms", "PLAIN");
      Properties security = new Properties();
      try (java.io.Reader in = Files.newBufferedReader(saslSsl, StandardCharsets.UTF_8)) {
        security.load(in);
      }
      props.putAll(security);
    }
    KafkaServer server =
        new KafkaServer(
            KafkaConfig.fromProps(props),
            Time.SYSTEM,
            Option.<String>empty(),
            JavaConverters.asScalaBufferConverter(new ArrayList<KafkaMetricsReporter>()).asScala());
    server.startup();
    int actualPort = server.boundPort(ListenerName.normalised("PLAINTEXT"));

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  server.awaitShutdown();
                  zkFactory.shutdown();
                },
                "broker-shutdown"));

    String bootstrap = "127.0.0.1:" + actualPort;
    createTopics(bootstrap, topics);

    String ready = READY_PREFIX + bootstrap + " zk=127.0.0.1:" + actualZkPort;
    if (saslSsl != null) {
      ready += " sasl_ssl=127.0.0.1:" + server.boundPort(ListenerName.normalised("SASL_SSL"));
    }
    if (readyFile != null) {
      Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
      Files.write(tmp, (ready + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, readyFile, StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.println(ready);
    System.out.flush();

    if (exitOnStdinEof) {
      // The launcher holds our stdin: when it dies, even by SIGKILL, we see EOF and stop too.
      InputStream in = System.in;
      byte[] buf = new byte[64];
      while (in.read(buf) >= 0) {
        // discard
      }
      System.exit(0);
    }
    server.awaitShutdown();
  }

  /**
   * After a crash (SIGKILL) ZooKeeper restores the dead broker's session from its log and keeps its
   * ephemeral znodes until that session expires, and Kafka 2.0 refuses to register while {@code
   * /brokers/ids/0} exists. This broker alone owns the data directory, so the znodes of broker 0
   * are necessarily stale: remove them rather than wait out the session timeout.
   */
  private static void clearStaleRegistration(String connect) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper client =
        new ZooKeeper(
            connect,
            10_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    try {
      if (!connected.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("cannot connect to the local ZooKeeper at " + connect);
      }
      for (String path : new String[] {"/brokers/ids/0", "/controller"}) {
        try {
          client.delete(path, -1);
        } catch (KeeperException.NoNodeException e) {
          // nothing stale
        }
      }
    } finally {
      client.close();
    }
  }

  private static void createTopics(String bootstrap, List<String[]> topics) throws Exception {
    if (topics.isEmpty()) {
      return;
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (AdminClient admin = AdminClient.create(p)) {
      for (String[] t : topics) {
        NewTopic topic = new NewTopic(t[0], Integer.parseInt(t[1]), (short) 1);
        try {
          admin
              .createTopics(java.util.Collections.singleton(topic))
              .all()
              .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      fail(flag + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("error: " + message);
    System.exit(2);
  }
}
