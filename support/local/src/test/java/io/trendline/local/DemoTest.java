package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's reading of the producer's status file, without starting anything. */
class DemoTest {
  @TempDir Path dir;

  private static String line(boolean last, double inRate, long acked) {
    return "{\"time\":1,\"final\":"
        + last
        + ",\"messages\":9,\"matched\":{\"IoT\":4},\"acked\":"
        + acked
        + ",\"inRate\":"
        + inRate
        + "}";
  }

  private void append(Path file, String text) throws Exception {
    Files.write(
        file,
        text.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void theStatusLineShowsTheLatestWholeLineAndTheSummaryTheFinalOne() throws Exception {
    Path file = dir.resolve("producer-status.jsonl");
    Demo.ProducerStatus status = new Demo.ProducerStatus(file);
    assertEquals("starting", status.rate(), "no file yet");
    assertEquals(-1, status.acked());

    append(file, line(false, 33.04999, 1651) + "\n");
    assertEquals("33.0 msg/s, 1651 acked", status.rate());

    String next = line(false, 412.0, 7290);
    append(file, next.substring(0, 20));
    assertEquals("33.0 msg/s, 1651 acked", status.rate(), "half a line is not read");
    append(file, next.substring(20) + "\n" + line(true, 0.0, 7301) + "\n");
    assertEquals("412.0 msg/s, 7290 acked", status.rate(), "the final line is not a rate");
    assertEquals(7301, status.acked());
  }

  @Test
  void theRankingTableEscapesKeysSoThatNoneForgesARowOrReachesTheTerminal() {
    com.google.gson.JsonObject ranking =
        com.google.gson.JsonParser.parseString(
                "{\"batchTime\":1764000000000,\"windowMs\":300000,\"top\":["
                    + "{\"keyword\":\"IoT\\n  2    bitcoin   999\\u001b[2J\",\"count\":7}]}")
            .getAsJsonObject();
    String table = Demo.RankingText.table(ranking);
    assertEquals(3, table.split("\n").length, "a title, a header and one row: " + table);
    assertEquals(-1, table.indexOf('\u001b'), table);
  }

  @Test
  void theTableShowsTheAllTimeTotalsWhenTheConsumerKeepsThem() {
    com.google.gson.JsonObject ranking =
        com.google.gson.JsonParser.parseString(
                "{\"batchTime\":1764000000000,\"windowMs\":300000,\"top\":["
                    + "{\"keyword\":\"IoT\",\"count\":7}],\"totals\":{\"top\":["
                    + "{\"keyword\":\"bitcoin\",\"count\":900},{\"keyword\":\"IoT\",\"count\":40}],"
                    + "\"keys\":2,\"total\":940}}")
            .getAsJsonObject();
    String table = Demo.RankingText.table(ranking);
    String[] lines = table.split("\n");
    assertEquals(6, lines.length, table);
    assertEquals("All-time, since the job started (940 records)", lines[3]);
    assertEquals("  1    bitcoin                       900", lines[4]);
  }
}
