package io.trendline.streamserver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import io.trendline.common.Tokenizer;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A v1.1 status (generated or replayed) as the X API v2 filtered stream carries it, and what rules
 * match against. {@link #json(List)} is the stream line: {@code data} (id, text, created_at,
 * author_id, lang, entities, referenced_tweets, note_tweet for a text longer than 280 code points),
 * {@code includes} (the referenced posts and the users of all of them) and {@code matching_rules}.
 *
 * <p>What rules see, this server's model of X's matching (see {@link Rule}): the words of the
 * post's text, and of the post it retweets or quotes, with its hashtags, cashtags and mentions
 * (which are words of the text too); the words of their expanded URLs, separately, for {@code
 * url:}; the entities themselves for {@code #}, {@code $} and {@code @}; lang and kind. Immutable.
 */
final class V2Post {
  private static final DateTimeFormatter V1_CREATED_AT =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);
  private static final DateTimeFormatter V2_CREATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** X's post length: longer texts come as {@code note_tweet}. */
  static final int MAX_TEXT_CODE_POINTS = 280;

  /** How deep referenced posts are followed, as {@code io.trendline.common.Status} does. */
  private static final int MAX_DEPTH = 4;

  final String id;

  /** Tokens of the texts (post and referenced posts, entities included), for keywords. */
  final Set<String> words = new HashSet<>();

  /** Each text's tokens in order, for exact phrases. */
  final List<List<String>> texts = new ArrayList<>();

  /** Tokens of the expanded URLs, for {@code url:}. */
  final Set<String> urlWords = new HashSet<>();

  final Set<String> hashtags = new HashSet<>();
  final Set<String> cashtags = new HashSet<>();
  final Set<String> mentions = new HashSet<>();
  final String lang;
  final String author;
  final boolean retweet;
  final boolean quote;
  final boolean reply;

  /** The {@code data} and {@code includes} members, without braces: shared by every stream. */
  private final String body;

  private V2Post(JsonObject status) {
    this.id = idOf(status);
    this.lang = lower(string(status, "lang"));
    JsonObject user = object(status, "user");
    this.author = user == null ? null : lower(string(user, "screen_name"));
    this.retweet = object(status, "retweeted_status") != null;
    this.quote = object(status, "quoted_status") != null;
    this.reply = string(status, "in_reply_to_status_id_str") != null;
    collect(status, 0);
    Map<String, JsonObject> includedPosts = new LinkedHashMap<>();
    Map<String, JsonObject> users = new LinkedHashMap<>();
    referenced(status, includedPosts, users, 0);
    this.body =
        Json.write(
            w -> {
              w.beginObject();
              w.name("data");
              post(w, status);
              if (!includedPosts.isEmpty() || !users.isEmpty()) {
                w.name("includes").beginObject();
                if (!includedPosts.isEmpty()) {
                  w.name("tweets").beginArray();
                  for (JsonObject p : includedPosts.values()) {
                    post(w, p);
                  }
                  w.endArray();
                }
                if (!users.isEmpty()) {
                  w.name("users").beginArray();
                  for (JsonObject u : users.values()) {
                    w.beginObject();
                    w.name("id").value(idOf(u));
                    w.name("name").value(string(u, "name"));
                    w.name("username").value(string(u, "screen_name"));
                    w.endObject();
                  }
                  w.endArray();
                }
                w.endObject();
              }
              w.endObject();
            });
  }

  /**
   * The v2 form of a v1.1 status line.
   *
   * @throws IllegalArgumentException when it is not a status object
   */
  static V2Post of(String v1Status) {
    JsonElement e = JsonParser.parseString(v1Status);
    if (!e.isJsonObject() || idOf(e.getAsJsonObject()) == null) {
      throw new IllegalArgumentException("not a status");
    }
    return new V2Post(e.getAsJsonObject());
  }

  /** The stream line for this post with the given matching rules ({@code [id, tag]} each). */
  String json(List<String[]> matchingRules) {
    StringBuilder sb = new StringBuilder(body.length() + 64 * matchingRules.size());
    sb.append(body, 0, body.length() - 1);
    sb.append(",\"matching_rules\":");
    sb.append(
        Json.write(
            w -> {
              w.beginArray();
              for (String[] rule : matchingRules) {
                w.beginObject().name("id").value(rule[0]);
                if (rule[1] != null) {
                  w.name("tag").value(rule[1]);
                }
                w.endObject();
              }
              w.endArray();
            }));
    return sb.append('}').toString();
  }

  // ---- Matching features ----

  private void collect(JsonObject status, int depth) {
    List<String> tokens = new ArrayList<>();
    String text = fullText(status);
    if (text != null) {
      Tokenizer.forEachToken(text, tokens::add);
      words.addAll(tokens);
      texts.add(tokens);
    }
    for (JsonObject entities : entityObjects(status)) {
      each(entities, "hashtags", "text", hashtags, words);
      each(entities, "symbols", "text", cashtags, words);
      each(entities, "user_mentions", "screen_name", mentions, words);
      each(entities, "urls", "expanded_url", null, urlWords);
    }
    if (depth < MAX_DEPTH) {
      for (String nested : new String[] {"retweeted_status", "quoted_status"}) {
        JsonObject n = object(status, nested);
        if (n != null) {
          collect(n, depth + 1);
        }
      }
    }
  }

  private static void each(
      JsonObject entities, String list, String field, Set<String> values, Set<String> tokens) {
    JsonElement e = entities.get(list);
    if (e == null || !e.isJsonArray()) {
      return;
    }
    for (JsonElement item : e.getAsJsonArray()) {
      String value = item.isJsonObject() ? string(item.getAsJsonObject(), field) : null;
      if (value == null) {
        continue;
      }
      if (values != null) {
        values.add(value.toLowerCase(Locale.ROOT));
      }
      Tokenizer.forEachToken(value, tokens::add);
    }
  }

  // ---- v2 JSON ----

  private static void referenced(
      JsonObject status, Map<String, JsonObject> posts, Map<String, JsonObject> users, int depth) {
    JsonObject user = object(status, "user");
    if (user != null && idOf(user) != null) {
      users.putIfAbsent(idOf(user), user);
    }
    if (depth >= MAX_DEPTH) {
      return;
    }
    for (String nested : new String[] {"retweeted_status", "quoted_status"}) {
      JsonObject n = object(status, nested);
      if (n != null && idOf(n) != null) {
        posts.putIfAbsent(idOf(n), n);
        referenced(n, posts, users, depth + 1);
      }
    }
  }

  private static void post(JsonWriter w, JsonObject status) throws IOException {
    w.beginObject();
    w.name("id").value(idOf(status));
    String text = fullText(status);
    if (text == null) {
      text = "";
    }
    boolean isRetweet = object(status, "retweeted_status") != null;
    boolean longPost = !isRetweet && text.codePointCount(0, text.length()) > MAX_TEXT_CODE_POINTS;
    w.name("text").value(longPost ? cut(text) : isRetweet ? string(status, "text") : text);
    String createdAt = createdAt(string(status, "created_at"));
    if (createdAt != null) {
      w.name("created_at").value(createdAt);
    }
    JsonObject user = object(status, "user");
    if (user != null && idOf(user) != null) {
      w.name("author_id").value(idOf(user));
    }
    if (string(status, "lang") != null) {
      w.name("lang").value(string(status, "lang"));
    }
    List<JsonObject> entities = entityObjects(status);
    JsonObject main = entities.isEmpty() ? null : entities.get(entities.size() - 1);
    if (main != null && !longPost) {
      w.name("entities");
      entities(w, main);
    }
    List<String[]> refs = new ArrayList<>();
    JsonObject rt = object(status, "retweeted_status");
    if (rt != null && idOf(rt) != null) {
      refs.add(new String[] {"retweeted", idOf(rt)});
    }
    JsonObject quoted = object(status, "quoted_status");
    if (quoted != null && idOf(quoted) != null) {
      refs.add(new String[] {"quoted", idOf(quoted)});
    }
    String repliedTo = string(status, "in_reply_to_status_id_str");
    if (repliedTo != null) {
      refs.add(new String[] {"replied_to", repliedTo});
    }
    if (!refs.isEmpty()) {
      w.name("referenced_tweets").beginArray();
      for (String[] r : refs) {
        w.beginObject().name("type").value(r[0]).name("id").value(r[1]).endObject();
      }
      w.endArray();
    }
    if (longPost) {
      w.name("note_tweet").beginObject().name("text").value(text);
      if (main != null) {
        w.name("entities");
        entities(w, main);
      }
      w.endObject();
    }
    w.endObject();
  }

  /** v1.1 entities in v2's shape: start/end instead of indices, tag, username, cashtags. */
  private static void entities(JsonWriter w, JsonObject v1) throws IOException {
    w.beginObject();
    list(w, v1, "hashtags", "hashtags", "text", "tag");
    list(w, v1, "symbols", "cashtags", "text", "tag");
    list(w, v1, "user_mentions", "mentions", "screen_name", "username");
    JsonElement urls = v1.get("urls");
    if (urls != null && urls.isJsonArray() && urls.getAsJsonArray().size() > 0) {
      w.name("urls").beginArray();
      for (JsonElement e : urls.getAsJsonArray()) {
        if (!e.isJsonObject()) {
          continue;
        }
        JsonObject u = e.getAsJsonObject();
        w.beginObject();
        indices(w, u);
        w.name("url").value(string(u, "url"));
        w.name("expanded_url").value(string(u, "expanded_url"));
        w.name("display_url").value(string(u, "display_url"));
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  private static void list(
      JsonWriter w, JsonObject v1, String from, String to, String field, String as)
      throws IOException {
    JsonElement list = v1.get(from);
    if (list == null || !list.isJsonArray() || list.getAsJsonArray().size() == 0) {
      return;
    }
    w.name(to).beginArray();
    for (JsonElement e : list.getAsJsonArray()) {
      if (!e.isJsonObject() || string(e.getAsJsonObject(), field) == null) {
        continue;
      }
      w.beginObject();
      indices(w, e.getAsJsonObject());
      w.name(as).value(string(e.getAsJsonObject(), field));
      w.endObject();
    }
    w.endArray();
  }

  private static void indices(JsonWriter w, JsonObject entity) throws IOException {
    JsonElement i = entity.get("indices");
    if (i != null && i.isJsonArray() && i.getAsJsonArray().size() == 2) {
      JsonArray a = i.getAsJsonArray();
      if (a.get(0).isJsonPrimitive() && a.get(1).isJsonPrimitive()) {
        w.name("start").value(a.get(0).getAsJsonPrimitive().getAsNumber());
        w.name("end").value(a.get(1).getAsJsonPrimitive().getAsNumber());
      }
    }
  }

  /** The first 280 code points, as X cuts a long post's {@code text}. */
  private static String cut(String text) {
    return text.substring(0, text.offsetByCodePoints(0, MAX_TEXT_CODE_POINTS));
  }

  /** v1.1's "Mon May 14 21:39:05 +0000 2018" as v2's "2018-05-14T21:39:05.000Z"; else null. */
  static String createdAt(String v1) {
    if (v1 == null) {
      return null;
    }
    try {
      return V2_CREATED_AT.format(ZonedDateTime.parse(v1, V1_CREATED_AT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  // ---- v1.1 fields ----

  /** The entities objects of a status: its own, then its extended tweet's (the full ones). */
  private static List<JsonObject> entityObjects(JsonObject status) {
    List<JsonObject> list = new ArrayList<>(2);
    JsonObject own = object(status, "entities");
    if (own != null) {
      list.add(own);
    }
    JsonObject extended = object(status, "extended_tweet");
    if (extended != null && object(extended, "entities") != null) {
      list.add(object(extended, "entities"));
    }
    return list.isEmpty() ? Collections.<JsonObject>emptyList() : list;
  }

  private static String fullText(JsonObject status) {
    JsonObject extended = object(status, "extended_tweet");
    if (extended != null && string(extended, "full_text") != null) {
      return string(extended, "full_text");
    }
    String full = string(status, "full_text");
    return full != null ? full : string(status, "text");
  }

  private static String idOf(JsonObject o) {
    String id = string(o, "id_str");
    if (id == null) {
      JsonElement e = o.get("id");
      id = e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
    return id;
  }

  private static JsonObject object(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString()
        : null;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
