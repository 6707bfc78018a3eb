package io.trendline.streamserver;

import io.trendline.common.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Faults a {@link StreamServer} injects on purpose, so tests can watch a client cope with what the
 * real service did. Immutable and thread-safe.
 *
 * <p>Connections are counted from 1 in two ways. <em>Attempts</em> count every authorised request
 * to the filter endpoint; {@link Kind#HTTP} faults answer the first attempts with an error code.
 * <em>Streams</em> count the attempts answered 200; every other fault applies to one stream (by
 * default the first) or to every stream ({@link #EVERY_STREAM}). Status counts are statuses written
 * to that stream (after track filtering), so "after 10" fires once the 10th status has been
 * written; {@code after} 0 fires as soon as the stream opens.
 *
 * <h2>Text form</h2>
 *
 * A comma-separated list ({@link #parse}), each fault written as:
 *
 * <pre>
 *   http:CODE[:K]               answer HTTP CODE (400-599) to the first K attempts (default 1)
 *   close:N[@S]                 after N statuses, end the chunked stream cleanly and close
 *   cut:N[@S]                   after N statuses, send half of the next status, then close the
 *                               socket (a FIN: everything before it still arrives); the cut
 *                               status is not counted as sent and goes to the next stream
 *   reset:N[@S]                 the same, but reset the socket (TCP RST) 250 ms after the
 *                               partial status; the client's kernel drops whatever the client
 *                               had not read by then, so a client slower than that loses
 *                               statuses counted as sent, as on a real network failure
 *   stall:N:DURATION[@S]        after N statuses, send nothing at all (not even keep-alives) for
 *                               DURATION (500ms, 10s, 2m), then carry on
 *   malformed:N[:json|text][@S] after N statuses, send one malformed message: a JSON object cut
 *                               short (json, the default) or a line that is not JSON (text)
 *   limit:M[:K][@S]             after every M statuses, send {"limit":{"track":T,...}} with T
 *                               growing by K (default 1) each time; every stream unless @S
 *   disconnect:N[:CODE][@S]     after N statuses, send a disconnect notice with CODE (default 1,
 *                               "Shutdown"), then end the stream cleanly
 * </pre>
 *
 * where {@code @S} is a stream number from 1, or {@code @*} for every stream; one-shot faults
 * default to {@code @1}. Faults due at the same count fire in the order listed, except that those
 * ending the stream (close, cut, reset, disconnect) come after the others.
 */
public final class FaultPlan {
  /** Applies to every stream. */
  public static final int EVERY_STREAM = 0;

  /** What a fault does. */
  public enum Kind {
    HTTP,
    CLOSE,
    CUT,
    RESET,
    STALL,
    MALFORMED,
    LIMIT,
    DISCONNECT
  }

  /** One fault. Immutable. */
  public static final class Fault {
    private final Kind kind;
    private final long after;
    private final int stream;
    private final int code;
    private final int attempts;
    private final Duration stall;
    private final boolean textMalformed;
    private final long increment;

    private Fault(
        Kind kind,
        long after,
        int stream,
        int code,
        int attempts,
        Duration stall,
        boolean textMalformed,
        long increment) {
      this.kind = kind;
      this.after = after;
      this.stream = stream;
      this.code = code;
      this.attempts = attempts;
      this.stall = stall;
      this.textMalformed = textMalformed;
      this.increment = increment;
    }

    public Kind kind() {
      return kind;
    }

    /** Statuses written before it fires; for {@link Kind#LIMIT}, the period. */
    public long after() {
      return after;
    }

    /** The stream (from 1) it applies to, or {@link #EVERY_STREAM}. */
    public int stream() {
      return stream;
    }

    /** The HTTP status ({@link Kind#HTTP}) or disconnect code ({@link Kind#DISCONNECT}). */
    public int code() {
      return code;
    }

    /** For {@link Kind#HTTP}: how many attempts get the error. */
    public int attempts() {
      return attempts;
    }

    /** For {@link Kind#STALL}: how long nothing is sent. */
    public Duration stall() {
      return stall;
    }

    /** For {@link Kind#MALFORMED}: whether a non-JSON line (else a truncated object). */
    public boolean textMalformed() {
      return textMalformed;
    }

    /** For {@link Kind#LIMIT}: how much the notice's track count grows each time. */
    public long increment() {
      return increment;
    }

    /** The same fault, firing after {@code statuses} instead. */
    Fault withAfter(long statuses) {
      return new Fault(kind, statuses, stream, code, attempts, stall, textMalformed, increment);
    }

    boolean appliesTo(long streamNumber) {
      return stream == EVERY_STREAM || stream == streamNumber;
    }

    /** The text form, as {@link #parse} reads it. */
    @Override
    public String toString() {
      String name = kind.name().toLowerCase(Locale.ROOT);
      String at = stream == EVERY_STREAM ? "@*" : "@" + stream;
      switch (kind) {
        case HTTP:
          return name + ":" + code + ":" + attempts;
        case STALL:
          return name + ":" + after + ":" + Durations.format(stall) + at;
        case MALFORMED:
          return name + ":" + after + (textMalformed ? ":text" : ":json") + at;
        case LIMIT:
          return name + ":" + after + ":" + increment + at;
        case DISCONNECT:
          return name + ":" + after + ":" + code + at;
        default:
          return name + ":" + after + at;
      }
    }
  }

  private static final FaultPlan NONE = new FaultPlan(Collections.<Fault>emptyList());

  private final List<Fault> faults;

  private FaultPlan(List<Fault> faults) {
    this.faults = Collections.unmodifiableList(new ArrayList<>(faults));
  }

  /** No faults: the server behaves. */
  public static FaultPlan none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Fault> faults() {
    return faults;
  }

  /** The HTTP code to answer the given attempt (from 1) with, or 0 to serve it. */
  int httpCodeFor(long attempt) {
    long first = 1;
    for (Fault f : faults) {
      if (f.kind == Kind.HTTP) {
        if (attempt >= first && attempt < first + f.attempts) {
          return f.code;
        }
        first += f.attempts;
      }
    }
    return 0;
  }

  /** The faults (other than HTTP) that apply to the given stream (from 1). */
  List<Fault> forStream(long streamNumber) {
    List<Fault> out = new ArrayList<>();
    for (Fault f : faults) {
      if (f.kind != Kind.HTTP && f.appliesTo(streamNumber)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Parses the text form (see the class comment). Several HTTP faults apply one after another:
   * {@code http:420:2,http:503} answers 420 twice, then 503, then serves.
   *
   * @throws IllegalArgumentException naming the offending fault and what was expected
   */
  public static FaultPlan parse(String spec) {
    Builder b = builder();
    if (spec == null || spec.trim().isEmpty()) {
      return none();
    }
    for (String part : spec.split(",", -1)) {
      String fault = part.trim();
      if (fault.isEmpty()) {
        continue;
      }
      try {
        b.add(parseOne(fault));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("fault '" + fault + "': " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static Fault parseOne(String text) {
    String body = text;
    Integer stream = null;
    int at = text.lastIndexOf('@');
    if (at >= 0) {
      body = text.substring(0, at);
      String s = text.substring(at + 1).trim();
      stream =
          s.equals("*") ? EVERY_STREAM : (int) number(s, "stream number", 1, Integer.MAX_VALUE);
    }
    String[] p = body.split(":", -1);
    String kind = p[0].trim().toLowerCase(Locale.ROOT);
    int oneShot = stream == null ? 1 : stream;
    switch (kind) {
      case "http":
        args(p, 2, 3, "http:CODE[:K]");
        if (stream != null) {
          throw new IllegalArgumentException("http faults count attempts; they take no @stream");
        }
        return http((int) number(p[1], "HTTP code", 400, 599), p.length > 2 ? count(p[2]) : 1);
      case "close":
        args(p, 2, 2, "close:N[@S]");
        return simple(Kind.CLOSE, statuses(p[1]), oneShot);
      case "cut":
        args(p, 2, 2, "cut:N[@S]");
        return simple(Kind.CUT, statuses(p[1]), oneShot);
      case "reset":
        args(p, 2, 2, "reset:N[@S]");
        return simple(Kind.RESET, statuses(p[1]), oneShot);
      case "stall":
        args(p, 3, 3, "stall:N:DURATION[@S]");
        return stall(statuses(p[1]), Durations.parse(p[2]), oneShot);
      case "malformed":
        args(p, 2, 3, "malformed:N[:json|text][@S]");
        String form = p.length > 2 ? p[2].trim().toLowerCase(Locale.ROOT) : "json";
        if (!form.equals("json") && !form.equals("text")) {
          throw new IllegalArgumentException("expected json or text, got '" + p[2] + "'");
        }
        return malformed(statuses(p[1]), form.equals("text"), oneShot);
      case "limit":
        args(p, 2, 3, "limit:M[:K][@S]");
        long every = number(p[1], "period in statuses", 1, Long.MAX_VALUE);
        long inc = p.length > 2 ? number(p[2], "track increment", 1, Long.MAX_VALUE) : 1;
        return limit(every, inc, stream == null ? EVERY_STREAM : stream);
      case "disconnect":
        args(p, 2, 3, "disconnect:N[:CODE][@S]");
        int code = p.length > 2 ? (int) number(p[2], "disconnect code", 1, 99) : 1;
        return disconnect(statuses(p[1]), code, oneShot);
      default:
        throw new IllegalArgumentException(
            "unknown kind '"
                + p[0]
                + "'; expected http, close, cut, reset, stall, malformed, limit or disconnect");
    }
  }

  private static void args(String[] p, int min, int max, String form) {
    if (p.length < min || p.length > max) {
      throw new IllegalArgumentException("expected " + form);
    }
  }

  private static long statuses(String s) {
    return number(s, "status count", 0, Long.MAX_VALUE);
  }

  private static int count(String s) {
    return (int) number(s, "attempt count", 1, Integer.MAX_VALUE);
  }

  private static long number(String s, String what, long min, long max) {
    long v;
    try {
      v = Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a whole number as " + what + ", got '" + s + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          what + " must be " + (max == Long.MAX_VALUE ? "at least " + min : min + "-" + max));
    }
    return v;
  }

  private static Fault http(int code, int attempts) {
    return new Fault(Kind.HTTP, 0, EVERY_STREAM, code, attempts, null, false, 0);
  }

  private static Fault simple(Kind kind, long after, int stream) {
    return new Fault(kind, after, stream, 0, 0, null, false, 0);
  }

  private static Fault stall(long after, Duration d, int stream) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a stall lasts a positive duration");
    }
    return new Fault(Kind.STALL, after, stream, 0, 0, d, false, 0);
  }

  private static Fault malformed(long after, boolean text, int stream) {
    return new Fault(Kind.MALFORMED, after, stream, 0, 0, null, text, 0);
  }

  private static Fault limit(long every, long increment, int stream) {
    return new Fault(Kind.LIMIT, every, stream, 0, 0, null, false, increment);
  }

  private static Fault disconnect(long after, int code, int stream) {
    return new Fault(Kind.DISCONNECT, after, stream, code, 0, null, false, 0);
  }

  /** The text form of every fault, comma-separated: {@code parse(plan.toString())} is equal. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Fault f : faults) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(f);
    }
    return sb.toString();
  }

  /**
   * Builds a plan. Methods taking a {@code stream} take a stream number from 1 or {@link
   * #EVERY_STREAM}; those without one apply to stream 1 (limit notices: to every stream). Not
   * thread-safe.
   */
  public static final class Builder {
    private final List<Fault> faults = new ArrayList<>();

    private Builder() {}

    Builder add(Fault f) {
      faults.add(f);
      return this;
    }

    /** Answers the next {@code attempts} connection attempts with HTTP {@code code} (400-599). */
    public Builder httpError(int code, int attempts) {
      if (code < 400 || code > 599 || attempts < 1) {
        throw new IllegalArgumentException("expected a 4xx/5xx code and attempts >= 1");
      }
      return add(http(code, attempts));
    }

    public Builder closeAfter(long statuses) {
      return closeAfter(statuses, 1);
    }

    public Builder closeAfter(long statuses, int stream) {
      return add(simple(Kind.CLOSE, checked(statuses), checkedStream(stream)));
    }

    /** Cuts the status after the first {@code statuses} in half, then closes (stream 1). */
    public Builder cutAfter(long statuses) {
      return cutAfter(statuses, 1);
    }

    public Builder cutAfter(long statuses, int stream) {
      return add(simple(Kind.CUT, checked(statuses), checkedStream(stream)));
    }

    /** Like {@link #cutAfter(long)} with a TCP reset: unread statuses may be lost (stream 1). */
    public Builder resetAfter(long statuses) {
      return resetAfter(statuses, 1);
    }

    public Builder resetAfter(long statuses, int stream) {
      return add(simple(Kind.RESET, checked(statuses), checkedStream(stream)));
    }

    public Builder stallAfter(long statuses, Duration duration) {
      return stallAfter(statuses, duration, 1);
    }

    public Builder stallAfter(long statuses, Duration duration, int stream) {
      return add(stall(checked(statuses), duration, checkedStream(stream)));
    }

    /**
     * @param text a line that is not JSON; else a JSON object cut short
     */
    public Builder malformedAfter(long statuses, boolean text) {
      return malformedAfter(statuses, text, 1);
    }

    public Builder malformedAfter(long statuses, boolean text, int stream) {
      return add(malformed(checked(statuses), text, checkedStream(stream)));
    }

    /** A limit notice after every {@code statuses} statuses on every stream, track growing by 1. */
    public Builder limitEvery(long statuses) {
      return limitEvery(statuses, 1, EVERY_STREAM);
    }

    public Builder limitEvery(long statuses, long increment, int stream) {
      if (statuses < 1 || increment < 1) {
        throw new IllegalArgumentException("limit period and increment must be at least 1");
      }
      return add(limit(statuses, increment, checkedStream(stream)));
    }

    public Builder disconnectAfter(long statuses, int code) {
      return disconnectAfter(statuses, code, 1);
    }

    public Builder disconnectAfter(long statuses, int code, int stream) {
      return add(disconnect(checked(statuses), code, checkedStream(stream)));
    }

    private static long checked(long statuses) {
      if (statuses < 0) {
        throw new IllegalArgumentException("status count must be >= 0: " + statuses);
      }
      return statuses;
    }

    private static int checkedStream(int stream) {
      if (stream < 0) {
        throw new IllegalArgumentException("stream must be >= 1, or EVERY_STREAM: " + stream);
      }
      return stream;
    }

    public FaultPlan build() {
      return faults.isEmpty() ? NONE : new FaultPlan(faults);
    }
  }
}
