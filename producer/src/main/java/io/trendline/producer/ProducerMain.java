package io.trendline.producer;

import io.trendline.common.TrackMatcher;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.kafka.KafkaTopics;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code java -jar trendline-producer.jar --keywords bitcoin,IoT [--key value]...}: reads the
 * settings, checks the Kafka topic, wires the source (Hosebird, a file or stdin), the matcher and a
 * {@link KafkaProducer} into a {@link StatusPipeline}, and hands it to a {@link ProducerRunner},
 * which runs it, reports progress, handles SIGINT/SIGTERM and closes what it was handed.
 *
 * <p>Exit codes: 0 done, 1 a runtime failure (the stream refused us, records failed: see {@link
 * ProducerRunner}; the v2 rules endpoint unusable), 2 a configuration error (also: X refused the
 * bearer token or every rule at start-up), 3 Kafka unusable at start-up. With {@code stream.api=v2}
 * the rules are synced once Kafka is confirmed, before the stream is opened.
 */
public final class ProducerMain {
  private ProducerMain() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (!jvmShuttingDown()) {
      // During a shutdown, exit would block; the runner's hook halts with the code instead.
      System.exit(code);
    }
  }

  /** Whether the JVM's shutdown has begun (hooks can no longer be added then). */
  private static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (ConfigLoader.wantsHelp(args)) {
      out.println(
          "usage: java -jar trendline-producer.jar --keywords TERM[,TERM...] [--key value]...");
      out.println();
      out.println(
          "Reads the X API v2 filtered stream or statuses/filter (or a capture), sends one Kafka"
              + " record per matched keyword.");
      out.println("Settings: defaults < --config FILE < TRENDLINE_PRODUCER_* env < flags.\n");
      out.println("  --config FILE\n      A properties file with any of the keys below.");
      out.print(ProducerSettings.help());
      return 0;
    }
    ProducerSettings settings;
    StatusFile status = null;
    MessageSource source = null;
    RulesSync.RuleMap rules = null;
    BearerToken token = null;
    try {
      settings = ProducerSettings.load(args, env);
      status = openStatusFile(settings);
      if (settings.source().equals("stream") && settings.v2()) {
        token = BearerToken.load(settings.credentialsFile(), env);
      } else {
        source = openSource(settings, env);
      }
    } catch (ConfigException e) {
      if (status != null) {
        status.close();
      }
      err.println("error: " + e.getMessage());
      return 2;
    }
    String changed = settings.describe();
    if (!changed.isEmpty()) {
      err.print("Settings:\n" + changed);
    }
    if (token != null && settings.rulesDryRun()) {
      // The plan only: no Kafka, no stream.
      int code = syncRules(settings, token, err, true).exit;
      if (status != null) {
        status.close();
      }
      return code;
    }

    Producer<String, byte[]> producer = null;
    int maxMessageBytes = settings.maxMessageBytes();
    if (!settings.dryRun()) {
      try {
        KafkaTopics.Topic topic =
            KafkaTopics.ensure(
                settings.kafkaProperties(),
                settings.topic(),
                settings.createTopic(),
                settings.topicPartitions(),
                settings.topicReplicationFactor(),
                settings.startupTimeout().toMillis());
        maxMessageBytes = maxMessageBytes(settings, topic);
        err.println(
            "Kafka topic '"
                + settings.topic()
                + "' ("
                + topic.partitions
                + " partitions) is ready; statuses up to "
                + maxMessageBytes
                + " bytes are sent, larger ones counted as malformed.");
        producer =
            new KafkaProducer<>(
                settings.kafkaProperties(), new StringSerializer(), new ByteArraySerializer());
      } catch (KafkaTopics.StartupException e) {
        err.println("error: " + e.getMessage());
        abandon(source, status);
        return 3;
      } catch (org.apache.kafka.common.KafkaException e) {
        err.println("error: invalid Kafka producer settings: " + rootMessage(e));
        abandon(source, status);
        return 2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abandon(source, status);
        return 1;
      }
    }
    if (token != null) {
      // After Kafka is confirmed: a run that cannot write does not change the stream's rules.
      SyncResult synced = syncRules(settings, token, err, false);
      if (synced.rules == null) {
        if (producer != null) {
          producer.close();
        }
        if (status != null) {
          status.close();
        }
        return synced.exit;
      }
      rules = synced.rules;
      source =
          HosebirdSource.v2(
              settings.streamHost(),
              token,
              settings.queueCapacity(),
              settings.streamRetries(),
              settings.streamStallTimeout(),
              settings.backfillMinutes(),
              settings.rateLimitBackoff());
    }
    return new ProducerRunner(
            settings,
            pipeline(settings, source, producer, maxMessageBytes).v2(rules).build(),
            status,
            out,
            err,
            System::nanoTime,
            ProducerRunner.RUNTIME)
        .run();
  }

  /**
   * The largest status the producer takes: {@code max.message.bytes}, but no more than what the
   * topic and the producer's own {@code max.request.size} let through once a record's key and the
   * record batch's framing are added, so that a status the check passes is not refused by the
   * broker later.
   */
  static int maxMessageBytes(ProducerSettings settings, KafkaTopics.Topic topic) {
    int limit = settings.maxMessageBytes();
    if (topic.maxMessageBytes > 0) {
      limit = Math.min(limit, topic.maxMessageBytes - RECORD_OVERHEAD_BYTES);
    }
    Object request = settings.kafkaProperties().get("max.request.size");
    int requestSize = request == null ? 1 << 20 : Integer.parseInt(request.toString());
    return Math.max(1, Math.min(limit, requestSize - RECORD_OVERHEAD_BYTES));
  }

  /**
   * Room for what Kafka adds to a status: the record batch's header (61 bytes), the record's own
   * framing (up to 21 bytes) and its key (a keyword, at most 60 bytes, or the unmatched key), with
   * a margin.
   */
  static final int RECORD_OVERHEAD_BYTES = 512;

  /**
   * The pipeline the settings describe, on {@code source}, to be built; a null producer is a dry
   * run.
   */
  static StatusPipeline.Builder pipeline(
      ProducerSettings settings,
      MessageSource source,
      Producer<String, byte[]> producer,
      int maxMessageBytes) {
    return StatusPipeline.builder(
            source, new TrackMatcher(settings.keywords()), new ProducerMetrics(settings.keywords()))
        .producer(producer)
        .topic(settings.topic())
        .unmatchedKey(settings.unmatchedKey())
        .maxMessageBytes(maxMessageBytes)
        .logMalformed(settings.logMalformed());
  }

  /** The status file when one is set, else null. */
  private static StatusFile openStatusFile(ProducerSettings settings) {
    Path path = settings.statusFile();
    if (path == null) {
      return null;
    }
    Path directory = path.toAbsolutePath().getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      throw ConfigException.invalid(
          ProducerSettings.STATUS_FILE, path, "no such directory: " + directory);
    }
    try {
      return StatusFile.create(path, settings.keywords(), Clock.systemUTC());
    } catch (IOException e) {
      throw ConfigException.invalid(
          ProducerSettings.STATUS_FILE, path, "cannot write it: " + e.getMessage());
    }
  }

  /** The rules on the stream, or why there are none: the exit code. */
  private static final class SyncResult {
    final RulesSync.RuleMap rules;
    final int exit;

    SyncResult(RulesSync.RuleMap rules, int exit) {
      this.rules = rules;
      this.exit = exit;
    }
  }

  /**
   * Brings the stream's rules in line with the keywords (or, in a dry run, says how it would). Exit
   * codes: 0 for a dry run X would accept whole; 2 when X refuses the token (401/403), every rule,
   * or, in a dry run, any rule; 1 when the endpoint cannot be used.
   */
  private static SyncResult syncRules(
      ProducerSettings settings, BearerToken token, PrintStream err, boolean dryRun) {
    XRules client = new XRules(settings.streamHost(), token, settings.startupTimeout());
    RulesSync.RuleMap rules;
    try {
      rules = RulesSync.sync(client, settings.keywords(), dryRun, err);
    } catch (XRules.RulesException e) {
      err.println("error: " + e.getMessage());
      return new SyncResult(null, e.status == 401 || e.status == 403 ? 2 : 1);
    }
    if (dryRun) {
      err.println(
          rules.refused() == 0
              ? "Rules dry run: nothing changed; X would accept every rule."
              : "Rules dry run: nothing changed; X would refuse "
                  + rules.refused()
                  + " of the rules (above).");
      return new SyncResult(null, rules.refused() == 0 ? 0 : 2);
    }
    if (rules.size() == 0) {
      err.println(
          "error: no rule of the producer's is on the stream (X refused them all, above):"
              + " there is nothing to read");
      return new SyncResult(null, 2);
    }
    return new SyncResult(rules, 0);
  }

  /** Closes what start-up opened, when it fails before the runner takes them over. */
  private static void abandon(MessageSource source, StatusFile status) {
    if (source != null) {
      source.close();
    }
    if (status != null) {
      status.close();
    }
  }

  private static MessageSource openSource(ProducerSettings settings, Map<String, String> env) {
    switch (settings.source()) {
      case "file":
        try {
          return new LineSource(
              Files.newBufferedReader(settings.input(), StandardCharsets.UTF_8),
              settings.input().toString(),
              settings.maxMessageBytes());
        } catch (NoSuchFileException e) {
          throw ConfigException.invalid(ProducerSettings.INPUT, settings.input(), "no such file");
        } catch (IOException e) {
          throw ConfigException.invalid(
              ProducerSettings.INPUT, settings.input(), "cannot read it: " + e.getMessage());
        }
      case "stdin":
        return new LineSource(
            new InputStreamReader(System.in, StandardCharsets.UTF_8),
            "stdin",
            settings.maxMessageBytes());
      default:
        Credentials credentials = Credentials.load(settings.credentialsFile(), env);
        return new HosebirdSource(
            settings.streamHost(),
            settings.keywords(),
            credentials,
            settings.queueCapacity(),
            settings.streamRetries(),
            settings.streamStallTimeout());
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
