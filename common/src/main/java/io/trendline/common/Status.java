package io.trendline.common;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.function.Consumer;

/**
 * A read-only view of a status object, exposing what Twitter's track matching looked at: the text
 * (the full text of an extended tweet), the hashtags, cashtags, mentions and expanded URLs of both
 * the status and its extended form, and the same, recursively, of the retweeted and quoted
 * statuses. Wraps the parsed JSON without copying; not thread-safe to mutate, and never mutated
 * here.
 */
public final class Status {
  /**
   * How deep nested statuses (retweeted, quoted) are looked into: retweets of quotes of quotes; the
   * real service nested at most two deep.
   */
  static final int MAX_DEPTH = 4;

  private final JsonObject json;

  public Status(JsonObject json) {
    this.json = json;
  }

  public JsonObject json() {
    return json;
  }

  /** The status id as a string, or null when it has none. */
  public String id() {
    String id = string(json, "id_str");
    if (id == null) {
      JsonElement e = json.get("id");
      id = e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
    return id;
  }

  /** The full text: {@code extended_tweet.full_text}, else {@code full_text}, else {@code text}. */
  public String fullText() {
    return fullText(json);
  }

  /** {@code timestamp_ms} when present and numeric, else -1. */
  public long timestampMs() {
    String ts = string(json, "timestamp_ms");
    if (ts == null) {
      JsonElement e = json.get("timestamp_ms");
      if (e == null || !e.isJsonPrimitive()) {
        return -1;
      }
      ts = e.getAsString();
    }
    try {
      return Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Calls {@code sink} with every piece of text that track matching considers. */
  public void forEachMatchableText(Consumer<String> sink) {
    visit(json, sink, 0);
  }

  private static void visit(JsonObject status, Consumer<String> sink, int depth) {
    String text = fullText(status);
    if (text != null) {
      sink.accept(text);
    }
    entities(status.get("entities"), sink);
    JsonElement extended = status.get("extended_tweet");
    if (extended != null && extended.isJsonObject()) {
      entities(extended.getAsJsonObject().get("entities"), sink);
    }
    if (depth < MAX_DEPTH) {
      nested(status.get("retweeted_status"), sink, depth);
      nested(status.get("quoted_status"), sink, depth);
    }
  }

  private static void nested(JsonElement e, Consumer<String> sink, int depth) {
    if (e != null && e.isJsonObject()) {
      visit(e.getAsJsonObject(), sink, depth + 1);
    }
  }

  private static void entities(JsonElement e, Consumer<String> sink) {
    if (e == null || !e.isJsonObject()) {
      return;
    }
    JsonObject entities = e.getAsJsonObject();
    each(entities.get("hashtags"), "text", sink);
    each(entities.get("symbols"), "text", sink);
    each(entities.get("user_mentions"), "screen_name", sink);
    each(entities.get("urls"), "expanded_url", sink);
  }

  private static void each(JsonElement e, String field, Consumer<String> sink) {
    if (e == null || !e.isJsonArray()) {
      return;
    }
    JsonArray array = e.getAsJsonArray();
    for (JsonElement item : array) {
      if (item.isJsonObject()) {
        String value = string(item.getAsJsonObject(), field);
        if (value != null) {
          sink.accept(value);
        }
      }
    }
  }

  private static String fullText(JsonObject status) {
    JsonElement extended = status.get("extended_tweet");
    if (extended != null && extended.isJsonObject()) {
      String full = string(extended.getAsJsonObject(), "full_text");
      if (full != null) {
        return full;
      }
    }
    String full = string(status, "full_text");
    return full != null ? full : string(status, "text");
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString()
        : null;
  }
}
