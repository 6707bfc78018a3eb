package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner with a local source, Kafka's MockProducer, a fake JVM and a fake ticker: the close
 * order, the final report, the exit code, the progress line and the stop from the shutdown hook. No
 * network, no wall clock: the reporter's interval is an hour, so only the calls made here report.
 */
class ProducerRunnerTest {
  /** What happened, in order, across the source, the producer and the JVM. */
  private final List<String> events = Collections.synchronizedList(new ArrayList<String>());

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Thread hook;
  @TempDir Path dir;

  /**
   * Messages from a list. A finite source is finished when they are all taken; a live one only when
   * stopped too. When the messages run out, {@code whenEmpty} runs once, on the pipeline's thread.
   */
  final class LocalSource implements MessageSource {
    private final Deque<String> messages;
    private final boolean live;
    private volatile boolean stopped;
    Runnable whenEmpty = () -> {};

    LocalSource(boolean live, String... messages) {
      this.live = live;
      this.messages = new ArrayDeque<>(Arrays.asList(messages));
    }

    @Override
    public void start() {
      events.add("source started");
    }

    @Override
    public byte[] poll(long timeout, TimeUnit unit) {
      String m = messages.poll();
      if (m == null && whenEmpty != null) {
        Runnable r = whenEmpty;
        whenEmpty = null;
        r.run();
      }
      return m == null ? null : m.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isFinished() {
      return messages.isEmpty() && (stopped || !live);
    }

    @Override
    public void stop() {
      events.add("source stopped");
      stopped = true;
    }

    @Override
    public long dropped() {
      return 3;
    }

    @Override
    public int queueDepth() {
      return messages.size();
    }

    @Override
    public void close() {
      events.add("source closed");
    }
  }

