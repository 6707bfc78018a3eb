package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.http.HttpVersion;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

class XBackoffTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private final List<Long> waits = new ArrayList<>();
  private int connected;
  private final XStreamAuth answers =
      new XStreamAuth(BearerToken.load("", Collections.singletonMap(BearerToken.ENV, "t0ken")));

  private XBackoff backoff(int retries) {
    return new XBackoff(
        answers,
        retries,
        Duration.ofMinutes(1),
        Clock.fixed(NOW, ZoneOffset.UTC),
        waits::add,
        line -> {},
        () -> connected++);
  }

  private void answer(int status, String resetHeader, String body) throws Exception {
    BasicHttpResponse r = new BasicHttpResponse(HttpVersion.HTTP_1_1, status, "x");
    if (resetHeader != null) {
      r.addHeader("x-rate-limit-reset", resetHeader);
    }
    if (body != null) {
      r.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    }
    answers.watch(r);
  }

  @Test
  void networkErrorsBackOffLinearlyTo16Seconds() {
    XBackoff b = backoff(5);
    for (int i = 0; i < 66; i++) {
      b.handleLinearBackoff();
    }
    assertEquals(Arrays.asList(250L, 500L, 750L, 1000L), waits.subList(0, 4));
    assertEquals(16_000L, (long) waits.get(63));
    assertEquals(16_000L, (long) waits.get(65));
  }

  @Test
  void httpErrorsBackOffExponentiallyFrom5To320Seconds() throws Exception {
    answer(503, null, null);
    XBackoff b = backoff(5);
    for (int i = 0; i < 8; i++) {
      b.handleExponentialBackoff();
    }
    assertEquals(
        Arrays.asList(5_000L, 10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 320_000L, 320_000L),
        waits);
    b.resetCounts();
    b.handleExponentialBackoff();
    assertEquals(5_000L, (long) waits.get(8), "a connection made starts the count over");
  }

  @Test
  void a429WaitsForTheResetXSendsOrBacksOffFromAMinute() throws Exception {
    XBackoff b = backoff(5);
    answer(429, Long.toString(NOW.getEpochSecond() + 90), "{\"title\":\"Too Many Requests\"}");
    b.handleExponentialBackoff();
    assertEquals(91_000L, (long) waits.get(0), "until the reset, and a second more");
    answer(429, null, null);
    b.handleExponentialBackoff();
    b.handleExponentialBackoff();
    assertEquals(Arrays.asList(120_000L, 240_000L), waits.subList(1, 3), "doubling from 1 min");
    answer(429, Long.toString(NOW.getEpochSecond() - 5), null);
    b.handleExponentialBackoff();
    assertEquals(480_000L, (long) waits.get(3), "a reset already past is no reason to hurry");
    answer(429, Long.toString(NOW.getEpochSecond() + 86_400), null);
    b.handleExponentialBackoff();
    assertEquals(XBackoff.RATE_LIMIT_MAX_MS, (long) waits.get(4), "bounded");
  }

  @Test
  void refusalsAreReadFromXsProblemBodies() throws Exception {
    answer(
        429,
        null,
        "{\"title\":\"ConnectionException\",\"detail\":\"This stream is currently at the maximum"
            + " allowed connection limit.\",\"connection_issue\":\"TooManyConnections\"}");
    XStreamAuth.Refusal r = answers.lastRefusal();
    assertTrue(r.tooManyConnections());
    assertEquals(
        "ConnectionException: This stream is currently at the maximum allowed connection limit."
            + " (TooManyConnections)",
        r.describe());
    answer(403, null, "Forbidden");
    assertEquals("Forbidden", answers.lastRefusal().describe(), "plain text is kept too");
    BasicHttpResponse chunked = new BasicHttpResponse(HttpVersion.HTTP_1_1, 429, "x");
    org.apache.http.entity.InputStreamEntity stream =
        new org.apache.http.entity.InputStreamEntity(
            new java.io.ByteArrayInputStream(
                "{\"connection_issue\":\"TooManyConnections\"}".getBytes(StandardCharsets.UTF_8)),
            -1);
    chunked.setEntity(stream);
    answers.watch(chunked);
    assertTrue(answers.lastRefusal().tooManyConnections(), "a body of unknown length is read");
    answer(403, null, "<html>forbidden</html>");
    assertFalse(answers.lastRefusal().tooManyConnections());
    assertEquals("<html>forbidden</html>", answers.lastRefusal().describe());
    answer(200, null, null);
    assertEquals(403, answers.lastRefusal().status, "a success is no refusal");
  }

  @Test
  void fourHundredsAreRetriedAsManyTimesAsAllowed() {
    XBackoff b = backoff(2);
    assertTrue(b.shouldReconnectOn400s());
    assertTrue(b.shouldReconnectOn400s());
    assertFalse(b.shouldReconnectOn400s());
    b.resetCounts();
    assertTrue(b.shouldReconnectOn400s());
    assertEquals(1, connected, "a connection made is told on");
  }
}
