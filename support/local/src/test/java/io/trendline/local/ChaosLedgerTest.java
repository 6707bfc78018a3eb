package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosLedgerTest {
  private static final long MS = 1_000_000L;
  private final ChaosLedger ledger = new ChaosLedger();

  private static List<String> keys(String... k) {
    return Arrays.asList(k);
  }

  /** Puts a record of each status under {@code key} in the topic. */
  private void arrived(String key, String... ids) {
    for (String id : ids) {
      ledger.inTopic(key, id);
    }
  }

  private static Map<String, Long> counts(Object... kv) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void everyStatusInTheTopicUnderEachOfItsKeywordsIsClean() {
    ledger.delivered(1, "a", 0, keys("bitcoin", "IoT"));
    ledger.delivered(1, "b", 0, keys("IoT"));
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 10 * MS);
    arrived("bitcoin", "a");
    arrived("IoT", "a", "b");
    ledger.ranking(counts("bitcoin", 1, "IoT", 2));
    ChaosLedger.Verdict v = ledger.verdict();
    assertTrue(v.clean());
    assertEquals(2, v.delivered);
    assertEquals(3, v.expectedRecords);
    assertEquals(3, v.expected);
    assertEquals(3, v.counted);
    assertEquals(0, v.lost);
  }

  @Test
  void aStatusMissingUnderOneOfItsKeywordsOnAnOrderlyStreamIsLost() {
    ledger.delivered(1, "a", 0, keys("bitcoin", "IoT"));
    ledger.producerEnded(1, ChaosLedger.End.TERM, 10 * MS);
    ledger.streamEnded(1, "client closed");
    arrived("bitcoin", "a");
    // Not the tail: status "a" reached the topic under bitcoin, so the producer read it.
    ledger.ranking(counts("bitcoin", 1));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(1, v.lost);
    assertFalse(v.clean());
  }

  @Test
  void whatAKilledProducerHeldIsDroppedInTheCrashWithItsAge() {
    ledger.delivered(1, "a", 100 * MS, keys("bitcoin"));
    ledger.delivered(1, "b", 400 * MS, keys("bitcoin"));
    ledger.delivered(1, "c", 700 * MS, keys("bitcoin"));
    ledger.producerEnded(1, ChaosLedger.End.KILL, 1000 * MS);
    ledger.delivered(2, "d", 1500 * MS, keys("bitcoin"));
    ledger.producerEnded(2, ChaosLedger.End.FINAL, 2000 * MS);
    arrived("bitcoin", "a", "d");
    ledger.ranking(counts("bitcoin", 2));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(2, v.droppedInCrash);
    assertEquals(600, v.crashWindowMs);
    assertEquals(0, v.lost);
    assertTrue(v.clean());
  }

  @Test
  void onlyTheMissingTailOfAResetStreamIsUnreadAtClose() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.delivered(1, "b", 0, keys("bitcoin"));
    ledger.delivered(1, "c", 0, keys("bitcoin"));
    ledger.delivered(1, "d", 0, keys("bitcoin"));
    ledger.streamEnded(1, "fault: reset after 4");
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 0);
    // Nothing after a arrived: b, c and d are the tail nobody read before the reset.
    arrived("bitcoin", "a");
    ledger.inTopic("bitcoin", "x-not-delivered");
    ledger.ranking(counts("bitcoin", 2));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(0, v.lost);
    assertEquals(3, v.unreadAtClose);
    assertEquals(1, v.foreign);
    assertFalse(v.clean(), "a record nobody delivered is foreign");
  }

  @Test
  void aGapBeforeAStatusThatArrivedIsLostEvenOnAResetStream() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.delivered(1, "b", 0, keys("bitcoin"));
    ledger.delivered(1, "c", 0, keys("bitcoin"));
    ledger.streamEnded(1, "fault: reset after 3");
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 0);
    arrived("bitcoin", "a", "c");
    ledger.ranking(counts("bitcoin", 2));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(1, v.lost);
    assertEquals(0, v.unreadAtClose);
  }

  @Test
  void theSameStatusTwiceUnderOneKeyIsADuplicateAndTheRankingMustCountBoth() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 0);
    arrived("bitcoin", "a", "a");
    ledger.ranking(counts("bitcoin", 1));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(1, v.duplicates);
    assertEquals(0, v.foreign);
    assertEquals(2, v.expected);
    assertEquals(Collections.singletonMap("bitcoin", "topic 2, ranking 1"), v.countMismatches);
    assertFalse(v.clean());
  }

  @Test
  void aRankingWithAKeywordTheTopicLacksDisagrees() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 0);
    arrived("bitcoin", "a");
    ledger.ranking(counts("bitcoin", 1, "IoT", 3));
    assertEquals(
        Collections.singletonMap("IoT", "topic 0, ranking 3"), ledger.verdict().countMismatches);
  }

  @Test
  void aRecordUnderAKeyItsStatusDoesNotMatchIsForeign() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.producerEnded(1, ChaosLedger.End.FINAL, 0);
    arrived("bitcoin", "a");
    arrived("IoT", "a");
    ledger.inTopic("IoT", null);
    ledger.ranking(counts("bitcoin", 1, "IoT", 1));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(2, v.foreign, "one under the wrong key, one not a status");
  }

  @Test
  void aStatusTheServerDeliveredTwiceIsCountedAndJudgedOnce() {
    ledger.delivered(1, "a", 0, keys("bitcoin"));
    ledger.delivered(2, "a", 0, keys("bitcoin"));
    ledger.producerEnded(2, ChaosLedger.End.FINAL, 0);
    arrived("bitcoin", "a");
    ledger.ranking(counts("bitcoin", 1));
    ChaosLedger.Verdict v = ledger.verdict();
    assertEquals(1, v.deliveredTwice);
    assertEquals(0, v.lost);
    assertFalse(v.clean());
  }
}
