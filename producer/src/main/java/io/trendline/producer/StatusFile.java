package io.trendline.producer;

import com.google.gson.stream.JsonWriter;
import io.trendline.common.KeywordList;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's counters for programs ({@code status.file}): one JSON object per line, appended
 * when the pipeline starts (all zeros: Kafka was checked and the source is starting, so the first
 * line is the producer's "ready"), at every progress report and once at the end, for example
 *
 * <pre>{@code
 * {"time":1764133207000,"final":false,"messages":8127,"statuses":8123,
 *  "matched":{"bitcoin":5012,"IoT":2201},"unmatched":10,"sent":7300,"acked":7290,"failed":0,
 *  "dropped":0,"queue":3,"notices":4,"malformed":0,"undelivered":0,"inRate":412.0}
 * }</pre>
 *
 * (on one line). {@code time} is the wall-clock time in epoch milliseconds, {@code inRate} the
 * messages per second read since the previous line, every other figure a total since start-up
 * ({@code queue} the messages buffered now); {@code matched} has every configured keyword, in
 * configured order. The last line of a run has {@code "final":true}, and comes after the producer
 * was closed, so its {@code acked} and {@code failed} are final.
 *
 * <p>The file is replaced when the producer starts. Each line is written whole, with its newline,
 * by a single write and flushed; a reader that finds a last line without a newline has caught a
 * write in progress and must ignore that line (and read it again later).
 *
 * <p>Thread-safe: the reporter thread and the runner's thread both append. A write that fails is
 * logged and ends the status lines; it does not stop the producer. Closed by the {@link
 * ProducerRunner}, after the final line.
 */
final class StatusFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusFile.class);

  private final Path path;
  private final KeywordList keywords;
  private final Clock clock;
  private final OutputStream out;
  private boolean broken;
  private boolean closed;

  private StatusFile(Path path, KeywordList keywords, Clock clock, OutputStream out) {
    this.path = path;
    this.keywords = keywords;
    this.clock = clock;
    this.out = out;
  }

  /**
   * Creates or empties the file at {@code path}.
   *
   * @param clock the time stamp of each line
   * @throws IOException when the file cannot be written
   */
  static StatusFile create(Path path, KeywordList keywords, Clock clock) throws IOException {
    // A FileOutputStream, not a channel: an interrupt of the reporter thread must not close it.
    return new StatusFile(path, keywords, clock, new FileOutputStream(path.toFile()));
  }

  /**
   * Appends one line: the totals in {@code now}, the rate since {@code previous}.
   *
   * @param last whether this is the run's final line
   */
  synchronized void append(
      ProducerMetrics.Snapshot previous, ProducerMetrics.Snapshot now, boolean last) {
    if (broken || closed) {
      return;
    }
    byte[] line =
        (json(clock.millis(), last, previous, now, keywords) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    try {
      out.write(line);
      out.flush();
    } catch (IOException e) {
      broken = true;
      log.warn("cannot write the status file {}: {}; no more status lines", path, e.toString());
    }
  }

  /** One status line's JSON object, without the newline. */
  static String json(
      long timeMs,
      boolean last,
      ProducerMetrics.Snapshot previous,
      ProducerMetrics.Snapshot now,
      KeywordList keywords) {
    StringWriter text = new StringWriter();
    try (JsonWriter w = new JsonWriter(text)) {
      w.beginObject();
      w.name("time").value(timeMs);
      w.name("final").value(last);
      w.name("messages").value(now.messages);
      w.name("statuses").value(now.statuses);
      w.name("matched").beginObject();
      for (int i = 0; i < now.matched.length; i++) {
        w.name(keywords.get(i).term()).value(now.matched[i]);
      }
      w.endObject();
      w.name("unmatched").value(now.unmatched);
      w.name("sent").value(now.sent);
      w.name("acked").value(now.acked);
      w.name("failed").value(now.failed);
      w.name("dropped").value(now.dropped);
      w.name("queue").value(now.queueDepth);
      w.name("notices").value(now.notices());
      w.name("malformed").value(now.malformed());
      w.name("undelivered").value(now.limitUndelivered);
      w.name("ruleMismatches").value(now.ruleMismatches);
      w.name("duplicates").value(now.duplicates);
      w.name("inRate").value(ProgressReport.rate(previous, now));
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string", e);
    }
    return text.toString();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      log.warn("cannot close the status file {}: {}", path, e.toString());
    }
  }
}
