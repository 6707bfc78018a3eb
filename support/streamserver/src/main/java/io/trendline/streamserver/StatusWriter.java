package io.trendline.streamserver;

import com.google.gson.stream.JsonWriter;
import io.trendline.streamserver.Composer.Text;
import io.trendline.streamserver.Vocabulary.Form;
import io.trendline.streamserver.Vocabulary.Lang;
import io.trendline.streamserver.Vocabulary.User;
import java.io.IOException;
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

  /** The lists of {@code entities}, in the order written, and the entity type each holds. */
  private static final String[] ENTITY_LISTS = {"hashtags", "urls", "user_mentions", "symbols"};

  private static final int[] ENTITY_TYPES = {Form.HASHTAG, Form.URL, Form.MENTION, Form.SYMBOL};

  private final SplittableRandom rnd;
  private long createdAtSecond = Long.MIN_VALUE;
  private String createdAt;

  StatusWriter(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /**
   * One status object. {@code quoted} is "json,id" of a quoted status; {@code timestampMs} is -1
   * for statuses nested in another (they carry none).
   */
  String status(
      long id,
      long ms,
      Text text,
      User user,
      Lang lang,
      String retweeted,
      String quoted,
      long timestampMs) {
    return Json.write(
        w -> {
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
          w.beginObject();
          w.name("created_at").value(createdAt(ms));
          id(w, id);
          w.name("text").value(shown);
          if (truncated) {
            w.name("display_text_range").beginArray().value(0).value(140).endArray();
          }
          w.name("source").value(Phrasebook.SOURCES[rnd.nextInt(Phrasebook.SOURCES.length)]);
          w.name("truncated").value(truncated);
          w.name("in_reply_to_status_id").nullValue();
          w.name("in_reply_to_status_id_str").nullValue();
          w.name("in_reply_to_user_id").nullValue();
          w.name("in_reply_to_user_id_str").nullValue();
          w.name("in_reply_to_screen_name").nullValue();
          w.name("user").jsonValue(user.json);
          w.name("geo").nullValue();
          w.name("coordinates").nullValue();
          w.name("place").nullValue();
          w.name("contributors").nullValue();
          if (retweeted != null) {
            w.name("retweeted_status").jsonValue(retweeted);
          }
          if (quoted != null) {
            int comma = quoted.lastIndexOf(',');
            long qid = Long.parseLong(quoted.substring(comma + 1));
            w.name("quoted_status_id").value(qid);
            w.name("quoted_status_id_str").value(Long.toString(qid));
            w.name("quoted_status").jsonValue(quoted.substring(0, comma));
          }
          w.name("is_quote_status").value(quoted != null);
          if (truncated) {
            w.name("extended_tweet").beginObject();
            w.name("full_text").value(full);
            w.name("display_text_range").beginArray().value(0).value(fullCps).endArray();
            w.name("entities");
            entities(w, full, text, full.length(), null, id);
            w.endObject();
          }
          int n = nested ? rnd.nextInt(5000) : 0;
          w.name("quote_count").value(nested ? n / 40 : 0);
          w.name("reply_count").value(nested ? n / 25 : 0);
          w.name("retweet_count").value(n);
          w.name("favorite_count").value(nested ? n * 2 : 0);
          w.name("entities");
          entities(w, full, text, keepUpTo, moreLink, id);
          w.name("favorited").value(false);
          w.name("retweeted").value(false);
          if (!text.urls.isEmpty() || moreLink != null) {
            w.name("possibly_sensitive").value(false);
          }
          w.name("filter_level").value("low");
          w.name("lang").value(lang.code);
          if (!nested) {
            w.name("timestamp_ms").value(Long.toString(timestampMs));
          }
          w.endObject();
        });
  }

  /** {@code "id"} and {@code "id_str"}: the id as a number and as a string. */
  private static void id(JsonWriter w, long id) throws IOException {
    w.name("id").value(id);
    w.name("id_str").value(Long.toString(id));
  }

  /** {@code "indices"}: an entity's first and past-the-end code points. */
  private static void indices(JsonWriter w, int start, int end) throws IOException {
    w.name("indices").beginArray().value(start).value(end).endArray();
  }

  /** The largest UTF-16 index holding at most {@code cps} code points, at a space if near one. */
  private static int cutAt(String s, int cps) {
    int end = s.offsetByCodePoints(0, cps);
    int space = s.lastIndexOf(' ', end);
    return space > end - 20 && space > 0 ? space : end;
  }

  /** Writes the entities that lie within the first {@code upTo} chars, plus a "more" link. */
  private static void entities(
      JsonWriter w, String full, Text t, int upTo, String moreLink, long id) throws IOException {
    w.beginObject();
    for (int i = 0; i < ENTITY_LISTS.length; i++) {
      w.name(ENTITY_LISTS[i]).beginArray();
      list(w, full, t, upTo, ENTITY_TYPES[i]);
      if (ENTITY_TYPES[i] == Form.URL && moreLink != null) {
        int start = full.codePointCount(0, upTo) + 2;
        String expanded = "https://twitter.com/i/web/status/" + id;
        urlEntity(w, moreLink, expanded, start, start + moreLink.length());
      }
      w.endArray();
    }
    w.endObject();
  }

  /** Writes the entities of one type that lie within the first {@code upTo} chars. */
  private static void list(JsonWriter w, String full, Text t, int upTo, int type)
      throws IOException {
    for (int i = 0; i < t.forms.size(); i++) {
      Form f = t.forms.get(i);
      int[] span = t.spans.get(i);
      if (f.entity != type || span[1] > upTo) {
        continue;
      }
      int start = full.codePointCount(0, span[0]);
      int end = start + full.codePointCount(span[0], span[1]);
      switch (type) {
        case Form.URL:
          urlEntity(w, full.substring(span[0], span[1]), t.urls.get(i), start, end);
          break;
        case Form.MENTION:
          {
            String extra = t.urls.get(i);
            int comma = extra.lastIndexOf(',');
            w.beginObject();
            w.name("screen_name").value(f.value);
            w.name("name").value(extra.substring(0, comma));
            id(w, Long.parseLong(extra.substring(comma + 1)));
            indices(w, start, end);
            w.endObject();
            break;
          }
        default:
          w.beginObject();
          w.name("text").value(f.value);
          indices(w, start, end);
          w.endObject();
      }
    }
  }

  private static void urlEntity(JsonWriter w, String url, String expanded, int start, int end)
      throws IOException {
    String display = expanded.replaceFirst("^https?://", "");
    if (display.length() > 26) {
      display = display.substring(0, 25) + "…";
    }
    w.beginObject();
    w.name("url").value(url);
    w.name("expanded_url").value(expanded);
    w.name("display_url").value(display);
    indices(w, start, end);
    w.endObject();
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
    long created = 1_180_000_000_000L + (long) (r.nextDouble() * 340_000_000_000L);
    String color = Phrasebook.COLORS[r.nextInt(Phrasebook.COLORS.length)];
    int followers = (int) Math.min(5_000_000, Math.exp(r.nextDouble() * 12));
    String img = Long.toString(Math.abs(r.nextLong()) % 1_000_000_000_000_000L);
    // The rest is drawn as it is written: the order of the fields is the order of the draws.
    return Json.write(
        w -> {
          w.beginObject();
          id(w, id);
          w.name("name").value(name);
          w.name("screen_name").value(screenName);
          w.name("location").value(l.places[r.nextInt(l.places.length)]);
          w.name("url").nullValue();
          w.name("description")
              .value(Phrasebook.DESCRIPTIONS[r.nextInt(Phrasebook.DESCRIPTIONS.length)]);
          w.name("translator_type").value("none");
          w.name("protected").value(false);
          w.name("verified").value(r.nextInt(50) == 0);
          w.name("followers_count").value(followers);
          w.name("friends_count").value(r.nextInt(3000));
          w.name("listed_count").value(followers / 100);
          w.name("favourites_count").value(r.nextInt(80_000));
          w.name("statuses_count").value(100 + r.nextInt(200_000));
          w.name("created_at").value(CREATED_AT.format(Instant.ofEpochMilli(created)));
          w.name("utc_offset").nullValue();
          w.name("time_zone").nullValue();
          w.name("geo_enabled").value(r.nextBoolean());
          w.name("lang").value(l.code);
          w.name("contributors_enabled").value(false);
          w.name("is_translator").value(false);
          w.name("profile_background_color").value("F5F8FA");
          w.name("profile_background_image_url").value("");
          w.name("profile_background_image_url_https").value("");
          w.name("profile_background_tile").value(false);
          w.name("profile_link_color").value(color);
          w.name("profile_sidebar_border_color").value("C0DEED");
          w.name("profile_sidebar_fill_color").value("DDEEF6");
          w.name("profile_text_color").value("333333");
          w.name("profile_use_background_image").value(true);
          String image = "pbs.twimg.com/profile_images/" + img + "/avatar_normal.jpg";
          w.name("profile_image_url").value("http://" + image);
          w.name("profile_image_url_https").value("https://" + image);
          w.name("profile_banner_url")
              .value("https://pbs.twimg.com/profile_banners/" + id + "/" + created / 1000);
          w.name("default_profile").value(r.nextBoolean());
          w.name("default_profile_image").value(false);
          w.name("following").nullValue();
          w.name("follow_request_sent").nullValue();
          w.name("notifications").nullValue();
          w.endObject();
        });
  }
}
