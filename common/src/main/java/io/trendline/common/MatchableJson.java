package io.trendline.common;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a stream message into a {@link JsonObject} that holds only what classification and track
 * matching read: the status's ids, texts, timestamp, entities, extended tweet and nested statuses
 * (as deep as {@link Status} looks), and notices whole. Everything else (the user object,
 * coordinates, counts...: most of a status's bytes) is checked for syntax and skipped without being
 * built, which is what made parsing the producer's most expensive step. {@link MessageScanner}
 * builds the same from the message's text, faster, for the messages it takes; this is the reader
 * for the rest, and its judgement on what is JSON is the one that counts.
 */
final class MatchableJson {
  enum Context {
    STATUS,
    EXTENDED,
    ENTITIES,
    ENTITY
  }

  static final Set<String> WHOLE =
      new HashSet<>(
          Arrays.asList(
              "id",
              "id_str",
              "text",
              "full_text",
              "timestamp_ms",
              "delete",
              "scrub_geo",
              "limit",
              "status_withheld",
              "user_withheld",
              "disconnect",
              "warning"));
  static final Set<String> ENTITY_LISTS =
      new HashSet<>(Arrays.asList("hashtags", "symbols", "user_mentions", "urls"));
  static final Set<String> ENTITY_FIELDS =
      new HashSet<>(Arrays.asList("text", "screen_name", "expanded_url"));

  private MatchableJson() {}

  /** Reads the object the reader is at (its next token is BEGIN_OBJECT). */
  static JsonObject readMessage(JsonReader reader) throws IOException {
    return object(reader, Context.STATUS, 0);
  }

  /**
   * Reads one value as it is, with the reader's own strictness ({@code JsonParser.parseReader}
   * would make the reader lenient while it reads).
   */
  private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

  private static JsonObject object(JsonReader reader, Context context, int depth)
      throws IOException {
    JsonObject obj = new JsonObject();
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      JsonElement value = field(reader, context, name, depth);
      if (value != null) {
        obj.add(name, value);
      }
    }
    reader.endObject();
    return obj;
  }

  /** The field's value as kept, or null when skipped. */
  private static JsonElement field(JsonReader reader, Context context, String name, int depth)
      throws IOException {
    switch (context) {
      case STATUS:
        if (WHOLE.contains(name)) {
          return ELEMENT.read(reader);
        }
        if (name.equals("entities")) {
          return nested(reader, Context.ENTITIES, depth);
        }
        if (name.equals("extended_tweet")) {
          return nested(reader, Context.EXTENDED, depth);
        }
        if ((name.equals("retweeted_status") || name.equals("quoted_status"))
            && depth < Status.MAX_DEPTH) {
          return nested(reader, Context.STATUS, depth + 1);
        }
        break;
      case EXTENDED:
        if (name.equals("full_text")) {
          return ELEMENT.read(reader);
        }
        if (name.equals("entities")) {
          return nested(reader, Context.ENTITIES, depth);
        }
        break;
      case ENTITIES:
        if (ENTITY_LISTS.contains(name)) {
          return list(reader, depth);
        }
        break;
      case ENTITY:
        if (ENTITY_FIELDS.contains(name)) {
          return ELEMENT.read(reader);
        }
        break;
      default:
        throw new AssertionError(context);
    }
    reader.skipValue();
    return null;
  }

  /**
   * An object read in {@code context}; any other value kept whole, as {@link Status} ignores it.
   */
  private static JsonElement nested(JsonReader reader, Context context, int depth)
      throws IOException {
    return reader.peek() == JsonToken.BEGIN_OBJECT
        ? object(reader, context, depth)
        : ELEMENT.read(reader);
  }

  private static JsonElement list(JsonReader reader, int depth) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_ARRAY) {
      return ELEMENT.read(reader);
    }
    JsonArray array = new JsonArray();
    reader.beginArray();
    while (reader.hasNext()) {
      array.add(nested(reader, Context.ENTITY, depth));
    }
    reader.endArray();
    return array;
  }
}
