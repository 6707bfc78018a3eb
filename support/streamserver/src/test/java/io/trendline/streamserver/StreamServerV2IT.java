package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The v2 filtered stream and its rules endpoint, over real sockets, as a raw HTTP client sees. */
class StreamServerV2IT {
  private static final String BEARER = "Bearer test-token-1";
  private static final String RULES = "/2/tweets/search/stream/rules";
  private static final String STREAM = "/2/tweets/search/stream";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<StreamServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    for (StreamServer s : servers) {
      s.close();
    }
  }

  private StreamServer start(StreamServer.Builder b) throws IOException {
    StreamServer s =
        b.api(StreamServer.Api.V2).requireBearerToken("test-token-1").log(line -> {}).build();
    servers.add(s);
    return s.start();
  }

  private static JsonObject call(StreamServer server, String method, String target, String body)
      throws IOException {
    try (TestClient c = TestClient.request(server, method, target, BEARER, body, false)) {
      JsonObject o = JsonParser.parseString(c.bodyText()).getAsJsonObject();
      o.addProperty("http", c.status);
      return o;
    }
  }

  private static JsonObject add(StreamServer server, String rulesJson, boolean dryRun)
      throws IOException {
    return call(
        server, "POST", RULES + (dryRun ? "?dry_run=true" : ""), "{\"add\":" + rulesJson + "}");
  }

  @Test
  void rulesAreAddedListedCheckedAndDeletedAsXDoes() throws Exception {
    StreamServer server = start(StreamServer.builder().ruleLimits(3, 40));

    JsonObject empty = call(server, "GET", RULES, "");
    assertEquals(200, empty.get("http").getAsInt());
    assertEquals(0, empty.getAsJsonObject("meta").get("result_count").getAsInt());
    assertNull(empty.get("data"));

    JsonObject dry = add(server, "[{\"value\":\"ferry\",\"tag\":\"t:ferry\"}]", true);
    assertEquals(200, dry.get("http").getAsInt());
    assertEquals(1, summary(dry).get("valid").getAsInt());
    assertEquals(0, summary(dry).get("created").getAsInt());
    assertEquals(
        0,
        call(server, "GET", RULES, "").getAsJsonObject("meta").get("result_count").getAsInt(),
        "a dry run changes nothing");

    JsonObject created =
        add(
            server,
            "[{\"value\":\"ferry\",\"tag\":\"t:ferry\"},{\"value\":\"lighthouse keeper\"}]",
            false);
    assertEquals(201, created.get("http").getAsInt());
    assertEquals(2, summary(created).get("created").getAsInt());
    JsonArray data = created.getAsJsonArray("data");
    String ferryId = data.get(0).getAsJsonObject().get("id").getAsString();
    assertEquals("t:ferry", data.get(0).getAsJsonObject().get("tag").getAsString());
    assertNull(data.get(1).getAsJsonObject().get("tag"), "an untagged rule has no tag");

    // One invalid rule: none of the request's rules is created; each refusal says why.
    JsonObject bad =
        add(
            server,
            "[{\"value\":\"kayak\"},{\"value\":\"-boat\"},{\"value\":\"a very long rule of many words past the limit\"}]",
            false);
    assertEquals(400, bad.get("http").getAsInt());
    assertEquals(0, summary(bad).get("created").getAsInt());
    assertEquals(1, summary(bad).get("valid").getAsInt());
    assertEquals(2, summary(bad).get("invalid").getAsInt());
    JsonArray errors = bad.getAsJsonArray("errors");
    assertEquals("-boat", errors.get(0).getAsJsonObject().get("value").getAsString());
    assertEquals("UnprocessableEntity", errors.get(0).getAsJsonObject().get("title").getAsString());
    assertTrue(errors.get(0).getAsJsonObject().get("details").toString().contains("non-negation"));
    assertTrue(errors.get(1).getAsJsonObject().get("type").getAsString().endsWith("/rule-length"));

    // A duplicate is refused with the id of the rule already there; the others are created.
    JsonObject dup = add(server, "[{\"value\":\"ferry\"},{\"value\":\"kayak\"}]", false);
    assertEquals(201, dup.get("http").getAsInt());
    assertEquals(1, summary(dup).get("created").getAsInt());
    JsonObject dupError = dup.getAsJsonArray("errors").get(0).getAsJsonObject();
    assertEquals("DuplicateRule", dupError.get("title").getAsString());
    assertEquals(ferryId, dupError.get("id").getAsString());

    // The cap: three rules are there, a fourth is refused.
    JsonObject capped = add(server, "[{\"value\":\"canoe\"}]", false);
    assertEquals(400, capped.get("http").getAsInt());
    assertTrue(
        capped
            .getAsJsonArray("errors")
            .get(0)
            .getAsJsonObject()
            .get("type")
            .getAsString()
            .endsWith("/rule-cap"));

    JsonObject deleted =
        call(server, "POST", RULES, "{\"delete\":{\"ids\":[\"" + ferryId + "\",\"1\"]}}");
    assertEquals(200, deleted.get("http").getAsInt());
    assertEquals(1, summary(deleted).get("deleted").getAsInt());
    assertEquals(1, summary(deleted).get("not_deleted").getAsInt());
    JsonObject listed = call(server, "GET", RULES, "");
    assertEquals(2, listed.getAsJsonObject("meta").get("result_count").getAsInt());
    for (JsonElement e : listed.getAsJsonArray("data")) {
      assertTrue(!e.getAsJsonObject().get("id").getAsString().equals(ferryId));
    }

    assertEquals(400, call(server, "POST", RULES, "{\"add\":[]}").get("http").getAsInt());
    assertEquals(400, call(server, "POST", RULES, "not json").get("http").getAsInt());
    assertEquals(
        400,
        call(server, "POST", RULES, "{\"add\":[{\"value\":1}],\"delete\":{}}")
            .get("http")
            .getAsInt());
  }

  private static JsonObject summary(JsonObject answer) {
    return answer.getAsJsonObject("meta").getAsJsonObject("summary");
  }

  @Test
  void withoutTheRightBearerTokenNothingIsServed() throws Exception {
    StreamServer server = start(StreamServer.builder());
    for (String auth : new String[] {null, "Bearer wrong", "OAuth oauth_consumer_key=\"k\""}) {
      for (String path : new String[] {RULES, STREAM}) {
        try (TestClient c = TestClient.request(server, "GET", path, auth, "", false)) {
          assertEquals(401, c.status, path + " with " + auth);
          assertEquals(
              "Unauthorized",
              JsonParser.parseString(c.bodyText()).getAsJsonObject().get("title").getAsString());
        }
      }
    }
    try (TestClient c = TestClient.stream(server, "ferry", true)) {
      assertEquals(404, c.status, "a v2 server has no v1.1 endpoint");
    }
  }

  @Test
  void theStreamCarriesWhatTheRulesMatchInV2sShapeAndFollowsRuleChanges() throws Exception {
    List<String> source = new ArrayList<>();
    source.add(Fixtures.status(1, "the ferry to Skye"));
    source.add(Fixtures.limit(3));
    source.add(Fixtures.status(2, "a kayak and a ferry"));
    source.add(Fixtures.status(3, "nothing here"));
    source.add(Fixtures.retweet(4_000_004, "a kayak trip"));
    StreamServer server =
        start(StreamServer.builder().source(MessageSource.of(source.toArray(new String[0]))));
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(409, c.status, "no rules: nothing to stream");
    }
    add(
        server,
        "[{\"value\":\"ferry\",\"tag\":\"trendline:ferry\"},{\"value\":\"kayak\",\"tag\":\"trendline:kayak\"}]",
        false);
    try (TestClient c =
        TestClient.request(server, "GET", STREAM + "?tweet.fields=created_at", BEARER, "", false)) {
      assertEquals(200, c.status);
      JsonObject first = JsonParser.parseString(c.next()).getAsJsonObject();
      assertEquals("1", first.getAsJsonObject("data").get("id").getAsString());
      assertEquals(
          "trendline:ferry",
          first.getAsJsonArray("matching_rules").get(0).getAsJsonObject().get("tag").getAsString());
      JsonObject second = JsonParser.parseString(c.next()).getAsJsonObject();
      assertEquals(
          "2", second.getAsJsonObject("data").get("id").getAsString(), "no limit notice in v2");
      assertEquals(2, second.getAsJsonArray("matching_rules").size());
      JsonObject third = JsonParser.parseString(c.next()).getAsJsonObject();
      assertEquals(
          "4000004",
          third.getAsJsonObject("data").get("id").getAsString(),
          "the retweet matches through its original");
      assertEquals(
          "3000004",
          third
              .getAsJsonObject("includes")
              .getAsJsonArray("tweets")
              .get(0)
              .getAsJsonObject()
              .get("id")
              .getAsString());
      server.awaitStats(s -> s.streams().get(0).filteredOut() == 1, WAIT);
    }
  }

  @Test
  void faultsComeInV2sTerms() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    StreamServer server =
        start(
            StreamServer.builder()
                .source(
                    MessageSource.of(
                        Fixtures.status(1, "ferry one"), Fixtures.status(2, "ferry two")))
                .clock(clock)
                .rateLimitWindow(Duration.ofSeconds(90))
                .faults(FaultPlan.parse("http:429,disconnect:1")));
    add(server, "[{\"value\":\"ferry\"}]", false);
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(429, c.status);
      assertEquals("0", c.headers.get("x-rate-limit-remaining"));
      assertEquals(Long.toString(clock.millis() / 1000 + 90), c.headers.get("x-rate-limit-reset"));
    }
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(200, c.status);
      assertEquals("1", id(c.next()));
      JsonObject error = JsonParser.parseString(c.next()).getAsJsonObject();
      assertEquals(
          "operational-disconnect",
          error.getAsJsonArray("errors").get(0).getAsJsonObject().get("title").getAsString());
      assertNull(c.next(), "the stream ends after the error object");
    }
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(200, c.status);
      assertEquals("2", id(c.next()), "nothing lost to the disconnect");
    }
  }

  @Test
  void aBackfillSendsAgainWhatTheLastMinutesCarried() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(
                    MessageSource.of(
                        Fixtures.status(1, "ferry one"),
                        Fixtures.status(2, "ferry two"),
                        Fixtures.status(3, "ferry three")))
                .faults(FaultPlan.parse("close:2")));
    add(server, "[{\"value\":\"ferry\"}]", false);
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals("1", id(c.next()));
      assertEquals("2", id(c.next()));
      assertNull(c.next());
    }
    try (TestClient c =
        TestClient.request(server, "GET", STREAM + "?backfill_minutes=1", BEARER, "", false)) {
      assertEquals(200, c.status);
      assertEquals("1", id(c.next()), "the backfill first");
      assertEquals("2", id(c.next()));
      assertEquals("3", id(c.next()), "then the live stream");
    }
    try (TestClient c =
        TestClient.request(server, "GET", STREAM + "?backfill_minutes=6", BEARER, "", false)) {
      assertEquals(400, c.status, "X takes 0 to 5 minutes");
    }
  }

  @Test
  void oneConnectionAtATimeWhenTheServerSaysSo() throws Exception {
    StreamServer server =
        start(
            StreamServer.builder()
                .source(MessageSource.of(Fixtures.status(1, "ferry one")))
                .maxV2Streams(1));
    add(server, "[{\"value\":\"ferry\"}]", false);
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(200, c.status);
      assertEquals("1", id(c.next()), "the stream stays open, idle, after the source's end");
      try (TestClient second = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
        assertEquals(429, second.status);
        JsonObject body = JsonParser.parseString(second.bodyText()).getAsJsonObject();
        assertEquals("TooManyConnections", body.get("connection_issue").getAsString());
        assertEquals("ConnectionException", body.get("title").getAsString());
      }
    }
    server.awaitStats(s -> s.streamsActive() == 0, WAIT);
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(200, c.status, "a closed stream no longer counts against the limit");
    }
  }

  private static String id(String line) {
    return JsonParser.parseString(line)
        .getAsJsonObject()
        .getAsJsonObject("data")
        .get("id")
        .getAsString();
  }

  @Test
  void bothApisOnOnePortShareTheSource() throws Exception {
    StreamServer server =
        StreamServer.builder()
            .api(StreamServer.Api.BOTH)
            .source(MessageSource.of(Fixtures.status(1, "ferry one")))
            .log(line -> {})
            .build()
            .start();
    servers.add(server);
    try (TestClient c = TestClient.stream(server, "ferry", true)) {
      assertEquals(200, c.status);
      assertTrue(c.next().contains("\"id_str\":\"1\""));
    }
    add(server, "[{\"value\":\"ferry\"}]", false);
    try (TestClient c = TestClient.request(server, "GET", STREAM, BEARER, "", false)) {
      assertEquals(200, c.status, "any bearer token when none is required");
    }
  }
}
