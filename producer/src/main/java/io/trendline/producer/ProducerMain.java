package io.trendline.producer;

import io.trendline.common.TrackMatcher;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.config.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code java -jar trendline-producer.jar --keywords bitcoin,IoT [--key value]...}: wires the
 * settings, the source (Hosebird, a file or stdin), the matcher and a {@link KafkaProducer} into a
 * {@link StatusPipeline}, prints a progress line every few seconds and a final report.
 *
 * <p>On SIGINT/SIGTERM it stops the source, drains what it already took from the stream, flushes
 * and closes the producer within {@code shutdown.timeout}, then prints the final report. Exit
 * codes: 0 done, 1 a runtime failure (the stream refused us, records failed), 2 a configuration
 * error, 3 Kafka unusable at start-up.
 */
public final class ProducerMain {
  private ProducerMain() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (!SHUTTING_DOWN.get()) {
      System.exit(code);
    }
  }

  private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (ConfigLoader.wantsHelp(args)) {
      out.println(
          "usage: java -jar trendline-producer.jar --keywords TERM[,TERM...] [--key value]...");
      out.println();
      out.println(
          "Reads statuses/filter (or a capture), sends one Kafka record per matched keyword.");
      out.println("Settings: defaults < --config FILE < TRENDLINE_PRODUCER_* env < flags.\n");
      out.println("  --config FILE\n      A properties file with any of the keys below.");
      out.print(ProducerSettings.help());
      return 0;
    }
    ProducerSettings settings;
    MessageSource source;
    try {
      settings = ProducerSettings.load(args, env);
      source = openSource(settings, env);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    String changed = settings.describe();
    if (!changed.isEmpty()) {
      err.print("Settings:\n" + changed);
    }

    Producer<String, String> producer = null;
    if (!settings.dryRun()) {
      try {
        int partitions =
            KafkaTopics.ensure(
                settings.kafkaProperties(),
                settings.topic(),
                settings.createTopic(),
                settings.topicPartitions(),
                settings.topicReplicationFactor(),
                settings.startupTimeout().toMillis());
        err.println(
            "Kafka topic '" + settings.topic() + "' (" + partitions + " partitions) is ready.");
        producer =
            new KafkaProducer<>(
                settings.kafkaProperties(), new StringSerializer(), new StringSerializer());
      } catch (KafkaTopics.StartupException e) {
        err.println("error: " + e.getMessage());
        source.close();
        return 3;
      } catch (org.apache.kafka.common.KafkaException e) {
        err.println("error: invalid Kafka producer settings: " + rootMessage(e));
        source.close();
        return 2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    return runPipeline(settings, source, producer, out, err);
  }

  private static int runPipeline(
      ProducerSettings settings,
      MessageSource source,
      Producer<String, String> producer,
      PrintStream out,
      PrintStream err) {
    ProducerMetrics metrics = new ProducerMetrics(settings.keywords());
    StatusPipeline pipeline =
        StatusPipeline.builder(source, new TrackMatcher(settings.keywords()), metrics)
            .producer(producer)
            .topic(settings.topic())
            .unmatchedKey(settings.unmatchedKey())
            .maxMessageBytes(settings.maxMessageBytes())
            .logMalformed(settings.logMalformed())
            .build();
    long started = System.nanoTime();
    AtomicReference<ProducerMetrics.Snapshot> previous =
        new AtomicReference<>(metrics.snapshot(started, 0, 0));
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress-report");
              t.setDaemon(true);
              return t;
            });
    long every = settings.reportInterval().toMillis();
    reporter.scheduleAtFixedRate(
        () -> {
          ProducerMetrics.Snapshot now =
              metrics.snapshot(System.nanoTime(), source.dropped(), source.queueDepth());
          out.println(ProgressReport.line(previous.getAndSet(now), now, settings.keywords()));
        },
        every,
        every,
        TimeUnit.MILLISECONDS);

    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger result = new AtomicInteger(1);
    long shutdownMs = settings.shutdownTimeout().toMillis();
    Thread hook =
        new Thread(
            () -> {
              SHUTTING_DOWN.set(true);
              err.println("Stopping: draining what was taken from the stream...");
              pipeline.stop();
              try {
                if (finished.await(shutdownMs, TimeUnit.MILLISECONDS)) {
                  // A stop asked for and completed is a success: exit with the run's own code
                  // rather than the JVM's 143 for SIGTERM.
                  out.flush();
                  err.flush();
                  Runtime.getRuntime().halt(result.get());
                }
                err.println(
                    "error: not drained within "
                        + Durations.format(settings.shutdownTimeout())
                        + "; "
                        + source.queueDepth()
                        + " messages left in the queue");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "producer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    int code = 0;
    try {
      source.start();
      pipeline.run();
    } catch (MessageSource.SourceFailedException e) {
      err.println("error: " + e.getMessage());
      code = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 1;
    } catch (Exception e) {
      err.println("error: " + e);
      code = 1;
    } finally {
      reporter.shutdownNow();
      source.close();
      if (producer != null) {
        producer.close(shutdownMs, TimeUnit.MILLISECONDS);
      }
      ProducerMetrics.Snapshot last =
          metrics.snapshot(System.nanoTime(), source.dropped(), source.queueDepth());
      out.println(
          ProgressReport.summary(
              last, settings.keywords(), System.nanoTime() - started, settings.dryRun()));
      out.flush();
      if (last.failed > 0) {
        code = Math.max(code, 1);
      }
      result.set(code);
      finished.countDown();
      if (!SHUTTING_DOWN.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutdown began meanwhile
        }
      }
    }
    return code;
  }

  private static MessageSource openSource(ProducerSettings settings, Map<String, String> env) {
    switch (settings.source()) {
      case "file":
        try {
          return new LineSource(
              Files.newBufferedReader(settings.input(), StandardCharsets.UTF_8),
              settings.input().toString());
        } catch (NoSuchFileException e) {
          throw ConfigException.invalid(ProducerSettings.INPUT, settings.input(), "no such file");
        } catch (IOException e) {
          throw ConfigException.invalid(
              ProducerSettings.INPUT, settings.input(), "cannot read it: " + e.getMessage());
        }
      case "stdin":
        return new LineSource(
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "stdin");
      default:
        Credentials credentials = Credentials.load(settings.credentialsFile(), env);
        return new HosebirdSource(
            settings.streamHost(),
            settings.keywords(),
            credentials,
            settings.queueCapacity(),
            settings.streamRetries());
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
