package io.trendline.common;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
  /** Where in a message a field is: what it is read as depends on it. */
  enum Context {
    STATUS,
    EXTENDED,
    ENTITIES,
    ENTITY
  }

  /** How a field that classification or matching reads is read; any other field is skipped. */
  enum Read {
    /** The value kept as it is. */
    WHOLE(null, 0),
    /** An array of entities (any other value kept whole). */
    LIST(null, 0),
    /**
     * A nested (retweeted or quoted) status, one level deeper; skipped past {@link
     * Status#MAX_DEPTH}.
     */
    STATUS(Context.STATUS, 1),
    /** An extended tweet. */
    EXTENDED(Context.EXTENDED, 0),
    /** An entities object. */
    ENTITIES(Context.ENTITIES, 0);

    /** The context of an object read this way (any other value kept whole). */
    final Context nested;

    /** How much deeper in nested statuses the object is. */
    final int deeper;

    Read(Context nested, int deeper) {
      this.nested = nested;
      this.deeper = deeper;
    }
  }

  /** The fields each context reads, in a stable order, and how. */
  static final Map<Context, Map<String, Read>> FIELDS = new EnumMap<>(Context.class);

  static {
    Map<String, Read> status = new LinkedHashMap<>();
    for (String whole :
        new String[] {
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
          "warning"
        }) {
      status.put(whole, Read.WHOLE);
    }
    status.put("entities", Read.ENTITIES);
    status.put("extended_tweet", Read.EXTENDED);
    status.put("retweeted_status", Read.STATUS);
    status.put("quoted_status", Read.STATUS);
    FIELDS.put(Context.STATUS, status);
    Map<String, Read> extended = new LinkedHashMap<>();
    extended.put("full_text", Read.WHOLE);
    extended.put("entities", Read.ENTITIES);
    FIELDS.put(Context.EXTENDED, extended);
    Map<String, Read> entities = new LinkedHashMap<>();
    for (String list : new String[] {"hashtags", "symbols", "user_mentions", "urls"}) {
      entities.put(list, Read.LIST);
    }
    FIELDS.put(Context.ENTITIES, entities);
    Map<String, Read> entity = new LinkedHashMap<>();
    for (String field : new String[] {"text", "screen_name", "expanded_url"}) {
      entity.put(field, Read.WHOLE);
    }
    FIELDS.put(Context.ENTITY, entity);
  }

  /**
   * How a field read as {@code read} (from {@link #FIELDS}, null for none) is read at {@code depth}
   * of nested statuses: null when it is skipped.
   */
  static Read at(Read read, int depth) {
    return read == Read.STATUS && depth >= Status.MAX_DEPTH ? null : read;
  }

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
    Read read = at(FIELDS.get(context).get(name), depth);
    if (read == null) {
      reader.skipValue();
      return null;
    }
    switch (read) {
      case WHOLE:
        return ELEMENT.read(reader);
      case LIST:
        return list(reader, depth);
      default:
        return nested(reader, read.nested, depth + read.deeper);
    }
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
