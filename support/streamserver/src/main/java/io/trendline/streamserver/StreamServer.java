package io.trendline.streamserver;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A stand-in for Twitter's retired v1.1 {@code statuses/filter} streaming endpoint, close enough
 * that the Hosebird client cannot tell: {@code POST /1.1/statuses/filter.json} with an OAuth header
 * and a {@code track} form field opens a chunked HTTP/1.1 stream of the statuses that match the
 * track terms (with {@code delimited=length} framing if asked), blank-line keep-alives while
 * nothing is sent, and notices passed through. {@code GET /stats} answers {@link StreamStats} as
 * JSON.
 *
 * <pre>{@code
 * try (StreamServer server =
 *     StreamServer.builder()
 *         .source(SyntheticSource.builder(KeywordList.parse("bitcoin,IoT")).seed(7).build())
 *         .rate(200)
 *         .faults(FaultPlan.parse("close:100"))
 *         .build()
 *         .start()) {
 *   hosebird.hosts(server.url()); ...
 * }
 * }</pre>
 *
 * <p><b>One shared cursor.</b> Every stream reads the same source through one cursor, which moves
 * only while a stream is open; statuses a stream took but did not deliver are offered first to the
 * next stream that opens (see {@link StreamStats#requeued()}). A client that reconnects after
 * faults ending its stream (HTTP errors, close, cut, disconnect, malformed messages) therefore gets
 * every status of the source exactly once. "Sent" means handed to TCP: what a client had not read
 * when it hung up itself, or when a {@code reset} fault reset the socket, is lost to it, as on a
 * real network, while the server counts it as sent. Details in {@link FaultPlan}.
 *
 * <p><b>Threads.</b> {@link #start()} starts an accept thread, a pump thread (the source is read on
 * it only) and one thread per connection (two per stream); all are daemons. All public methods are
 * thread-safe.
 *
 * <p><b>Ownership.</b> The server owns the {@link MessageSource} it is given: {@link #close()}
 * closes it, ends every connection and frees the port, and is idempotent.
 */
public final class StreamServer implements Closeable {
  /** Keep only this many closed streams in {@link StreamStats#streams()}. */
  private static final int KEEP_CLOSED_STREAMS = 1000;

  private final InetAddress bind;
  private final int requestedPort;
  final Duration keepAlive;
  final FaultPlan faults;
  final Injected injected = new Injected();
  final DeliveryListener delivered;
  final String requiredConsumerKey;
  final Api api;
  final String requiredBearerToken;
  final RuleSet rules;
  final int maxV2Streams;
  final Duration rateLimitWindow;
  final AtomicInteger openV2Streams = new AtomicInteger();
  final RecentPosts recentPosts = new RecentPosts();
  final Clock clock;
  private final Consumer<String> log;

  final Hub hub;
  final Counters total = new Counters(null);
  final AtomicLong httpRequests = new AtomicLong();
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong streamsOpened = new AtomicLong();
  private final Map<Integer, AtomicLong> rejected = new HashMap<>();
  private final ArrayDeque<StreamEntry> streams = new ArrayDeque<>();
  private final Set<Connection> connections =
      Collections.newSetFromMap(new IdentityHashMap<Connection, Boolean>());
  private final ExecutorService threads;
  private final long startedNanos = System.nanoTime();

  private ServerSocket serverSocket;
  private Thread acceptor;
  private volatile boolean closed;

  private StreamServer(Builder b) {
    this.bind = b.bind;
    this.requestedPort = b.port;
    this.keepAlive =
        b.keepAlive != null ? b.keepAlive : b.api == Api.V1 ? Duration.ofSeconds(30) : V2_KEEPALIVE;
    this.faults = b.faults;
    this.delivered = b.delivered;
    this.requiredConsumerKey = b.requiredConsumerKey;
    this.api = b.api;
    this.requiredBearerToken = b.requiredBearerToken;
    this.rules = new RuleSet(b.maxRules, b.maxRuleLength);
    this.maxV2Streams = b.maxV2Streams;
    this.rateLimitWindow = b.rateLimitWindow;
    this.clock = b.clock;
    this.log = b.log;
    this.hub = new Hub(b.source, RateLimiter.system(b.rate), b.queueCapacity, log);
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "streamserver-conn-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** X sends a keep-alive at least every 20 seconds on the v2 filtered stream. */
  public static final Duration V2_KEEPALIVE = Duration.ofSeconds(20);

  /** Which streaming APIs a server speaks. */
  public enum Api {
    /** {@code POST /1.1/statuses/filter.json} with OAuth 1.0a. */
    V1,
    /** The X API v2 filtered stream and its rules, with a bearer token. */
    V2,
    /** Both at once, on one port, over one source. */
    BOTH;

    boolean v1() {
      return this != V2;
    }

    boolean v2() {
      return this != V1;
    }
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this
   * @throws IOException naming the address when it cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  public synchronized StreamServer start() throws IOException {
    if (serverSocket != null || closed) {
      throw new IllegalStateException("a StreamServer starts once");
    }
    ServerSocket ss = new ServerSocket();
    try {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(bind, requestedPort), 128);
    } catch (IOException e) {
      ss.close();
      throw new IOException(
          "cannot listen on " + bind.getHostAddress() + ":" + requestedPort + ": " + e.getMessage(),
          e);
    }
    serverSocket = ss;
    hub.start();
    acceptor = new Thread(this::acceptLoop, "streamserver-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!closed) {
          log("accept failed: " + e);
        }
        return;
      }
      Connection c = new Connection(this, socket, Ticker.SYSTEM, Sleeper.SYSTEM);
      synchronized (connections) {
        if (closed) {
          closeQuietly(socket);
          return;
        }
        connections.add(c);
      }
      try {
        threads.execute(c);
      } catch (RejectedExecutionException e) {
        closeQuietly(socket);
      }
    }
  }

  /** The port listened on (the chosen one when 0 was asked for). */
  public int port() {
    ServerSocket ss = serverSocket;
    if (ss == null) {
      throw new IllegalStateException("not started");
    }
    return ss.getLocalPort();
  }

  /**
   * The base address for a client, such as {@code http://127.0.0.1:41234} (Hosebird's {@code
   * hosts}); a wildcard bind address is given as 127.0.0.1.
   */
  public String url() {
    String host = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /**
   * Injects faults now, for a harness that decides at run time what happens (the chaos run). Each
   * fault in {@code spec} ({@link FaultPlan}'s text form, without {@code @stream}): an HTTP fault
   * answers the next K authorised attempts; any other fault applies to the stream open now, or to
   * the next one to open, its status count starting with the next status that stream writes (or as
   * it opens): {@code disconnect:0} ends the stream right after its next status. A stream that ends
   * before a fault fired passes it on to the next stream. Periodic limit notices cannot be injected
   * (give them in the plan).
   *
   * @throws IllegalArgumentException for a spec that does not parse, names a stream or a limit
   */
  public void inject(String spec) {
    if (spec.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "an injected fault applies to the stream open now; no @stream: " + spec);
    }
    List<FaultPlan.Fault> parsed = FaultPlan.parse(spec).faults();
    for (FaultPlan.Fault f : parsed) {
      if (f.kind() == FaultPlan.Kind.LIMIT) {
        throw new IllegalArgumentException("limit notices cannot be injected: " + spec);
      }
    }
    for (FaultPlan.Fault f : parsed) {
      injected.add(f);
    }
    log("injected " + spec);
  }

  /** Injected faults that have not fired yet (each HTTP answer counts one). */
  public int injectedWaiting() {
    return injected.waiting();
  }

  /** A snapshot of every counter. */
  public StreamStats stats() {
    List<ConnectionStats> list = new ArrayList<>();
    long active = 0;
    synchronized (streams) {
      for (StreamEntry e : streams) {
        ConnectionStats s = e.snapshot();
        if (s.open()) {
          active++;
        }
        list.add(s);
      }
    }
    Map<Integer, Long> rej = new HashMap<>();
    synchronized (rejected) {
      for (Map.Entry<Integer, AtomicLong> e : rejected.entrySet()) {
        rej.put(e.getKey(), e.getValue().get());
      }
    }
    return new StreamStats(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
        httpRequests.get(),
        streamsOpened.get(),
        active,
        rej,
        hub.taken.get(),
        hub.takenStatuses.get(),
        hub.exhausted(),
        hub.redelivered.get(),
        hub.pendingRedelivery(),
        total,
        list);
  }

  /**
   * Waits until {@code condition} holds for the stats, checking every few milliseconds, for tests
   * that wait for the server to have done something (never a fixed sleep).
   *
   * @return the first stats that satisfied it
   * @throws AssertionError with the last stats when {@code timeout} passes first
   */
  public StreamStats awaitStats(Predicate<StreamStats> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      StreamStats s = stats();
      if (condition.test(s)) {
        return s;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("stream server stats did not reach the condition: " + s.toJson());
      }
      Thread.sleep(5);
    }
  }

  /** Stops accepting, ends every connection, stops the pump and closes the source. Idempotent. */
  @Override
  public void close() {
    List<Connection> open;
    synchronized (connections) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(connections);
    }
    ServerSocket ss;
    synchronized (this) {
      ss = serverSocket;
    }
    if (ss != null) {
      try {
        ss.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
    for (Connection c : open) {
      c.abort("server stopped");
    }
    hub.close();
    threads.shutdown();
    try {
      if (!threads.awaitTermination(2, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
      if (acceptor != null) {
        acceptor.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- For connections ----

  void execute(Runnable r) {
    try {
      threads.execute(r);
    } catch (RejectedExecutionException e) {
      // Closing: the connection ends by itself.
    }
  }

  void forget(Connection c) {
    synchronized (connections) {
      connections.remove(c);
    }
  }

  void rejected(int status) {
    synchronized (rejected) {
      rejected.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }
  }

  void log(String line) {
    log.accept(line);
  }

  StreamEntry register(long number, String remote, String track, boolean delimited, Counters c) {
    StreamEntry e = new StreamEntry(number, remote, track, delimited, clock.millis(), c);
    synchronized (streams) {
      streams.addLast(e);
      if (streams.size() > KEEP_CLOSED_STREAMS) {
        for (java.util.Iterator<StreamEntry> it = streams.iterator(); it.hasNext(); ) {
          if (!it.next().snapshot().open()) {
            it.remove();
            break;
          }
        }
      }
    }
    return e;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Gone.
    }
  }

  /** One stream's identity and live counters. Thread-safe. */
  static final class StreamEntry {
    private final long number;
    private final String remote;
    private final String track;
    private final boolean delimited;
    private final long openedAtMs;
    private final Counters counters;
    private volatile String endReason;
    private volatile long closedAtMs;

    StreamEntry(
        long number,
        String remote,
        String track,
        boolean delimited,
        long openedAtMs,
        Counters counters) {
      this.number = number;
      this.remote = remote;
      this.track = track;
      this.delimited = delimited;
      this.openedAtMs = openedAtMs;
      this.counters = counters;
    }

    void closed(String reason, long atMs) {
      closedAtMs = atMs;
      endReason = reason;
    }

    ConnectionStats snapshot() {
      String reason = endReason;
      return new ConnectionStats(
          number,
          remote,
          track,
          delimited,
          reason == null,
          reason,
          openedAtMs,
          reason == null ? 0 : closedAtMs,
          counters);
    }
  }

  /**
   * Settings of a server. Defaults: 127.0.0.1, a free port, no source messages, unthrottled, 30 s
   * (v2: 20 s) keep-alives, no faults, any OAuth credentials, the system clock, log lines to
   * standard error. Not thread-safe.
   */
  public static final class Builder {
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port;
    private MessageSource source = MessageSource.of();
    private double rate;

    /** Null until set: 30 s for v1.1, {@link #V2_KEEPALIVE} when the server speaks v2. */
    private Duration keepAlive;

    private FaultPlan faults = FaultPlan.none();
    private DeliveryListener delivered = DeliveryListener.NONE;
    private String requiredConsumerKey;
    private Api api = Api.V1;
    private String requiredBearerToken;
    private int maxRules = 1000;
    private int maxRuleLength = 1024;
    private int maxV2Streams;
    private Duration rateLimitWindow = Duration.ofMinutes(15);
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = line -> System.err.println("[streamserver] " + line);
    private int queueCapacity = 1024;

    private Builder() {}

    /** The address to listen on; 127.0.0.1 unless told otherwise. */
    public Builder bind(InetAddress address) {
      this.bind = address;
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one, see {@link #port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Where messages come from; the server closes it. */
    public Builder source(MessageSource source) {
      this.source = source;
      return this;
    }

    /** Statuses per second taken from the source, paced without drift; 0 = as fast as possible. */
    public Builder rate(double statusesPerSecond) {
      if (!(statusesPerSecond >= 0) || Double.isInfinite(statusesPerSecond)) {
        throw new IllegalArgumentException("rate must be >= 0: " + statusesPerSecond);
      }
      this.rate = statusesPerSecond;
      return this;
    }

    /**
     * How long a stream may be silent before a blank line is sent; must stay under Hosebird's 60 s
     * read timeout.
     */
    public Builder keepAlive(Duration interval) {
      if (interval.isNegative()
          || interval.isZero()
          || interval.compareTo(Duration.ofSeconds(60)) >= 0) {
        throw new IllegalArgumentException("keep-alive must be > 0 and < 60s: " + interval);
      }
      this.keepAlive = interval;
      return this;
    }

    public Builder faults(FaultPlan plan) {
      this.faults = plan;
      return this;
    }

    /** Told of every status delivered (flushed whole to a client), for exact accounting. */
    public Builder onDelivered(DeliveryListener listener) {
      this.delivered = listener;
      return this;
    }

    /** Answer 401 unless the OAuth header's {@code oauth_consumer_key} is exactly {@code key}. */
    public Builder requireConsumerKey(String key) {
      this.requiredConsumerKey = key;
      return this;
    }

    /** The APIs to speak; v1.1 only unless told otherwise. */
    public Builder api(Api api) {
      this.api = api;
      return this;
    }

    /** v2: answer 401 unless the request carries {@code Authorization: Bearer token}. */
    public Builder requireBearerToken(String token) {
      this.requiredBearerToken = token;
      return this;
    }

    /**
     * v2: how many rules the stream may hold and how long each may be; X's Pro and pay-per-use
     * levels allow 1,000 rules of 1,024 characters (the defaults), Enterprise more.
     */
    public Builder ruleLimits(int maxRules, int maxLength) {
      if (maxRules < 1 || maxLength < 1) {
        throw new IllegalArgumentException("rule limits must be >= 1");
      }
      this.maxRules = maxRules;
      this.maxRuleLength = maxLength;
      return this;
    }

    /**
     * v2: how many filtered streams may be open at once before a new one is refused with 429
     * TooManyConnections (X allows one per app below Enterprise); 0 (the default) = no limit.
     */
    public Builder maxV2Streams(int streams) {
      if (streams < 0) {
        throw new IllegalArgumentException("max v2 streams must be >= 0: " + streams);
      }
      this.maxV2Streams = streams;
      return this;
    }

    /**
     * v2: the rate-limit window a 429 answer's {@code x-rate-limit-reset} points to the end of; 15
     * minutes as X's, shorter in tests.
     */
    public Builder rateLimitWindow(Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException("rate-limit window must be >= 0: " + window);
      }
      this.rateLimitWindow = window;
      return this;
    }

    /** The clock of {@code timestamp_ms} in injected notices and of the stats' times. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Where one-line events (streams opening and closing, rejections, faults) go. */
    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** Messages queued per stream before the pump waits for it (back-pressure, never loss). */
    public Builder queueCapacity(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException("queue capacity must be >= 1: " + messages);
      }
      this.queueCapacity = messages;
      return this;
    }

    /** A server with these settings, not yet listening: call {@link StreamServer#start()}. */
    public StreamServer build() {
      return new StreamServer(this);
    }
  }
}
