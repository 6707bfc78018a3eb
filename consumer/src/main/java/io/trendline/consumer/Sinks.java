package io.trendline.consumer;

import io.trendline.common.kafka.KafkaClients;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.deploy.SparkHadoopUtil;

/** The ranking sinks: the console, a Kafka topic (one JSON record per batch), and files. */
final class Sinks {
  private Sinks() {}

  /** Prints each ranking as a table on stdout. */
  static final class Console implements RankingSink {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(Ranking ranking) {
      PrintStream out = System.out;
      out.print(ranking.toTable());
      out.flush();
    }
  }

  /**
   * Sends each ranking as one JSON record (key: the batch time) to a topic. The producer is created
   * once per JVM and per configuration, and closed when the JVM exits; each send is waited for, so
   * a ranking is in Kafka before the batch's offsets are committed.
   */
  static final class Kafka implements RankingSink {
    private static final long serialVersionUID = 1L;
    private static final Map<Map<String, Object>, KafkaProducer<String, String>> PRODUCERS =
        new HashMap<>();

    private final String topic;
    private final HashMap<String, Object> props;

    Kafka(String topic, Map<String, Object> consumerParams) {
      this.topic = topic;
      this.props = new HashMap<>();
      for (Map.Entry<String, Object> e : consumerParams.entrySet()) {
        String k = e.getKey();
        // The connection and security settings apply to the producer too; consumer-only ones don't.
        if (k.equals("bootstrap.servers")
            || k.startsWith("security.")
            || k.startsWith("sasl.")
            || k.startsWith("ssl.")
            || k.equals("client.dns.lookup")) {
          props.put(k, e.getValue());
        }
      }
      props.put("acks", "all");
      props.put("linger.ms", 0);
    }

    @Override
    public void accept(Ranking ranking) throws Exception {
      producer(props)
          .send(new ProducerRecord<>(topic, String.valueOf(ranking.batchTime), ranking.toJson()))
          .get(60, TimeUnit.SECONDS);
    }

    private static synchronized KafkaProducer<String, String> producer(Map<String, Object> props) {
      KafkaProducer<String, String> p = PRODUCERS.get(props);
      if (p == null) {
        KafkaProducer<String, String> created =
            new KafkaProducer<>(
                new HashMap<>(props), new StringSerializer(), new StringSerializer());
        PRODUCERS.put(new HashMap<>(props), created);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(() -> KafkaClients.closeWithin(created, 5000), "sink-close"));
        p = created;
      }
      return p;
    }
  }

  /** Writes each ranking (JSON) to {@code PATH-<batch time ms>/part-00000}, as saveAsTextFiles. */
  static final class Files implements RankingSink {
    private static final long serialVersionUID = 1L;
    private final String path;

    Files(String path) {
      this.path = path;
    }

    @Override
    public void accept(Ranking ranking) throws Exception {
      Path dir = new Path(path + "-" + ranking.batchTime);
      FileSystem fs = dir.getFileSystem(SparkHadoopUtil.get().conf());
      try (FSDataOutputStream out = fs.create(new Path(dir, "part-00000"), true)) {
        out.write((ranking.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      fs.create(new Path(dir, "_SUCCESS"), true).close();
    }
  }
}
