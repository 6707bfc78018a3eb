package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import io.trendline.streamserver.ConnectionStats;
import io.trendline.streamserver.FaultPlan;
import io.trendline.streamserver.MessageSource;
import io.trendline.streamserver.ReplaySource;
import io.trendline.streamserver.StreamServer;
import io.trendline.streamserver.StreamStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The X API v2 path end to end: the stream server speaking v2, the real Hosebird client over a
 * socket, the rules endpoint over HTTP, a real Kafka broker and the producer's fat jar.
 */
class ProducerV2IT {
  private static final String TOKEN = "it-bearer-AAAAexample0123";
  private static Path dir;
  private static KafkaBrokerProcess broker;

  @BeforeAll
  static void startBroker() throws Exception {
    dir = Files.createTempDirectory("producer-v2-it");
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("v2-faults", 3)
            .topic("v2-jar", 3)
            .topic("v2-many", 3)
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static StreamServer.Builder v2Server(List<String> messages) {
    return StreamServer.builder()
        .api(StreamServer.Api.V2)
        .requireBearerToken(TOKEN)
        .source(MessageSource.of(messages))
        .log(line -> System.err.println("[streamserver] " + line));
  }

  /** The token the test servers require, as the producer loads it from the environment. */
  private static BearerToken token() {
    return BearerToken.load("", Collections.singletonMap(BearerToken.ENV, TOKEN));
  }

  private static XRules rules(StreamServer server) {
    return new XRules(server.url(), token(), Duration.ofSeconds(10));
  }

  @Test
  void everyV2FaultIsRecoveredWithTheDocumentedBackOffAndNothingIsLost() throws Exception {
    ProducerIT.Fixture f = ProducerIT.fixture(20);
    // In v2's terms: a 503 (5 s back-off), a 429 with a reset 2 s ahead, an operational-disconnect
    // error object, a cut post, a stall past the stall timeout.
    FaultPlan faults =
        FaultPlan.builder()
            .httpError(503, 1)
            .httpError(429, 1)
            .disconnectAfter(9, 1)
            .cutAfter(23, 2)
            .stallAfter(5, Duration.ofMinutes(10), 3)
            .build();
    try (StreamServer server =
        v2Server(f.messages)
            .faults(faults)
            .rateLimitWindow(Duration.ofSeconds(2))
            .build()
            .start()) {
      KeywordList keywords = KeywordList.parse(ProducerIT.KEYWORDS);
      RulesSync.RuleMap map =
          RulesSync.sync(
              rules(server), keywords, false, new PrintStream(new ByteArrayOutputStream()));
      assertEquals(3, map.size());
      HosebirdSource source =
          HosebirdSource.v2(
              server.url(), token(), 1000, 5, Duration.ofSeconds(2), 0, Duration.ofSeconds(1));
      ProducerMetrics metrics = new ProducerMetrics(keywords);
      Map<String, Object> props = new HashMap<>();
      props.put("bootstrap.servers", broker.bootstrapServers());
      props.put("enable.idempotence", true);
      int expectedRecords = 0;
      for (int n : f.expected.values()) {
        expectedRecords += n;
      }
      long startMs = System.currentTimeMillis();
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        StatusPipeline pipeline =
            StatusPipeline.builder(source, new TrackMatcher(keywords), metrics)
                .producer(producer)
                .topic("v2-faults")
                .v2(map)
                .build();
        source.start();
        Thread runner = new Thread(() -> runQuietly(pipeline));
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (metrics.acked.get() < expectedRecords && System.nanoTime() < deadline) {
          runner.join(50);
        }
        pipeline.stop();
        runner.join(30_000);
        source.close();
      }
      Map<String, Integer> landed = new TreeMap<>();
      for (ConsumerRecord<String, String> r : ProducerIT.readAll(broker, "v2-faults")) {
        landed.merge(r.key(), 1, Integer::sum);
        assertTrue(r.value().startsWith("{\"data\":{"), "the v2 line as received");
      }
      assertEquals(f.expected, landed, "per keyword, what the server's rules matched");
      assertEquals(f.delivered, metrics.statuses.get(), "every matching post arrived once");
      assertEquals(0, metrics.ruleMismatches.get(), "the rules say what track said");
      assertEquals(0, metrics.unmatched.get());
      StreamStats stats = server.stats();
      assertEquals(Long.valueOf(1), stats.rejected().get(503));
      assertEquals(Long.valueOf(1), stats.rejected().get(429));
      List<ConnectionStats> streams = stats.streams();
      assertTrue(streams.size() >= 4, stats.toJson());
      // The first stream opened after the 503's 5 s and then the 429's reset (2 s ahead).
      long firstOpenedAfter = streams.get(0).openedAtMs() - startMs;
      assertTrue(
          firstOpenedAfter >= 7_000,
          "back-off: 5 s after the 503, then until the reset: " + firstOpenedAfter + " ms");
      assertTrue(streams.get(0).endReason().startsWith("fault: disconnect"), stats.toJson());
    }
  }

