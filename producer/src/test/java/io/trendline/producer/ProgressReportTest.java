package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.KeywordList;
import org.junit.jupiter.api.Test;

class ProgressReportTest {
  @Test
  void lineShowsTheRateAndTheTopKeywords() {
    KeywordList k = KeywordList.parse("a,b,c,d,e,f,g");
    ProducerMetrics m = new ProducerMetrics(k);
    ProducerMetrics.Snapshot before = m.snapshot(0, 0, 0);
    m.messages.set(500);
    m.statuses.set(480);
    for (int i = 0; i < 7; i++) {
      m.matched.set(i, 10 * (i + 1));
    }
    m.sent.set(280);
    m.acked.set(270);
    ProducerMetrics.Snapshot after = m.snapshot(2_000_000_000L, 4, 12);
    String line = ProgressReport.line(before, after, k);
    assertTrue(
        line.startsWith(
            "in 250.0 msg/s | statuses 480 | matched g=70 f=60 e=50 d=40 c=30 (+2 more)"),
        line);
    assertTrue(line.contains("sent 280 acked 270 failed 0 | dropped 4 | queue 12"), line);
  }

  @Test
  void tiesKeepTheConfiguredOrder() {
    KeywordList k = KeywordList.parse("x,y,z");
    assertEquals("x=1 y=1 (+1 more)", ProgressReport.topKeywords(new long[] {1, 1, 0}, k, 2));
  }
}
