package io.trendline.streamserver;

/** Statuses and notices written for these tests, in the v1.1 shape (trimmed to what matters). */
final class Fixtures {
  private Fixtures() {}

  static String status(long id, String text) {
    return "{\"created_at\":\"Sun Mar 25 15:09:41 +0000 2018\",\"id\":"
        + id
        + ",\"id_str\":\""
        + id
        + "\",\"text\":"
        + quote(text)
        + ",\"truncated\":false,\"user\":{\"id\":7,\"id_str\":\"7\",\"screen_name\":\"fixture_user\"}"
        + ",\"entities\":{\"hashtags\":[],\"urls\":[],\"user_mentions\":[],\"symbols\":[]}"
        + ",\"lang\":\"en\",\"timestamp_ms\":\"1521990581000\"}";
  }

  /** A retweet whose own text is cut before the keyword, which only the original holds. */
  static String retweet(long id, String originalText) {
    return "{\"created_at\":\"Sun Mar 25 15:09:42 +0000 2018\",\"id\":"
        + id
        + ",\"id_str\":\""
        + id
        + "\",\"text\":\"RT @someone: Long story short\\u2026\",\"user\":{\"screen_name\":\"rt_user\"}"
        + ",\"retweeted_status\":"
        + status(id - 1_000_000, originalText)
        + ",\"entities\":{\"hashtags\":[],\"urls\":[],\"user_mentions\":[],\"symbols\":[]}"
        + ",\"timestamp_ms\":\"1521990582000\"}";
  }

  static String limit(long track) {
    return "{\"limit\":{\"track\":" + track + ",\"timestamp_ms\":\"1526333948929\"}}";
  }

  static String quote(String s) {
    return Json.write(w -> w.value(s));
  }
}
