package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  @Test
  void parsesEveryKindAndPrintsItBack() {
    FaultPlan p =
        FaultPlan.parse(
            "http:420:2, http:503, close:100, cut:4, reset:5@2, stall:10:5s@*, malformed:3:text,"
                + " limit:50, disconnect:7:12@3");
    assertEquals(
        "http:420:2,http:503:1,close:100@1,cut:4@1,reset:5@2,stall:10:5s@*,malformed:3:text@1,"
            + "limit:50:1@*,disconnect:7:12@3",
        p.toString());
    assertEquals(p.toString(), FaultPlan.parse(p.toString()).toString());
    FaultPlan.Fault stall = p.faults().get(5);
    assertEquals(FaultPlan.Kind.STALL, stall.kind());
    assertEquals(Duration.ofSeconds(5), stall.stall());
    assertEquals(FaultPlan.EVERY_STREAM, stall.stream());
  }

  @Test
  void httpFaultsCoverConsecutiveAttempts() {
    FaultPlan p = FaultPlan.builder().httpError(420, 2).httpError(503, 1).build();
    assertEquals(420, p.httpCodeFor(1));
    assertEquals(420, p.httpCodeFor(2));
    assertEquals(503, p.httpCodeFor(3));
    assertEquals(0, p.httpCodeFor(4));
  }

  @Test
  void faultsApplyToTheirStreams() {
    FaultPlan p = FaultPlan.parse("close:1,reset:2@2,limit:3");
    assertEquals(2, p.forStream(1).size());
    assertEquals(2, p.forStream(2).size());
    assertEquals(1, p.forStream(3).size());
    assertTrue(FaultPlan.parse(" ").faults().isEmpty());
  }

  @Test
  void errorsNameTheFault() {
    assertMessage("fault 'boom:1': unknown kind", "boom:1");
    assertMessage("fault 'http:200': HTTP code must be 400-599", "http:200");
    assertMessage("fault 'stall:3': expected stall:N:DURATION", "stall:3");
    assertMessage("fault 'close:x': expected a whole number", "close:x");
    assertMessage("fault 'stall:1:5 parsecs'", "stall:1:5 parsecs");
    assertMessage("fault 'http:420@2': http faults count attempts", "http:420@2");
  }

  private static void assertMessage(String start, String spec) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse(spec));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
