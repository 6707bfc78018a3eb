package io.trendline.streamserver;

import io.trendline.streamserver.Composer.Text;
import io.trendline.streamserver.Vocabulary.Form;
import io.trendline.streamserver.Vocabulary.Lang;
import io.trendline.streamserver.Vocabulary.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Writes a {@link SyntheticSource}'s statuses and users as v1.1 JSON, one line each: the text (cut
 * to 140 code points with a "more" link, or with an ellipsis in a retweet), entities with
 * code-point indices, counts, and the nested retweeted or quoted status. The few values it makes up
 * (the client, the counts of a nested status, the "more" link) are drawn from the generator's
 * random sequence. Not thread-safe.
 */
final class StatusWriter {
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss +0000 yyyy", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final SplittableRandom rnd;
  private long createdAtSecond = Long.MIN_VALUE;
  private String createdAt;

  StatusWriter(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /**
   * Appends one status object. {@code quoted} is "json,id" of a quoted status; {@code timestampMs}
   * is -1 for statuses nested in another (they carry none).
   */
  String status(
      StringBuilder sb,
      long id,
      long ms,
      Text text,
      User user,
      Lang lang,
      String retweeted,
      String quoted,
      long timestampMs) {
    boolean nested = timestampMs < 0;
    String full = text.sb.toString();
    int fullCps = full.codePointCount(0, full.length());
    String shown = full;
    int keepUpTo = full.length();
    String moreLink = null;
    boolean truncated = false;
    if (retweeted != null && fullCps > 140) {
      int cut = cutAt(full, 139);
      shown = full.substring(0, cut) + "…";
      keepUpTo = cut;
    } else if (retweeted == null && fullCps > 140) {
      int cut = cutAt(full, 113);
      moreLink = Composer.tco(rnd);
      shown = full.substring(0, cut) + "… " + moreLink;
      keepUpTo = cut;
      truncated = true;
    }
    sb.append("{\"created_at\":");
    Json.string(sb, createdAt(ms));
    sb.append(",\"id\":").append(id).append(",\"id_str\":\"").append(id).append('"');
    sb.append(",\"text\":");
    Json.string(sb, shown);
    if (truncated) {
      sb.append(",\"display_text_range\":[0,140]");
    }
    sb.append(",\"source\":");
    Json.string(sb, Phrasebook.SOURCES[rnd.nextInt(Phrasebook.SOURCES.length)]);
    sb.append(",\"truncated\":").append(truncated);
    sb.append(
        ",\"in_reply_to_status_id\":null,\"in_reply_to_status_id_str\":null,"
            + "\"in_reply_to_user_id\":null,\"in_reply_to_user_id_str\":null,"
            + "\"in_reply_to_screen_name\":null");
    sb.append(",\"user\":").append(user.json);
    sb.append(",\"geo\":null,\"coordinates\":null,\"place\":null,\"contributors\":null");
    if (retweeted != null) {
      sb.append(",\"retweeted_status\":").append(retweeted);
    }
    if (quoted != null) {
      int comma = quoted.lastIndexOf(',');
      String qid = quoted.substring(comma + 1);
      sb.append(",\"quoted_status_id\":").append(qid);
      sb.append(",\"quoted_status_id_str\":\"").append(qid).append('"');
      sb.append(",\"quoted_status\":").append(quoted, 0, comma);
    }
    sb.append(",\"is_quote_status\":").append(quoted != null);
    if (truncated) {
      sb.append(",\"extended_tweet\":{\"full_text\":");
      Json.string(sb, full);
      sb.append(",\"display_text_range\":[0,").append(fullCps).append("],\"entities\":");
      entities(sb, full, text, full.length(), null, id);
      sb.append('}');
    }
    int n = nested ? rnd.nextInt(5000) : 0;
    sb.append(",\"quote_count\":").append(nested ? n / 40 : 0);
    sb.append(",\"reply_count\":").append(nested ? n / 25 : 0);
    sb.append(",\"retweet_count\":").append(n);
    sb.append(",\"favorite_count\":").append(nested ? n * 2 : 0);
    sb.append(",\"entities\":");
    entities(sb, full, text, keepUpTo, moreLink, id);
    sb.append(",\"favorited\":false,\"retweeted\":false");
    if (!text.urls.isEmpty() || moreLink != null) {
      sb.append(",\"possibly_sensitive\":false");
    }
    sb.append(",\"filter_level\":\"low\",\"lang\":\"").append(lang.code).append('"');
    if (!nested) {
      sb.append(",\"timestamp_ms\":\"").append(timestampMs).append('"');
    }
    sb.append('}');
    return sb.toString();
  }

  /** The largest UTF-16 index holding at most {@code cps} code points, at a space if near one. */
  private static int cutAt(String s, int cps) {
    int end = s.offsetByCodePoints(0, cps);
    int space = s.lastIndexOf(' ', end);
    return space > end - 20 && space > 0 ? space : end;
  }

  /** Writes the entities that lie within the first {@code upTo} chars, plus a "more" link. */
  private void entities(StringBuilder sb, String full, Text t, int upTo, String moreLink, long id) {
    sb.append("{\"hashtags\":[");
    list(sb, full, t, upTo, Form.HASHTAG);
    sb.append("],\"urls\":[");
    int written = list(sb, full, t, upTo, Form.URL);
    if (moreLink != null) {
      int start = full.codePointCount(0, upTo) + 2;
      if (written > 0) {
        sb.append(',');
      }
      String expanded = "https://twitter.com/i/web/status/" + id;
      urlEntity(sb, moreLink, expanded, start, start + moreLink.length());
    }
    sb.append("],\"user_mentions\":[");
    list(sb, full, t, upTo, Form.MENTION);
    sb.append("],\"symbols\":[");
    list(sb, full, t, upTo, Form.SYMBOL);
    sb.append("]}");
  }

  private int list(StringBuilder sb, String full, Text t, int upTo, int type) {
    int count = 0;
    for (int i = 0; i < t.forms.size(); i++) {
      Form f = t.forms.get(i);
      int[] span = t.spans.get(i);
      if (f.entity != type || span[1] > upTo) {
        continue;
      }
      if (count++ > 0) {
        sb.append(',');
      }
      int start = full.codePointCount(0, span[0]);
      int end = start + full.codePointCount(span[0], span[1]);
      switch (type) {
        case Form.URL:
          urlEntity(sb, full.substring(span[0], span[1]), t.urls.get(i), start, end);
          break;
        case Form.MENTION:
          {
            String extra = t.urls.get(i);
            int comma = extra.lastIndexOf(',');
            sb.append("{\"screen_name\":");
            Json.string(sb, f.value);
            sb.append(",\"name\":");
            Json.string(sb, extra.substring(0, comma));
            String uid = extra.substring(comma + 1);
            sb.append(",\"id\":").append(uid).append(",\"id_str\":\"").append(uid).append('"');
            sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
            break;
          }
        default:
          sb.append("{\"text\":");
          Json.string(sb, f.value);
          sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
      }
    }
    return count;
  }

  private static void urlEntity(StringBuilder sb, String url, String expanded, int start, int end) {
    sb.append("{\"url\":");
    Json.string(sb, url);
    sb.append(",\"expanded_url\":");
    Json.string(sb, expanded);
    String display = expanded.replaceFirst("^https?://", "");
    if (display.length() > 26) {
      display = display.substring(0, 25) + "…";
    }
    sb.append(",\"display_url\":");
    Json.string(sb, display);
    sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
  }

  private String createdAt(long ms) {
    long second = Math.floorDiv(ms, 1000);
    if (second != createdAtSecond) {
      createdAtSecond = second;
      createdAt = CREATED_AT.format(Instant.ofEpochSecond(second));
    }
    return createdAt;
  }

  /** A user object, its attributes drawn from {@code r} (the set-up sequence). */
  static String userJson(Random r, long id, String screenName, String name, Phrasebook.Language l) {
    StringBuilder sb = new StringBuilder(1400);
    long created = 1_180_000_000_000L + (long) (r.nextDouble() * 340_000_000_000L);
    String color = Phrasebook.COLORS[r.nextInt(Phrasebook.COLORS.length)];
    int followers = (int) Math.min(5_000_000, Math.exp(r.nextDouble() * 12));
    String img = Long.toString(Math.abs(r.nextLong()) % 1_000_000_000_000_000L);
    sb.append("{\"id\":").append(id).append(",\"id_str\":\"").append(id).append('"');
    sb.append(",\"name\":");
    Json.string(sb, name);
    sb.append(",\"screen_name\":");
    Json.string(sb, screenName);
    sb.append(",\"location\":");
    Json.string(sb, l.places[r.nextInt(l.places.length)]);
    sb.append(",\"url\":null,\"description\":");
    Json.string(sb, Phrasebook.DESCRIPTIONS[r.nextInt(Phrasebook.DESCRIPTIONS.length)]);
    sb.append(",\"translator_type\":\"none\",\"protected\":false,\"verified\":")
        .append(r.nextInt(50) == 0);
    sb.append(",\"followers_count\":").append(followers);
    sb.append(",\"friends_count\":").append(r.nextInt(3000));
    sb.append(",\"listed_count\":").append(followers / 100);
    sb.append(",\"favourites_count\":").append(r.nextInt(80_000));
    sb.append(",\"statuses_count\":").append(100 + r.nextInt(200_000));
    sb.append(",\"created_at\":");
    Json.string(sb, CREATED_AT.format(Instant.ofEpochMilli(created)));
    sb.append(",\"utc_offset\":null,\"time_zone\":null,\"geo_enabled\":").append(r.nextBoolean());
    sb.append(",\"lang\":\"").append(l.code).append('"');
    sb.append(",\"contributors_enabled\":false,\"is_translator\":false");
    sb.append(",\"profile_background_color\":\"F5F8FA\"");
    sb.append(",\"profile_background_image_url\":\"\",\"profile_background_image_url_https\":\"\"");
    sb.append(",\"profile_background_tile\":false,\"profile_link_color\":\"")
        .append(color)
        .append('"');
    sb.append(
        ",\"profile_sidebar_border_color\":\"C0DEED\",\"profile_sidebar_fill_color\":\"DDEEF6\"");
    sb.append(",\"profile_text_color\":\"333333\",\"profile_use_background_image\":true");
    sb.append(",\"profile_image_url\":\"http://pbs.twimg.com/profile_images/")
        .append(img)
        .append("/avatar_normal.jpg\"");
    sb.append(",\"profile_image_url_https\":\"https://pbs.twimg.com/profile_images/")
        .append(img)
        .append("/avatar_normal.jpg\"");
    sb.append(",\"profile_banner_url\":\"https://pbs.twimg.com/profile_banners/")
        .append(id)
        .append('/')
        .append(created / 1000)
        .append('"');
    sb.append(",\"default_profile\":").append(r.nextBoolean());
    sb.append(",\"default_profile_image\":false,\"following\":null,\"follow_request_sent\":null");
    sb.append(",\"notifications\":null}");
    return sb.toString();
  }
}
