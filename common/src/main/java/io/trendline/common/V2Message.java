package io.trendline.common;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the X API v2 filtered stream ({@code GET /2/tweets/search/stream}), classified. A
 * post is {@code {"data":{...},"includes":{...},"matching_rules":[{"id","tag"}]}}; an error object
 * ({@code {"errors":[{"title":"operational-disconnect",...}]}}, sent before X ends a stream) has
 * {@code errors} and no {@code data}. Anything else that is a JSON object is {@link Kind#UNKNOWN};
 * anything that is not, or is larger than the bound, is {@link Kind#MALFORMED}. Keep-alives (blank
 * lines) never reach this class: the line reader drops them. Immutable.
 */
public final class V2Message {
  /** What a line is. */
  public enum Kind {
    POST,
    /** An error object: the stream is about to end (or a warning about it). */
    ERROR,
    UNKNOWN,
    MALFORMED
  }

  private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

  private final Kind kind;
  private final String raw;
  private final JsonObject json;
  private final String problem;

  private V2Message(Kind kind, String raw, JsonObject json, String problem) {
    this.kind = kind;
    this.raw = raw;
    this.json = json;
    this.problem = problem;
  }

  /**
   * Classifies one line. Never throws: what cannot be parsed is {@link Kind#MALFORMED} with {@link
   * #problem()} saying why. Surrounding white space is ignored.
   */
  public static V2Message parse(String raw, int maxBytes) {
    if (raw == null) {
      return malformed("", "null message");
    }
    if (StreamMessage.largerThan(raw, maxBytes)) {
      return malformed(raw, "message larger than " + maxBytes + " bytes");
    }
    String trimmed = raw.trim();
    if (trimmed.isEmpty()) {
      return malformed(raw, "empty message");
    }
    JsonObject obj;
    try {
      JsonReader reader = new JsonReader(new StringReader(trimmed));
      reader.setLenient(false);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        return malformed(trimmed, "not a JSON object");
      }
      obj = ELEMENT.read(reader).getAsJsonObject();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        return malformed(trimmed, "not JSON: text after the object");
      }
    } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
      return malformed(trimmed, "not JSON: " + StreamMessage.firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      return malformed(trimmed, "JSON nested too deeply");
    }
    JsonObject data = object(obj, "data");
    if (data != null) {
      if (string(data, "id") == null || string(data, "text") == null) {
        return new V2Message(Kind.UNKNOWN, trimmed, obj, "data without an id and a text");
      }
      return new V2Message(Kind.POST, trimmed, obj, null);
    }
    if (obj.get("errors") instanceof JsonArray) {
      return new V2Message(Kind.ERROR, trimmed, obj, null);
    }
    return new V2Message(Kind.UNKNOWN, trimmed, obj, "neither data nor errors");
  }

  private static V2Message malformed(String raw, String problem) {
    return new V2Message(Kind.MALFORMED, raw, null, problem);
  }

  public Kind kind() {
    return kind;
  }

  /** The line, trimmed. */
  public String raw() {
    return raw;
  }

  /** Why the line is malformed or unknown; null otherwise. */
  public String problem() {
    return problem;
  }

  /** The post's id; null unless {@link Kind#POST}. */
  public String postId() {
    return kind == Kind.POST ? string(object(json, "data"), "id") : null;
  }

  /**
   * The rules X says the post matched, in order, each {@code [id, tag]} (either may be null when
   * missing); a malformed entry is skipped.
   */
  public List<String[]> matchingRules() {
    if (kind != Kind.POST || !(json.get("matching_rules") instanceof JsonArray)) {
      return Collections.emptyList();
    }
    List<String[]> rules = new ArrayList<>(2);
    for (JsonElement e : json.getAsJsonArray("matching_rules")) {
      if (e.isJsonObject()) {
        String id = string(e.getAsJsonObject(), "id");
        String tag = string(e.getAsJsonObject(), "tag");
        if (id != null || tag != null) {
          rules.add(new String[] {id, tag});
        }
      }
    }
    return rules;
  }

  /** The tags of the rules X says the post matched, in order; a rule without a tag is skipped. */
  public List<String> ruleTags() {
    if (kind != Kind.POST || !(json.get("matching_rules") instanceof JsonArray)) {
      return Collections.emptyList();
    }
    List<String> tags = new ArrayList<>(2);
    for (JsonElement e : json.getAsJsonArray("matching_rules")) {
      String tag = e.isJsonObject() ? string(e.getAsJsonObject(), "tag") : null;
      if (tag != null) {
        tags.add(tag);
      }
    }
    return tags;
  }

  /**
   * For an error object, its errors as one line: "operational-disconnect (...detail...)", ...;
   * empty otherwise.
   */
  public String errors() {
    if (kind != Kind.ERROR) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonElement e : json.getAsJsonArray("errors")) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      if (!e.isJsonObject()) {
        sb.append(Printable.firstLine(e.toString()));
        continue;
      }
      JsonObject o = e.getAsJsonObject();
      String title = string(o, "title");
      String detail = string(o, "detail");
      String type = string(o, "disconnect_type");
      sb.append(title != null ? title : "error");
      if (type != null) {
        sb.append(" [").append(type).append(']');
      }
      if (detail != null) {
        sb.append(": ").append(detail);
      }
    }
    return Printable.firstLine(sb.toString());
  }

  /**
   * The post as a {@link Status} for track matching: the text (a long post's full {@code
   * note_tweet} text), its hashtags, cashtags, mentions and expanded URLs, and the same of each
   * referenced post found in {@code includes.tweets} (a retweet's original, a quoted post), as deep
   * as {@link Status} looks.
   */
  public Status status() {
    if (kind != Kind.POST) {
      throw new IllegalStateException("a " + kind + " line is not a post");
    }
    Map<String, JsonObject> included = new HashMap<>();
    JsonObject includes = object(json, "includes");
    if (includes != null && includes.get("tweets") instanceof JsonArray) {
      for (JsonElement e : includes.getAsJsonArray("tweets")) {
        if (e.isJsonObject() && string(e.getAsJsonObject(), "id") != null) {
          included.put(string(e.getAsJsonObject(), "id"), e.getAsJsonObject());
        }
      }
    }
    return new Status(asV1(object(json, "data"), included, 0));
  }

  /** The fields {@link Status} reads, under their v1.1 names. */
  private static JsonObject asV1(JsonObject post, Map<String, JsonObject> included, int depth) {
    JsonObject v1 = new JsonObject();
    v1.addProperty("id_str", string(post, "id"));
    JsonObject note = object(post, "note_tweet");
    String text = note != null && string(note, "text") != null ? string(note, "text") : null;
    v1.addProperty("text", text != null ? text : string(post, "text"));
    JsonObject entities = new JsonObject();
    addEntities(entities, object(post, "entities"));
    if (note != null) {
      addEntities(entities, object(note, "entities"));
    }
    v1.add("entities", entities);
    if (depth < Status.MAX_DEPTH && post.get("referenced_tweets") instanceof JsonArray) {
      for (JsonElement e : post.getAsJsonArray("referenced_tweets")) {
        if (!e.isJsonObject()) {
          continue;
        }
        String type = string(e.getAsJsonObject(), "type");
        JsonObject referenced = included.get(string(e.getAsJsonObject(), "id"));
        if (referenced == null) {
          continue;
        }
        if ("retweeted".equals(type)) {
          v1.add("retweeted_status", asV1(referenced, included, depth + 1));
        } else if ("quoted".equals(type)) {
          v1.add("quoted_status", asV1(referenced, included, depth + 1));
        }
      }
    }
    return v1;
  }

  private static void addEntities(JsonObject v1, JsonObject v2) {
    if (v2 == null) {
      return;
    }
    copy(v2, "hashtags", "tag", v1, "hashtags", "text");
    copy(v2, "cashtags", "tag", v1, "symbols", "text");
    copy(v2, "mentions", "username", v1, "user_mentions", "screen_name");
    copy(v2, "urls", "expanded_url", v1, "urls", "expanded_url");
  }

  private static void copy(
      JsonObject from, String list, String field, JsonObject to, String v1List, String v1Field) {
    if (!(from.get(list) instanceof JsonArray)) {
      return;
    }
    JsonArray target =
        to.get(v1List) instanceof JsonArray ? to.getAsJsonArray(v1List) : new JsonArray();
    for (JsonElement e : from.getAsJsonArray(list)) {
      String value = e.isJsonObject() ? string(e.getAsJsonObject(), field) : null;
      if (value != null) {
        JsonObject entity = new JsonObject();
        entity.addProperty(v1Field, value);
        target.add(entity);
      }
    }
    to.add(v1List, target);
  }

  private static JsonObject object(JsonObject o, String field) {
    JsonElement e = o == null ? null : o.get(field);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o == null ? null : o.get(field);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString()
        : null;
  }

  /** The kind and, where there is one, the problem. */
  @Override
  public String toString() {
    return problem == null ? kind.toString() : kind + " (" + problem + ")";
  }
}
