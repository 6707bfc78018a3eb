package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.common.StreamMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamServerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<StreamServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    for (StreamServer s : servers) {
      s.close();
    }
  }

  private StreamServer start(StreamServer.Builder b) throws IOException {
    StreamServer s = b.log(line -> {}).build().start();
    servers.add(s);
    return s;
  }

  private static List<String> statuses(int n, String keyword) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(Fixtures.status(i, "status number " + i + " about " + keyword));
    }
    return out;
  }

  private static long id(String message) {
    return StreamMessage.parse(message).json().get("id").getAsLong();
  }

  @Test
  void lengthPrefixIsTheUtf8ByteCountIncludingCrlf() throws Exception {
    String status = Fixtures.status(1, "Bitcoin ünïcödé 日本語 🚀 عربى");
    StreamServer server = start(StreamServer.builder().source(MessageSource.of(status)));
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      assertEquals(200, c.status);
      assertEquals("application/json", c.headers.get("content-type"));
      assertEquals("chunked", c.headers.get("transfer-encoding"));
      assertEquals(status, c.next());
    }
    // And byte for byte, as a client reading the raw body sees it.
    byte[] framed =
        ChunkedWriter.lengthLine((status + "\r\n").getBytes(StandardCharsets.UTF_8).length);
    int expected = status.getBytes(StandardCharsets.UTF_8).length + 2;
    assertEquals(expected + "\r\n", new String(framed, StandardCharsets.US_ASCII));
    assertTrue(expected > status.length() + 2, "the fixture must hold multi-byte characters");
  }

  @Test
  void chunkedWriterFramesMessagesExactly() throws IOException {
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    ChunkedWriter w = new ChunkedWriter(raw, true);
    byte[] msg = Item.encode("{\"text\":\"é🚀\"}");
    w.message(msg);
    w.keepAlive();
    w.flush();
    w.finish();
    String len = Integer.toString(msg.length);
    int chunk = len.length() + 2 + msg.length + 2;
    byte[] expected =
        concat(
            (Integer.toHexString(chunk) + "\r\n" + len + "\r\n").getBytes(StandardCharsets.UTF_8),
            msg,
            "\r\n\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(new String(expected, StandardCharsets.UTF_8), raw.toString("UTF-8"));
    assertEquals(19, msg.length);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.write(p, 0, p.length);
    }
    return b.toByteArray();
  }

  @Test
  void withoutDelimitedEachMessageIsALine() throws Exception {
    StreamServer server =
        start(StreamServer.builder().source(MessageSource.of(statuses(3, "IoT"))));
    try (TestClient c = TestClient.stream(server, "iot", false)) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(i, id(c.next()));
      }
    }
  }

  @Test
  void onlyStatusesMatchingTrackAreSentAndNoticesPassThrough() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(
                    MessageSource.of(
                        Fixtures.status(1, "#Bitcoin to the moon"),
                        Fixtures.status(2, "what an idiot"),
                        Fixtures.retweet(3_000_000, "my fridge runs on IoT now"),
                        Fixtures.limit(4),
                        Fixtures.status(4, "5GHz wifi is not 5G"),
                        "this line is not JSON",
                        Fixtures.status(5, "nothing to see"))));
    try (TestClient c = TestClient.stream(server, "bitcoin,IoT", true)) {
      assertEquals(1, id(c.next()));
      assertEquals(3_000_000, id(c.next()));
      assertEquals(Fixtures.limit(4), c.next());
      assertEquals("this line is not JSON", c.next());
      // Counters move just after the bytes leave: wait for them rather than racing the writer.
      StreamStats s = server.awaitStats(st -> st.offered() == 5 && st.noticesSent() == 2, WAIT);
      ConnectionStats one = s.stream(1);
      assertEquals(2, one.sent());
      assertEquals(3, one.filteredOut());
      assertEquals(2, one.noticesSent());
      assertEquals("bitcoin,IoT", one.track());
      assertTrue(one.delimited());
    }
  }

  @Test
  void refusesWhatTwitterRefused() throws Exception {
    StreamServer server = start(StreamServer.builder().requireConsumerKey("key-one"));
    String filter = "/1.1/statuses/filter.json?delimited=length";
    try (TestClient c = TestClient.request(server, "POST", filter, null, "track=x", true)) {
      assertEquals(401, c.status);
    }
    String wrongKey = TestClient.OAUTH.replace("key%2Done", "someone-else");
    try (TestClient c = TestClient.request(server, "POST", filter, wrongKey, "track=x", true)) {
      assertEquals(401, c.status);
    }
    try (TestClient c =
        TestClient.request(
            server, "POST", "/1.1/statuses/sample.json", TestClient.OAUTH, "", true)) {
      assertEquals(404, c.status);
    }
    try (TestClient c = TestClient.request(server, "POST", filter, TestClient.OAUTH, "", true)) {
      assertEquals(406, c.status);
      assertTrue(c.bodyText().contains("the keyword list is empty"));
    }
    String tooLong = "track=" + new String(new char[61]).replace('\0', 'a');
    try (TestClient c =
        TestClient.request(server, "POST", filter, TestClient.OAUTH, tooLong, true)) {
      assertEquals(406, c.status);
      assertTrue(c.bodyText().contains("at most 60"));
    }
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      assertEquals(200, c.status);
    }
    StreamStats s = server.stats();
    assertEquals(2L, s.rejected().get(401));
    assertEquals(1L, s.rejected().get(404));
    assertEquals(2L, s.rejected().get(406));
    assertEquals(1, s.streamsOpened());
  }

  @Test
  void consumerKeyIsReadFromTheOAuthHeader() {
    assertEquals("key-one", Connection.consumerKey(TestClient.OAUTH));
    assertNull(Connection.consumerKey("OAuth oauth_token=\"t\""));
  }

  @Test
  void sendsKeepAlivesWhileSilent() throws Exception {
    StreamServer server = start(StreamServer.builder().keepAlive(Duration.ofMillis(50)));
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      server.awaitStats(s -> s.keepAlivesSent() >= 2, WAIT);
      // The source is exhausted at once; the stream stays open and silent but for keep-alives.
      assertTrue(server.stats().sourceExhausted());
      assertEquals(1, server.stats().streamsActive());
      assertEquals(200, c.status);
    }
  }

  @Test
  void keepAlivesReachTheClientAsBlankLines() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    MessageSource late =
        new MessageSource() {
          private boolean sent;

          @Override
          public String next() {
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return null;
            }
            if (sent) {
              return null;
            }
            sent = true;
            return Fixtures.status(1, "bitcoin");
          }
        };
    StreamServer server =
        start(StreamServer.builder().source(late).keepAlive(Duration.ofMillis(20)));
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      server.awaitStats(s -> s.keepAlivesSent() >= 3, WAIT);
      go.countDown();
      assertEquals(1, id(c.next()));
      assertTrue(c.keepAlives >= 3, "keep-alives seen: " + c.keepAlives);
    }
  }

  @Test
  void httpFaultsAnswerTheFirstAttempts() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(1, "bitcoin")))
                .faults(FaultPlan.parse("http:420:2,http:503")));
    int[] expected = {420, 420, 503, 200};
    for (int code : expected) {
      try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
        assertEquals(code, c.status);
      }
    }
    StreamStats s = server.stats();
    assertEquals(2L, s.rejected().get(420));
    assertEquals(3, s.faultsFired());
  }

  @Test
  void closeFaultEndsCleanlyAndTheNextStreamResumesExactlyOnce() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(10, "bitcoin")))
                .faults(FaultPlan.parse("close:3")));
    List<Long> got = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      for (String m = c.next(); m != null; m = c.next()) {
        got.add(id(m));
      }
    }
    assertEquals(3, got.size());
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      while (got.size() < 10) {
        got.add(id(c.next()));
      }
    }
    assertEquals(ids(1, 10), got);
    StreamStats s = server.awaitStats(st -> st.streamsActive() == 0, WAIT);
    assertEquals(3, s.stream(1).sent());
    assertEquals("fault: close after 3", s.stream(1).endReason());
    assertEquals(7, s.stream(2).sent());
    assertEquals(10, s.sent());
  }

  @Test
  void cutFaultBreaksOffAMessageAndItIsRedelivered() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(6, "bitcoin")))
                .faults(FaultPlan.builder().cutAfter(2).build()));
    List<Long> got = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      got.add(id(c.next()));
      got.add(id(c.next()));
      assertThrows(IOException.class, c::next);
    }
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      while (got.size() < 6) {
        got.add(id(c.next()));
      }
    }
    assertEquals(ids(1, 6), got);
    StreamStats s = server.awaitStats(st -> st.streamsActive() == 0, WAIT);
    assertEquals(2, s.stream(1).sent());
    assertEquals("fault: cut after 2", s.stream(1).endReason());
    assertTrue(s.stream(1).requeued() >= 1);
    assertEquals(1, s.stream(1).faultsFired());
  }

  @Test
  void resetFaultResetsTheSocketAndTheNextStreamResumesAfterWhatWasSent() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(6, "bitcoin")))
                .faults(FaultPlan.parse("reset:2")));
    List<Long> got = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      // A reset may discard even complete messages the client had not read yet.
      IOException e =
          assertThrows(
              IOException.class,
              () -> {
                while (true) {
                  got.add(id(c.next()));
                }
              });
      assertTrue(got.size() <= 2, e + " after " + got);
    }
    List<Long> next = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      while (next.size() < 4) {
        next.add(id(c.next()));
      }
    }
    assertEquals(ids(3, 6), next);
    StreamStats s = server.awaitStats(st -> st.streamsActive() == 0, WAIT);
    assertEquals("fault: reset after 2", s.stream(1).endReason());
  }

  @Test
  void aClientThatHangsUpLosesNothingTheServerCountsAsUnsent() throws Exception {
    int n = 3000;
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(n, "bitcoin")))
                .queueCapacity(16));
    Set<Long> first = new HashSet<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      for (int i = 0; i < 5; i++) {
        first.add(id(c.next()));
      }
      c.kill();
    }
    server.awaitStats(s -> s.streamsActive() == 0, WAIT);
    List<Long> second = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      StreamStats s = server.stats();
      long expected = n - s.stream(1).sent();
      while (second.size() < expected) {
        second.add(id(c.next()));
      }
    }
    for (long id : second) {
      assertTrue(!first.contains(id), "status " + id + " sent twice");
    }
    StreamStats s = server.awaitStats(st -> st.streamsActive() == 0, WAIT);
    assertEquals(n, s.stream(1).sent() + s.stream(2).sent());
    assertEquals(n, s.sent());
  }

  @Test
  void stallSendsNothingThenCarriesOn() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(3, "bitcoin")))
                .keepAlive(Duration.ofMillis(20))
                .faults(FaultPlan.parse("stall:2:300ms")));
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      c.next();
      c.next();
      long start = System.nanoTime();
      int keepAlivesBefore = c.keepAlives;
      assertEquals(3, id(c.next()));
      assertTrue(System.nanoTime() - start >= 250_000_000L, "the stall was shorter than asked");
      assertEquals(keepAlivesBefore, c.keepAlives, "keep-alives were sent during the stall");
    }
    assertEquals(1, server.stats().faultsFired());
  }

  @Test
  void malformedLimitAndDisconnectFaultsFireAtTheirCounts() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(statuses(10, "bitcoin")))
                .faults(FaultPlan.parse("malformed:1,malformed:2:text,limit:2:5,disconnect:4:12")));
    List<String> got = new ArrayList<>();
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      for (String m = c.next(); m != null; m = c.next()) {
        got.add(m);
      }
    }
    // Faults due at the same count fire in the order the plan lists them.
    List<StreamMessage.Kind> kinds = new ArrayList<>();
    for (String m : got) {
      kinds.add(StreamMessage.parse(m).kind());
    }
    assertEquals(
        java.util.Arrays.asList(
            StreamMessage.Kind.STATUS,
            StreamMessage.Kind.MALFORMED,
            StreamMessage.Kind.STATUS,
            StreamMessage.Kind.MALFORMED,
            StreamMessage.Kind.LIMIT,
            StreamMessage.Kind.STATUS,
            StreamMessage.Kind.STATUS,
            StreamMessage.Kind.LIMIT,
            StreamMessage.Kind.DISCONNECT),
        kinds);
    assertTrue(got.get(1).startsWith("{"), "the json form is a cut-short object");
    assertEquals(5, StreamMessage.parse(got.get(4)).limitUndelivered());
    assertEquals(10, StreamMessage.parse(got.get(7)).limitUndelivered());
    JsonObject disconnect = JsonParser.parseString(got.get(8)).getAsJsonObject();
    assertEquals(12, disconnect.getAsJsonObject("disconnect").get("code").getAsInt());
    StreamStats s = server.awaitStats(st -> st.streamsActive() == 0, WAIT);
    assertEquals(5, s.stream(1).faultsFired());
    assertEquals(4, s.stream(1).sent());
  }

  @Test
  void concurrentStreamsEachGetTheirOwnMatches() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<String> messages = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      messages.add(Fixtures.status(i, i % 2 == 0 ? "even #bitcoin" : "odd #IoT"));
    }
    MessageSource all = MessageSource.of(messages);
    MessageSource gated =
        () -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
          return all.next();
        };
    StreamServer server = start(StreamServer.builder().source(gated));
    try (TestClient a = TestClient.stream(server, "bitcoin", true);
        TestClient b = TestClient.stream(server, "iot", false)) {
      server.awaitStats(s -> s.streamsActive() == 2, WAIT);
      go.countDown();
      for (int i = 1; i <= 10; i++) {
        assertEquals(2 * i, id(a.next()));
        assertEquals(2 * i - 1, id(b.next()));
      }
    }
  }

  @Test
  void statsEndpointAnswersJson() throws Exception {
    StreamServer server =
        start(StreamServer.builder().source(MessageSource.of(statuses(2, "bitcoin"))));
    try (TestClient c = TestClient.stream(server, "bitcoin", true)) {
      c.next();
      c.next();
      server.awaitStats(s -> s.sent() == 2, WAIT);
      try (TestClient stats = TestClient.request(server, "GET", "/stats", null, "", false)) {
        assertEquals(200, stats.status);
        JsonObject json = JsonParser.parseString(stats.bodyText()).getAsJsonObject();
        assertEquals(2, json.getAsJsonObject("totals").get("sent").getAsLong());
        assertEquals(1, json.get("streamsOpened").getAsLong());
        assertEquals(2, json.getAsJsonObject("source").get("statuses").getAsLong());
        assertEquals(
            "bitcoin",
            json.getAsJsonArray("streams").get(0).getAsJsonObject().get("track").getAsString());
      }
    }
  }

  @Test
  void closeFreesThePort() throws Exception {
    StreamServer server = start(StreamServer.builder());
    int port = server.port();
    assertTrue(server.url().equals("http://127.0.0.1:" + port));
    TestClient open = TestClient.stream(server, "bitcoin", true);
    server.close();
    assertThrows(IOException.class, () -> open.next());
    open.close();
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  private static List<Long> ids(int from, int to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
