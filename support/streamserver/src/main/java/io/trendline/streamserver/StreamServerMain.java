package io.trendline.streamserver;

import io.trendline.common.KeywordList;
import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link StreamServer} from the command line until it is stopped (SIGTERM, Ctrl-C). Prints
 * exactly one line to standard output once it listens, {@code TRENDLINE-STREAM READY
 * http://127.0.0.1:PORT}; logs one line per connection to standard error, and the final stats there
 * when stopped. Exit codes: 2 for a bad setting (one line naming it), 1 when it cannot start (port
 * taken, capture unreadable).
 */
public final class StreamServerMain {
  static final String ENV_PREFIX = "TRENDLINE_STREAM_";
  static final String READY = "TRENDLINE-STREAM READY ";

  static final String PORT = "port";
  static final String BIND = "bind";
  static final String REPLAY = "replay";
  static final String GENERATE = "generate";
  static final String KEYWORDS = "keywords";
  static final String RATE = "rate";
  static final String LOOP = "loop";
  static final String SEED = "seed";
  static final String KEEPALIVE = "keepalive";
  static final String FAULT = "fault";
  static final String REQUIRE_CONSUMER_KEY = "require-consumer-key";
  static final String DRIFT_PERIOD = "drift-period";
  static final String API = "api";
  static final String MAX_CONNECTIONS = "max-connections";
  static final String MAX_RULES = "max-rules";
  static final String MAX_RULE_LENGTH = "max-rule-length";
  static final String RATE_LIMIT_WINDOW = "rate-limit-window";

  /** A bearer token v2 requests must carry, from the environment only (never a flag). */
  static final String ENV_BEARER_TOKEN = "TRENDLINE_STREAM_BEARER_TOKEN";

  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              PORT,
              Type.INT,
              "0",
              ConfigDef.between(0, 65535),
              "Port to listen on; 0 picks a free one.")
          .define(BIND, Type.STRING, "127.0.0.1", ConfigDef.nonEmpty(), "Address to listen on.")
          .define(
              REPLAY,
              Type.STRING,
              null,
              "Replay this capture (one JSON message per line; blank lines skipped, other lines sent as they are).")
          .define(
              GENERATE,
              Type.BOOLEAN,
              "false",
              "Generate synthetic statuses about --keywords instead of replaying a file.")
          .define(
              KEYWORDS,
              Type.STRING,
              "bitcoin,IoT,5G,AI,blockchain",
              value -> KeywordList.parse((String) value),
              "Comma-separated keywords the generator writes about (with --generate).")
          .define(
              RATE,
              Type.DOUBLE,
              "50",
              value -> {
                double d = (Double) value;
                if (!(d >= 0) || Double.isInfinite(d)) {
                  throw new IllegalArgumentException("must be a number >= 0");
                }
              },
              "Statuses per second taken from the source; 0 means as fast as possible.")
          .define(LOOP, Type.BOOLEAN, "false", "Start the replay over at the end of the file.")
          .define(
              SEED, Type.LONG, "1", "Seed of the generator: the same seed gives the same statuses.")
          .define(
              KEEPALIVE,
              Type.DURATION,
              "30s",
              value -> {
                Duration d = (Duration) value;
                if (d.isZero() || d.compareTo(Duration.ofSeconds(60)) >= 0) {
                  throw new IllegalArgumentException(
                      "must be more than 0 and less than Hosebird's 60s read timeout");
                }
              },
              "Send a blank line after this long without data (with --api v2 or both: 20s, as X"
                  + " does, unless set).")
          .define(
              FAULT,
              Type.LIST,
              "",
              value -> FaultPlan.parse(joined((List<?>) value)),
              "Faults to inject (repeatable, or comma-separated); see FAULTS below.")
          .define(
              REQUIRE_CONSUMER_KEY,
              Type.STRING,
              null,
              "Answer 401 unless the OAuth header's oauth_consumer_key is this value.")
          .define(
              DRIFT_PERIOD,
              Type.DURATION,
              "5m",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "Typical period of the generator's keyword popularity waves.")
          .define(
              API,
              Type.STRING,
              "v1",
              ConfigDef.oneOf("v1", "v2", "both"),
              "The API to speak: v1 (statuses/filter), v2 (the X API v2 filtered stream and its"
                  + " rules, with a bearer token; any token unless "
                  + ENV_BEARER_TOKEN
                  + " is set) or both on one port.")
          .define(
              MAX_CONNECTIONS,
              Type.INT,
              "0",
              ConfigDef.between(0, 1000),
              "v2: filtered streams open at once before the next is refused with 429"
                  + " TooManyConnections (X allows 1 below Enterprise); 0 = no limit.")
          .define(
              MAX_RULES,
              Type.INT,
              "1000",
              ConfigDef.between(1, 1_000_000),
              "v2: rules the stream may hold (X: 1000 for Pro and pay-per-use).")
          .define(
              MAX_RULE_LENGTH,
              Type.INT,
              "1024",
              ConfigDef.between(1, 100_000),
              "v2: the longest rule, in characters (X: 1024 for Pro and pay-per-use).")
          .define(
              RATE_LIMIT_WINDOW,
              Type.DURATION,
              "15m",
              ConfigDef.atLeast(Duration.ZERO),
              "v2: a 429's x-rate-limit-reset points this far ahead.");

  private StreamServerMain() {}

  public static void main(String[] args) {
    if (ConfigLoader.wantsHelp(args)) {
      System.out.print(help());
      return;
    }
    StreamServer server;
    try {
      server =
          configure(
              new ConfigLoader(DEF, ENV_PREFIX).load(mergeFaultFlags(args), System.getenv()),
              System.getenv(ENV_BEARER_TOKEN));
    } catch (ConfigException e) {
      System.err.println("trendline-streamserver: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    try {
      server.start();
    } catch (IOException e) {
      System.err.println("trendline-streamserver: " + e.getMessage());
      server.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  System.err.println(
                      "[streamserver] stopped; final stats: " + server.stats().toJson());
                  System.err.flush();
                  stopped.countDown();
                },
                "streamserver-shutdown"));
    System.out.println(READY + server.url());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Builds the (unstarted) server a configuration describes.
   *
   * @throws ConfigException naming the setting that cannot be used
   */
  static StreamServer configure(Config c) {
    return configure(c, null);
  }

  /**
   * @param bearerToken the token v2 requests must carry; null or empty: any
   */
  static StreamServer configure(Config c, String bearerToken) {
    boolean generate = c.getBoolean(GENERATE);
    String replay = c.getString(REPLAY);
    if (generate == (replay != null)) {
      throw ConfigException.invalid(
          REPLAY,
          replay,
          generate
              ? "give either --replay FILE or --generate, not both"
              : "give --replay FILE or --generate");
    }
    InetAddress bind;
    try {
      bind = InetAddress.getByName(c.getString(BIND));
    } catch (UnknownHostException e) {
      throw ConfigException.invalid(BIND, c.getString(BIND), "not an address of this host");
    }
    MessageSource source;
    if (generate) {
      if (c.isSet(LOOP)) {
        throw ConfigException.invalid(LOOP, c.getBoolean(LOOP), "only a --replay loops");
      }
      source =
          SyntheticSource.builder(KeywordList.parse(c.getString(KEYWORDS)))
              .seed(c.getLong(SEED))
              .driftPeriod(c.getDuration(DRIFT_PERIOD))
              .build();
    } else {
      Path file = Paths.get(replay);
      if (!Files.isReadable(file) || Files.isDirectory(file)) {
        throw ConfigException.invalid(REPLAY, replay, "no readable file there");
      }
      try {
        source = ReplaySource.open(file, c.getBoolean(LOOP));
      } catch (IOException e) {
        throw ConfigException.invalid(REPLAY, replay, e.getMessage());
      }
    }
    return StreamServer.builder()
        .bind(bind)
        .port(c.getInt(PORT))
        .source(source)
        .rate(c.getDouble(RATE))
        .keepAlive(
            !c.isSet(KEEPALIVE) && !c.getString(API).equals("v1")
                ? StreamServer.V2_KEEPALIVE
                : c.getDuration(KEEPALIVE))
        .faults(FaultPlan.parse(String.join(",", c.getList(FAULT))))
        .requireConsumerKey(c.getString(REQUIRE_CONSUMER_KEY))
        .api(StreamServer.Api.valueOf(c.getString(API).toUpperCase(java.util.Locale.ROOT)))
        .requireBearerToken(
            bearerToken == null || bearerToken.trim().isEmpty() ? null : bearerToken.trim())
        .maxV2Streams(c.getInt(MAX_CONNECTIONS))
        .ruleLimits(c.getInt(MAX_RULES), c.getInt(MAX_RULE_LENGTH))
        .rateLimitWindow(c.getDuration(RATE_LIMIT_WINDOW))
        .build();
  }

  private static String joined(List<?> values) {
    StringBuilder sb = new StringBuilder();
    for (Object v : values) {
      sb.append(sb.length() > 0 ? "," : "").append(v);
    }
    return sb.toString();
  }

  /** Joins every {@code --fault X} / {@code --fault=X} into one, so the flag can repeat. */
  static String[] mergeFaultFlags(String[] args) {
    List<String> out = new ArrayList<>();
    List<String> faults = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--" + FAULT) && i + 1 < args.length) {
        faults.add(args[++i]);
      } else if (a.startsWith("--" + FAULT + "=")) {
        faults.add(a.substring(FAULT.length() + 3));
      } else {
        out.add(a);
      }
    }
    if (!faults.isEmpty()) {
      out.add("--" + FAULT);
      out.add(String.join(",", faults));
    }
    return out.toArray(new String[0]);
  }

  static String help() {
    return "Usage: java -jar trendline-streamserver-all.jar (--replay FILE | --generate) [settings]\n"
        + "\n"
        + "Serves Twitter's v1.1 statuses/filter stream (POST /1.1/statuses/filter.json) from a\n"
        + "capture or a generator, honouring track, or with --api v2 the X API v2 filtered stream\n"
        + "(GET /2/tweets/search/stream, rules at /2/tweets/search/stream/rules) in v2's shape;\n"
        + "GET /stats answers the counters as JSON.\n"
        + "Prints '"
        + READY
        + "http://HOST:PORT' on standard output once listening.\n"
        + "\n"
        + "Settings (flag --key VALUE or --key=VALUE; environment; --config FILE.properties):\n"
        + DEF.help(ENV_PREFIX)
        + "  --config FILE\n      A properties file with the same keys; env "
        + ENV_PREFIX
        + "CONFIG\n"
        + "  --help\n      This text.\n"
        + "\n"
        + "FAULTS (S = stream number from 1, or * for every stream; default @1, limit @*):\n"
        + "  http:CODE[:K]               answer HTTP CODE (400-599) to the first K attempts\n"
        + "  close:N[@S]                 after N statuses end the stream cleanly\n"
        + "  cut:N[@S]                   after N statuses send half the next one, close the socket\n"
        + "  reset:N[@S]                 the same with a TCP reset (the client may lose unread data)\n"
        + "  stall:N:DURATION[@S]        after N statuses send nothing, not even keep-alives\n"
        + "  malformed:N[:json|text][@S] after N statuses send a cut-short JSON object or a non-JSON line\n"
        + "  limit:M[:K][@S]             every M statuses a limit notice, its track growing by K\n"
        + "  disconnect:N[:CODE][@S]     after N statuses a disconnect notice (v2: an\n"
        + "                              operational-disconnect error object), then end the stream\n"
        + "v2: an http:429 answer carries x-rate-limit-* headers; limit notices do not exist.\n"
        + "  e.g. --fault http:420:2 --fault close:100,stall:250:5s@2\n"
        + "Durations are written 500ms, 10s, 5m, 1h.\n";
  }
}
