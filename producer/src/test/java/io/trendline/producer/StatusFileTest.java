package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {
  private static final KeywordList KEYWORDS = KeywordList.parse("bitcoin,IoT,smart city");
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_764_133_207_000L), ZoneOffset.UTC);

  @TempDir Path dir;

  /** Counters with every figure different, so a field mixed up with another shows. */
  private static ProducerMetrics.Snapshot[] twoSnapshots() {
    ProducerMetrics m = new ProducerMetrics(KEYWORDS);
    ProducerMetrics.Snapshot before = m.snapshot(1_000_000_000L, 0, 0);
    m.messages.set(830);
    m.byKind.set(StreamMessage.Kind.STATUS.ordinal(), 812);
    m.byKind.set(StreamMessage.Kind.MALFORMED.ordinal(), 6);
    m.byKind.set(StreamMessage.Kind.UNKNOWN.ordinal(), 1);
    m.statuses.set(812);
    m.matched.set(0, 501);
    m.matched.set(1, 220);
    m.matched.set(2, 0);
    m.unmatched.set(91);
    m.sent.set(721);
    m.acked.set(719);
    m.failed.set(2);
    m.limitUndelivered.set(17);
    ProducerMetrics.Snapshot now = m.snapshot(5_000_000_000L, 13, 4);
    return new ProducerMetrics.Snapshot[] {before, now};
  }

  @Test
  void aLineHoldsEveryCounterTheKeywordsInOrderAndTheRateSinceThePreviousLine() {
    ProducerMetrics.Snapshot[] s = twoSnapshots();
    String json = StatusFile.json(42, false, s[0], s[1], KEYWORDS);

    assertEquals(
        "{\"time\":42,\"final\":false,\"messages\":830,\"statuses\":812,"
            + "\"matched\":{\"bitcoin\":501,\"IoT\":220,\"smart city\":0},\"unmatched\":91,"
            + "\"sent\":721,\"acked\":719,\"failed\":2,\"dropped\":13,\"queue\":4,"
            + "\"notices\":11,\"malformed\":7,\"undelivered\":17,\"ruleMismatches\":0,\"duplicates\":0,\"inRate\":207.5}",
        json);
  }

  @Test
  void eachAppendIsOneWholeLineTheLastOneFinalAndTheFileIsReplacedAtCreation() throws Exception {
    Path file = dir.resolve("producer-status.jsonl");
    Files.write(file, Arrays.asList("from an earlier run"), StandardCharsets.UTF_8);
    ProducerMetrics.Snapshot[] s = twoSnapshots();

    try (StatusFile status = StatusFile.create(file, KEYWORDS, CLOCK)) {
      status.append(s[0], s[0], false);
      String one = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      assertEquals(1, one.split("\n", -1).length - 1, one);
      assertTrue(one.endsWith("}\n"), "written whole and flushed: " + one);
      status.append(s[0], s[1], true);
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(2, lines.size(), lines.toString());
    JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertFalse(first.get("final").getAsBoolean());
    assertEquals(0.0, first.get("inRate").getAsDouble());
    JsonObject last = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertTrue(last.get("final").getAsBoolean());
    assertEquals(1_764_133_207_000L, last.get("time").getAsLong());
    assertEquals(719, last.get("acked").getAsLong());
  }
}