  private static void runQuietly(StatusPipeline p) {
    try {
      p.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A reset can lose what the client had not read yet (as on a real network); a backfill sends the
   * last minutes again, and the producer keeps each post once.
   */
  @Test
  void aBackfillRecoversWhatAResetLostAndItsDuplicatesAreDropped() throws Exception {
    ProducerIT.Fixture f = ProducerIT.fixture(20);
    FaultPlan faults = FaultPlan.builder().resetAfter(11, 1).resetAfter(30, 2).build();
    try (StreamServer server = v2Server(f.messages).faults(faults).build().start()) {
      KeywordList keywords = KeywordList.parse(ProducerIT.KEYWORDS);
      RulesSync.RuleMap map =
          RulesSync.sync(
              rules(server), keywords, false, new PrintStream(new ByteArrayOutputStream()));
      HosebirdSource source =
          HosebirdSource.v2(
              server.url(), token(), 1000, 5, Duration.ofSeconds(2), 1, Duration.ofSeconds(1));
      ProducerMetrics metrics = new ProducerMetrics(keywords);
      StatusPipeline pipeline =
          StatusPipeline.builder(source, new TrackMatcher(keywords), metrics).v2(map).build();
      source.start();
      Thread runner = new Thread(() -> runQuietly(pipeline));
      runner.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (metrics.statuses.get() < f.delivered && System.nanoTime() < deadline) {
        runner.join(50);
      }
      pipeline.stop();
      runner.join(30_000);
      source.close();
      Map<String, Integer> counted = new TreeMap<>();
      for (int i = 0; i < keywords.size(); i++) {
        counted.put(keywords.get(i).term(), (int) metrics.matched.get(i));
      }
      assertEquals(f.expected, counted, "every post once, none lost to the resets");
      assertEquals(f.delivered, metrics.statuses.get());
      assertTrue(metrics.duplicates.get() > 0, "the backfills brought posts already read");
      assertTrue(server.stats().stream(3) != null, "two resets, three streams");
    }
  }

  @Test
  void theJarSyncsTheRulesLeavesOthersAloneAndNeverShowsTheToken() throws Exception {
    ProducerIT.Fixture f = ProducerIT.fixture(40);
    // Rules of at most 35 characters: smart city's, (smart OR url:smart) (city OR url:city), is
    // refused as too long, as X refuses a rule over its access level's limit.
    try (StreamServer server =
        v2Server(f.messages).ruleLimits(1000, 35).rate(400).build().start()) {
      XRules admin = rules(server);
      admin.add(
          Arrays.asList(
              new XRules.Rule(null, "ferry", "another-app"),
              new XRules.Rule(null, "old OR url:old", "trendline:old")),
          false);

      Path dryOut = dir.resolve("dry.out");
      Process dry = startJar(server.url(), dryOut, "--rules.dry.run", "true");
      assertTrue(dry.waitFor(60, TimeUnit.SECONDS));
      String dryLog = ProducerIT.log(dryOut);
      assertEquals(2, dry.exitValue(), dryLog);
      assertTrue(
          dryLog.contains(
              "Rules dry run: 0 of ours in place, 3 to add, 1 of ours to delete; 1 other rules left alone."),
          dryLog);
      assertTrue(
          dryLog.contains(
              "refused trendline:smart city '(smart OR url:smart) (city OR url:city)': RuleLengthExceeded"),
          dryLog);
      assertEquals(2, admin.list().size(), "a dry run changes nothing");

      Path out = dir.resolve("v2-jar.out");
      Path status = dir.resolve("v2-jar-status.jsonl");
      Process p =
          startJar(
              server.url(), out, "--report.interval", "300ms", "--status.file", status.toString());
      int expected = f.expected.get("bitcoin") + f.expected.get("IoT");
      ProducerIT.awaitLine(p, out, "acked " + expected + " ");
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String log = ProducerIT.log(out);
      assertEquals(0, p.exitValue(), log);
      assertTrue(
          log.contains(
              "Rules: 0 of ours in place, 3 to add, 1 of ours to delete; 1 other rules left alone."),
          log);
      assertTrue(log.contains("  delete trendline:old 'old OR url:old'"), log);
      assertTrue(log.contains("  add trendline:bitcoin 'bitcoin OR url:bitcoin'"), log);
      assertTrue(
          log.contains(
              "RuleLengthExceeded: Rule length is 39 characters; the limit for this stream is 35."),
          log);
      assertFalse(log.contains(TOKEN), "the bearer token is in no output");

      Map<String, String> after = new TreeMap<>();
      for (XRules.Rule r : admin.list()) {
        after.put(r.tag, r.value);
      }
      Map<String, String> wanted = new TreeMap<>();
      wanted.put("another-app", "ferry");
      wanted.put("trendline:bitcoin", "bitcoin OR url:bitcoin");
      wanted.put("trendline:IoT", "iot OR url:iot");
      assertEquals(wanted, after, "ours in place, the stale one gone, the foreign one untouched");

      Map<String, Integer> landed = new TreeMap<>();
      for (ConsumerRecord<String, String> r : ProducerIT.readAll(broker, "v2-jar")) {
        landed.merge(r.key(), 1, Integer::sum);
      }
      Map<String, Integer> matched = new TreeMap<>(f.expected);
      matched.remove("smart city");
      assertEquals(matched, landed, "per keyword, what the server matched");
      List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
      JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
      assertEquals(0, last.get("ruleMismatches").getAsLong());
      assertEquals(0, last.get("duplicates").getAsLong());

      // A second start finds its rules in place and changes nothing.
      Path again = dir.resolve("again.out");
      Process q = startJar(server.url(), again, "--rules.dry.run", "true");
      assertTrue(q.waitFor(60, TimeUnit.SECONDS));
      assertTrue(
          ProducerIT.log(again)
              .contains(
                  "Rules dry run: 2 of ours in place, 1 to add, 0 of ours to delete; 1 other rules left alone."),
          ProducerIT.log(again));
    }
  }

  @Test
  void tooManyConnectionsIsNamedAndOutwaited() throws Exception {
    ProducerIT.Fixture f = ProducerIT.fixture(4);
    try (StreamServer server =
        v2Server(f.messages)
            .maxV2Streams(1)
            .rateLimitWindow(Duration.ofSeconds(1))
            // The holder's stream sends nothing (what it took goes to the next stream).
            .faults(FaultPlan.parse("stall:0:10m@1"))
            .build()
            .start()) {
      rules(server)
          .add(Collections.singletonList(new XRules.Rule(null, "anything", "another-app")), false);
      // Another client holds the one connection the stream allows.
      java.net.HttpURLConnection holder =
          (java.net.HttpURLConnection)
              new java.net.URL(server.url() + "/2/tweets/search/stream").openConnection();
      holder.setRequestProperty("Authorization", "Bearer " + TOKEN);
      assertEquals(200, holder.getResponseCode());
      Path out = dir.resolve("too-many.out");
      Process p =
          startJarWithToken(server.url(), "v2-many", out, TOKEN, "--report.interval", "300ms");
      try {
        ProducerIT.awaitLine(p, out, "too many connections for this app");
      } finally {
        holder.disconnect();
      }
      int expected = 0;
      for (int n : f.expected.values()) {
        expected += n;
      }
      ProducerIT.awaitLine(p, out, "acked " + expected + " ");
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String log = ProducerIT.log(out);
      assertEquals(0, p.exitValue(), log);
      assertTrue(log.contains("reconnecting in"), log);
      assertTrue(log.contains("until the rate limit resets (too many connections)"), log);
    }
  }

  /**
   * The sync against the rules endpoint: an equal rule of another app is adopted for its keyword, a
   * refusal without a value (the rule cap) is reported, and the rules X refused leave their
   * keywords out of the map.
   */
  @Test
  void theSyncAdoptsAnEqualRuleAndReportsEveryRefusal() throws Exception {
    try (StreamServer server =
        v2Server(Collections.<String>emptyList()).ruleLimits(2, 1024).build().start()) {
      XRules admin = rules(server);
      admin.add(
          Collections.singletonList(new XRules.Rule(null, "bitcoin OR url:bitcoin", "other-app")),
          false);
      String otherId = admin.list().get(0).id;
      KeywordList keywords = KeywordList.parse("bitcoin,IoT,5G");
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      RulesSync.RuleMap map =
          RulesSync.sync(admin, keywords, false, new PrintStream(text, true, "UTF-8"));
      String out = new String(text.toByteArray(), StandardCharsets.UTF_8);
      assertTrue(
          out.contains(
              "not added trendline:bitcoin 'bitcoin OR url:bitcoin': a rule with the"
                  + " same value is already there (id "
                  + otherId
                  + ", not ours); its matches count"
                  + " for bitcoin"),
          out);
      assertTrue(out.contains("refused: RulesCapExceeded"), out);
      assertEquals("bitcoin", map.keyword(otherId, "other-app").term());
      assertTrue(map.covers(keywords.get(0)));
      assertFalse(map.covers(keywords.get(1)), "the cap refused IoT's rule");
      assertEquals(1, map.refused());
      assertEquals(1, admin.list().size(), "nothing was created past the cap");
    }
  }

  @Test
  void aDryRunOfAKeywordWhoseCaseChangedSaysItWouldReplaceItsRule() throws Exception {
    try (StreamServer server = v2Server(Collections.<String>emptyList()).build().start()) {
      XRules admin = rules(server);
      RulesSync.sync(
          admin,
          KeywordList.parse("bitcoin"),
          false,
          new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"));
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      RulesSync.RuleMap map =
          RulesSync.sync(
              admin, KeywordList.parse("Bitcoin"), true, new PrintStream(text, true, "UTF-8"));
      String out = new String(text.toByteArray(), StandardCharsets.UTF_8);
      assertTrue(out.contains("  delete trendline:bitcoin 'bitcoin OR url:bitcoin'"), out);
      assertTrue(
          out.contains(
              "  would add trendline:Bitcoin 'bitcoin OR url:bitcoin' (once the rule it replaces"
                  + " is deleted)"),
          out);
      assertEquals(0, map.refused());
      assertEquals("trendline:bitcoin", admin.list().get(0).tag, "a dry run changes nothing");
      // For real: the old rule goes, the new one comes.
      RulesSync.sync(
          admin,
          KeywordList.parse("Bitcoin"),
          false,
          new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"));
      assertEquals(1, admin.list().size());
      assertEquals("trendline:Bitcoin", admin.list().get(0).tag);
    }
  }

  @Test
  void aRefusedTokenStopsAtOnceWithACredentialsError() throws Exception {
    try (StreamServer server = v2Server(Collections.<String>emptyList()).build().start()) {
      Path out = dir.resolve("401.out");
      Process p = startJarWithToken(server.url(), "v2-jar", out, "not-the-token");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String log = ProducerIT.log(out);
      assertEquals(2, p.exitValue(), log);
      assertTrue(log.contains("answered GET with HTTP 401: Unauthorized"), log);
      assertTrue(log.contains("check the bearer token"), log);
      assertFalse(log.contains("not-the-token"), log);
    }
  }

  /**
   * The real captures, replayed through v1.1 (track) and through v2 (the producer's rules, the
   * server's rule matching, matching_rules): the same posts for the same keywords.
   */
  @Test
  void theRealCapturesGiveTheSameCountsThroughV1AndV2() throws Exception {
    Path captures =
        Paths.get(System.getProperty("trendline.home", "."))
            .resolve("../shared/data/tweets")
            .normalize();
    assertTrue(Files.isDirectory(captures), "the captures are beside the repository: " + captures);
    KeywordList keywords = KeywordList.parse("bitcoin,btc,trump,modi,putin,love,the,rt");
    int files = 0;
    try (java.util.stream.Stream<Path> list = Files.list(captures)) {
      for (Path file : (Iterable<Path>) list.sorted()::iterator) {
        if (!file.toString().endsWith(".jsonl")) {
          continue;
        }
        files++;
        Map<String, Long> v1 = replay(file, keywords, false);
        Map<String, Long> v2 = replay(file, keywords, true);
        // v2 drops a post it reads twice (X may send duplicates); v1.1 counted both copies.
        Map<String, Long> v1Once = new TreeMap<>(v1);
        java.util.Set<String> seen = new java.util.HashSet<>();
        TrackMatcher matcher = new TrackMatcher(keywords);
        int repeated = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          io.trendline.common.StreamMessage m = io.trendline.common.StreamMessage.parse(line);
          if (m.isStatus() && !seen.add(m.status().id())) {
            repeated++;
            for (io.trendline.common.Keyword k : matcher.match(m.status())) {
              v1Once.merge(k.term(), -1L, Long::sum);
            }
          }
        }
        System.out.println(
            "CAPTURE "
                + file.getFileName()
                + " v1="
                + v1
                + " v2="
                + v2
                + " (statuses repeated in the capture: "
                + repeated
                + ")");
        assertEquals(v1Once, v2, file.getFileName().toString());
        assertTrue(v1.values().stream().mapToLong(Long::longValue).sum() > 0, file.toString());
      }
    }
    assertEquals(3, files);
  }

  /** Per keyword, the statuses of {@code file} the producer counts through one API. */
  private static Map<String, Long> replay(Path file, KeywordList keywords, boolean v2)
      throws Exception {
    StreamServer.Builder b =
        StreamServer.builder().source(ReplaySource.open(file, false)).log(line -> {});
    if (v2) {
      b.api(StreamServer.Api.V2).requireBearerToken(TOKEN);
    }
    try (StreamServer server = b.build().start()) {
      HosebirdSource source;
      RulesSync.RuleMap map = null;
      if (v2) {
        map =
            RulesSync.sync(
                rules(server), keywords, false, new PrintStream(new ByteArrayOutputStream()));
        source =
            HosebirdSource.v2(
                server.url(), token(), 10_000, 5, Duration.ofSeconds(30), 0, Duration.ofSeconds(1));
      } else {
        Map<String, String> env = new HashMap<>();
        env.put(Credentials.ENV_CONSUMER_KEY, "k");
        env.put(Credentials.ENV_CONSUMER_SECRET, "s");
        env.put(Credentials.ENV_TOKEN, "t");
        env.put(Credentials.ENV_TOKEN_SECRET, "ts");
        source =
            new HosebirdSource(
                server.url(),
                keywords,
                Credentials.load("", env),
                10_000,
                5,
                Duration.ofSeconds(30));
      }
      ProducerMetrics metrics = new ProducerMetrics(keywords);
      StatusPipeline.Builder pb =
          StatusPipeline.builder(source, new TrackMatcher(keywords), metrics);
      if (v2) {
        pb.v2(map);
      }
      StatusPipeline pipeline = pb.build();
      source.start();
      Thread runner = new Thread(() -> runQuietly(pipeline));
      runner.start();
      long statuses = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        statuses += io.trendline.common.StreamMessage.parse(line).isStatus() ? 1 : 0;
      }
      long inFile = statuses;
      StreamStats done;
      try {
        done =
            server.awaitStats(
                s ->
                    s.sourceExhausted()
                        && s.sent() + s.filteredOut() >= inFile
                        && metrics.statuses.get() + metrics.duplicates.get() == s.sent(),
                Duration.ofSeconds(60));
      } catch (AssertionError e) {
        ProducerMetrics.Snapshot m = metrics.snapshot(0, source.dropped(), source.queueDepth());
        throw new AssertionError(
            "the producer read "
                + m.messages
                + " messages: "
                + m.statuses
                + " posts, "
                + m.duplicates
                + " duplicates, "
                + m.malformed()
                + " malformed; "
                + e.getMessage(),
            e);
      }
      pipeline.stop();
      runner.join(30_000);
      source.close();
      assertEquals(0, metrics.ruleMismatches.get(), "rules and track agree on " + file);
      assertEquals(0, metrics.unmatched.get(), "the server sent only matching statuses");
      assertTrue(done.sent() > 0);
      Map<String, Long> counts = new TreeMap<>();
      for (int i = 0; i < keywords.size(); i++) {
        counts.put(keywords.get(i).term(), metrics.matched.get(i));
      }
      return counts;
    }
  }

  private static Process startJar(String url, Path out, String... extra) throws Exception {
    return startJarWithToken(url, "v2-jar", out, TOKEN, extra);
  }

  private static Process startJarWithToken(
      String url, String topic, Path out, String token, String... extra) throws Exception {
    Path jar = Paths.get("target", "trendline-producer-all.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "the fat jar is built before integration tests");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(
        Arrays.asList(
            "--keywords",
            ProducerIT.KEYWORDS,
            "--stream.api",
            "v2",
            "--stream.host",
            url,
            "--topic",
            topic,
            "--kafka.bootstrap.servers",
            broker.bootstrapServers()));
    cmd.addAll(Arrays.asList(extra));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put(BearerToken.ENV, token);
    return pb.start();
  }
}