  /** A MockProducer that notes when and how it is closed. */
  final class RecordingProducer extends MockProducer<String, byte[]> {
    RecordingProducer(boolean autoComplete) {
      super(autoComplete, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void close(long timeout, TimeUnit unit) {
      events.add("producer closed within " + unit.toMillis(timeout) + " ms");
      super.close(timeout, unit);
    }
  }

  private final ProducerRunner.Jvm jvm =
      new ProducerRunner.Jvm() {
        @Override
        public void addShutdownHook(Thread h) {
          events.add("hook added");
          hook = h;
        }

        @Override
        public void removeShutdownHook(Thread h) {
          events.add("hook removed");
        }

        @Override
        public void halt(int status) {
          events.add("halt " + status);
        }
      };

  private static ProducerSettings settings(String... extra) {
    Map<String, String> values = new HashMap<>();
    values.put("keywords", "bitcoin,IoT");
    values.put("report.interval", "3600s");
    values.put("shutdown.timeout", "7s");
    for (int i = 0; i < extra.length; i += 2) {
      values.put(extra[i], extra[i + 1]);
    }
    return ProducerSettings.of(values);
  }

  private ProducerRunner runner(
      ProducerSettings settings, MessageSource source, MockProducer<String, byte[]> producer) {
    return runner(settings, source, producer, null);
  }

  private ProducerRunner runner(
      ProducerSettings settings,
      MessageSource source,
      MockProducer<String, byte[]> producer,
      StatusFile status) {
    return new ProducerRunner(
        settings,
        ProducerMain.pipeline(settings, source, producer, settings.maxMessageBytes()).build(),
        status,
        new PrintStream(out, true),
        new PrintStream(err, true),
        nanos::get,
        jvm);
  }

  private String out() {
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private String err() {
    return new String(err.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void closesTheSourceThenTheProducerWithinTheShutdownTimeoutThenReports() {
    LocalSource source =
        new LocalSource(false, StatusPipelineTest.BITCOIN, StatusPipelineTest.BOTH);
    RecordingProducer producer = new RecordingProducer(true);
    source.whenEmpty = () -> nanos.addAndGet(2_500_000_000L);

    assertEquals(0, runner(settings(), source, producer).run(), err());

    assertEquals(
        Arrays.asList(
            "hook added",
            "source started",
            "source closed",
            "producer closed within 7000 ms",
            "hook removed"),
        events);
    assertTrue(producer.closed());
    assertEquals(3, producer.history().size());
    String report = out();
    assertTrue(report.startsWith("Read 2 messages in 2.5 s (2 statuses, 0 notices"), report);
    assertTrue(report.contains("Records sent 3, acknowledged 3, failed 0."), report);
    assertTrue(report.contains("Dropped by the client queue: 3."), report);
  }

  @Test
  void aFailedRecordMakesTheExitCodeOne() {
    RecordingProducer producer = new RecordingProducer(false);
    LocalSource source =
        new LocalSource(false, StatusPipelineTest.BITCOIN, StatusPipelineTest.BOTH);
    source.whenEmpty = () -> producer.errorNext(new RuntimeException("broker gone"));

    assertEquals(1, runner(settings(), source, producer).run());

    assertTrue(out().contains("Records sent 3, acknowledged 2, failed 1."), out());
  }

  @Test
  void aDryRunNeedsNoProducerAndEndsWithZero() {
    LocalSource source = new LocalSource(false, StatusPipelineTest.BITCOIN);

    assertEquals(0, runner(settings("dry.run", "true"), source, null).run());

    assertEquals(
        Arrays.asList("hook added", "source started", "source closed", "hook removed"), events);
    assertTrue(out().startsWith("Dry run: nothing was sent.\nRead 1 messages"), out());
  }

  @Test
  void aProgressLineGivesTheRateSinceTheLastOne() {
    LocalSource source =
        new LocalSource(false, StatusPipelineTest.BITCOIN, StatusPipelineTest.NONE);
    ProducerRunner[] runner = {null};
    source.whenEmpty =
        () -> {
          nanos.addAndGet(4_000_000_000L);
          runner[0].report();
        };
    runner[0] = runner(settings(), source, new RecordingProducer(true));

    runner[0].run();

    String first = out().split("\n")[0];
    assertTrue(
        first.startsWith("in 0.5 msg/s | statuses 2 | matched bitcoin=1 IoT=0 | unmatched 1"),
        first);
    assertTrue(first.contains("| dropped 3 | queue 0 |"), first);
  }

  @Test
  void theShutdownHookStopsTheSourceLetsTheRunDrainAndHaltsWithItsCode() throws Exception {
    LocalSource source = new LocalSource(true, StatusPipelineTest.BITCOIN);
    RecordingProducer producer = new RecordingProducer(true);
    // SIGTERM once the message is taken: the JVM starts the hook on a thread of its own.
    source.whenEmpty = () -> hook.start();

    assertEquals(0, runner(settings(), source, producer).run());
    hook.join(TimeUnit.SECONDS.toMillis(30));

    assertFalse(hook.isAlive());
    assertEquals(
        Arrays.asList(
            "hook added",
            "source started",
            "source stopped",
            "source closed",
            "producer closed within 7000 ms",
            "halt 0"),
        events);
    assertTrue(err().startsWith("Stopping: draining what was taken from the stream..."), err());
    assertTrue(out().contains("Records sent 1, acknowledged 1, failed 0."), out());
  }

  @Test
  void theStatusFileGetsAReadyLineALineAtEachReportAndAFinalOneWithTheClosedProducersCounts()
      throws Exception {
    RecordingProducer producer = new RecordingProducer(false);
    LocalSource source =
        new LocalSource(false, StatusPipelineTest.BITCOIN, StatusPipelineTest.BOTH);
    ProducerSettings settings = settings();
    Path file = dir.resolve("status.jsonl");
    StatusFile status =
        StatusFile.create(
            file, settings.keywords(), Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC));
    ProducerRunner[] runner = {null};
    source.whenEmpty =
        () -> {
          nanos.addAndGet(1_000_000_000L);
          runner[0].report(); // none acknowledged yet: the producer completes them on flush
        };
    runner[0] = runner(settings, source, producer, status);

    assertEquals(0, runner[0].run());

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(3, lines.size(), lines.toString());
    JsonObject ready = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertFalse(ready.get("final").getAsBoolean());
    assertEquals(0, ready.get("messages").getAsLong(), "the first line is written before reading");
    assertEquals(0, ready.get("sent").getAsLong());
    JsonObject report = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertFalse(report.get("final").getAsBoolean());
    assertEquals(1234, report.get("time").getAsLong());
    assertEquals(2.0, report.get("inRate").getAsDouble());
    assertEquals(3, report.get("sent").getAsLong());
    assertEquals(0, report.get("acked").getAsLong());
    JsonObject last = JsonParser.parseString(lines.get(2)).getAsJsonObject();
    assertTrue(last.get("final").getAsBoolean());
    assertEquals(3, last.get("acked").getAsLong());
    assertEquals(0.0, last.get("inRate").getAsDouble(), "no message and no time since the report");
    assertEquals(
        "{\"bitcoin\":2,\"IoT\":1}", last.get("matched").toString(), "every keyword, in order");

    status.append(null, null, false);
    assertEquals(3, Files.readAllLines(file, StandardCharsets.UTF_8).size(), "closed by the run");
  }
}
