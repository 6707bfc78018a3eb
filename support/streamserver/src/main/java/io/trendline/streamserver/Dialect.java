package io.trendline.streamserver;

import io.trendline.common.TrackMatcher;
import java.util.List;

/**
 * What one stream's API makes of the source's messages: which statuses it carries and in what
 * shape, and how it words the notices faults inject. v1.1 ({@code statuses/filter}) carries the
 * statuses its {@code track} matches, as they are, and every notice; v2 (the filtered stream)
 * carries the posts the app's rules match, in v2's shape with their {@code matching_rules}, no v1.1
 * notices, and ends a stream with an error object. Thread-safe.
 */
abstract class Dialect {
  /** The bytes to send for a status (ending in CRLF), or null when the stream's filter drops it. */
  abstract byte[] status(Item item);

  /** The bytes to send for a notice, or null when this API has no such message. */
  abstract byte[] notice(Item item);

  /** A {@code limit} notice, or null when this API has none. */
  abstract String limit(long track, long timestampMs);

  /** What the server sends before ending a stream for operational reasons. */
  abstract String disconnect(int code, long stream);

  static Dialect v1(TrackMatcher matcher) {
    return new V1(matcher);
  }

  /**
   * @param recent where the posts it carries are kept for backfills
   * @param clock when they were carried
   */
  static Dialect v2(RuleSet rules, RecentPosts recent, java.time.Clock clock) {
    return new V2(rules, recent, clock);
  }

  /** For a backfill: the post as {@link #status} renders it, without keeping it again. */
  byte[] again(Item item) {
    return status(item);
  }

  private static final class V1 extends Dialect {
    private final TrackMatcher matcher;

    V1(TrackMatcher matcher) {
      this.matcher = matcher;
    }

    @Override
    byte[] status(Item item) {
      return matcher.match(item.status()).isEmpty() ? null : item.bytes;
    }

    @Override
    byte[] notice(Item item) {
      return item.bytes;
    }

    @Override
    String limit(long track, long timestampMs) {
      return Json.write(
          w -> {
            w.beginObject().name("limit").beginObject();
            w.name("track").value(track);
            w.name("timestamp_ms").value(Long.toString(timestampMs));
            w.endObject().endObject();
          });
    }

    @Override
    String disconnect(int code, long stream) {
      return Json.write(
          w -> {
            w.beginObject().name("disconnect").beginObject();
            w.name("code").value(code);
            w.name("stream_name").value("trendline-statuses" + stream);
            w.name("reason").value("injected fault");
            w.endObject().endObject();
          });
    }
  }

  private static final class V2 extends Dialect {
    private final RuleSet rules;
    private final RecentPosts recent;
    private final java.time.Clock clock;

    V2(RuleSet rules, RecentPosts recent, java.time.Clock clock) {
      this.rules = rules;
      this.recent = recent;
      this.clock = clock;
    }

    @Override
    byte[] status(Item item) {
      byte[] bytes = again(item);
      if (bytes != null) {
        recent.add(item, clock.millis());
      }
      return bytes;
    }

    @Override
    byte[] again(Item item) {
      V2Post post = item.v2();
      if (post == null) {
        return null;
      }
      List<String[]> matched = rules.matching(post);
      return matched.isEmpty() ? null : Item.encode(post.json(matched));
    }

    @Override
    byte[] notice(Item item) {
      return null;
    }

    @Override
    String limit(long track, long timestampMs) {
      return null;
    }

    @Override
    String disconnect(int code, long stream) {
      return Json.write(
          w -> {
            w.beginObject().name("errors").beginArray().beginObject();
            w.name("title").value("operational-disconnect");
            w.name("disconnect_type").value("OperationalDisconnect");
            w.name("detail")
                .value(
                    "This stream has been disconnected for operational reasons (injected fault"
                        + " on stream "
                        + stream
                        + ").");
            w.name("type").value("https://api.twitter.com/2/problems/operational-disconnect");
            w.endObject().endArray().endObject();
          });
    }
  }
}
