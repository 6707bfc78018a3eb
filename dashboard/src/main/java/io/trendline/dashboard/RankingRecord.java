package io.trendline.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import io.trendline.common.Printable;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One ranking as the consumer writes it to its ranking topic ({@code sink.kafka.topic}), read back
 * and checked: {@code {"batchTime":ms,"windowMs":..,"slideMs":..,"top":[{"keyword":..,"count":..}
 * ...],"keys":..,"total":..,"invalidKeys":..,"processingMs":..[,"totals":{"top":[..],"keys":..,
 * "total":..}]}}. A record that is not one (not UTF-8, not JSON, a field missing or of the wrong
 * type, a negative count) is refused with a {@link Bad} saying why in one line. Immutable.
 */
final class RankingRecord {
  /** Keywords longer than this are refused (the producer's are at most 60 bytes). */
  static final int MAX_KEYWORD_CHARS = 500;

  /** Rows beyond this in one ranking are refused (the consumer's top.n is at most 1,000). */
  static final int MAX_ROWS = 1000;

  /** Why a record is not a ranking. */
  static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message);
    }
  }

  /** One row: a keyword and its count. */
  static final class Row {
    final String keyword;
    final long count;

    Row(String keyword, long count) {
      this.keyword = keyword;
      this.count = count;
    }

    @Override
    public String toString() {
      return keyword + "=" + count;
    }
  }

  final long batchTime;
  final long windowMs;
  final long slideMs;
  final List<Row> top;
  final long keys;
  final long total;
  final long invalidKeys;

  /** The previous batch's processing time, -1 when the consumer did not know it. */
  final long processingMs;

  /** The all-time top, or null when the consumer does not keep totals. */
  final List<Row> totals;

  final long totalsKeys;
  final long totalsRecords;

  private RankingRecord(
      long batchTime,
      long windowMs,
      long slideMs,
      List<Row> top,
      long keys,
      long total,
      long invalidKeys,
      long processingMs,
      List<Row> totals,
      long totalsKeys,
      long totalsRecords) {
    this.batchTime = batchTime;
    this.windowMs = windowMs;
    this.slideMs = slideMs;
    this.top = Collections.unmodifiableList(top);
    this.keys = keys;
    this.total = total;
    this.invalidKeys = invalidKeys;
    this.processingMs = processingMs;
    this.totals = totals == null ? null : Collections.unmodifiableList(totals);
    this.totalsKeys = totalsKeys;
    this.totalsRecords = totalsRecords;
  }

  /**
   * Reads a record's value.
   *
   * @param maxBytes larger values are refused before they are decoded
   */
  static RankingRecord parse(byte[] value, int maxBytes) throws Bad {
    if (value == null || value.length == 0) {
      throw new Bad("an empty record");
    }
    if (value.length > maxBytes) {
      throw new Bad("a record of " + value.length + " bytes (at most " + maxBytes + " are read)");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Bad("not UTF-8 text");
    }
    return parse(text);
  }

  /** Reads a ranking from its JSON text. */
  static RankingRecord parse(String text) throws Bad {
    JsonElement json;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      json = JsonParser.parseReader(reader);
      // Text after the value: the reader, strict again, refuses it.
      reader.peek();
    } catch (JsonParseException | java.io.IOException | StackOverflowError e) {
      throw new Bad("not JSON");
    }
    if (!json.isJsonObject()) {
      throw new Bad("not a JSON object");
    }
    JsonObject o = json.getAsJsonObject();
    long batchTime = number(o, "batchTime", 0, true);
    long windowMs = number(o, "windowMs", 1, true);
    long slideMs = number(o, "slideMs", 1, true);
    List<Row> top = rows(o, "top");
    long keys = number(o, "keys", 0, true);
    long total = number(o, "total", 0, true);
    long invalid = o.has("invalidKeys") ? number(o, "invalidKeys", 0, true) : 0;
    long processing = o.has("processingMs") ? number(o, "processingMs", -1, true) : -1;
    List<Row> totals = null;
    long totalsKeys = 0;
    long totalsRecords = 0;
    if (o.has("totals") && !o.get("totals").isJsonNull()) {
      if (!o.get("totals").isJsonObject()) {
        throw new Bad("field 'totals' is not an object");
      }
      JsonObject t = o.getAsJsonObject("totals");
      totals = rows(t, "top");
      totalsKeys = number(t, "keys", 0, true);
      totalsRecords = number(t, "total", 0, true);
    }
    return new RankingRecord(
        batchTime,
        windowMs,
        slideMs,
        top,
        keys,
        total,
        invalid,
        processing,
        totals,
        totalsKeys,
        totalsRecords);
  }

  private static long number(JsonObject o, String field, long min, boolean required) throws Bad {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw new Bad("field '" + field + "' is missing");
      }
      return min;
    }
    if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
      throw new Bad("field '" + field + "' is not a number");
    }
    if (e.getAsString().length() > 25) {
      // (Converting a number of a million digits would take seconds.)
      throw new Bad("field '" + field + "' is not a whole number in range");
    }
    long v;
    try {
      v = e.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException | NumberFormatException x) {
      throw new Bad("field '" + field + "' is not a whole number in range");
    }
    if (v < min) {
      throw new Bad("field '" + field + "' is " + v + " (at least " + min + " expected)");
    }
    return v;
  }

  private static List<Row> rows(JsonObject o, String field) throws Bad {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonArray()) {
      throw new Bad("field '" + field + "' is " + (e == null ? "missing" : "not an array"));
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() > MAX_ROWS) {
      throw new Bad("field '" + field + "' has " + a.size() + " rows (at most " + MAX_ROWS + ")");
    }
    List<Row> rows = new ArrayList<>(a.size());
    Set<String> seen = new HashSet<>();
    for (JsonElement r : a) {
      if (!r.isJsonObject()) {
        throw new Bad("a row of '" + field + "' is not an object");
      }
      JsonElement k = r.getAsJsonObject().get("keyword");
      if (k == null || !k.isJsonPrimitive() || !((JsonPrimitive) k).isString()) {
        throw new Bad("a row of '" + field + "' has no keyword string");
      }
      String keyword = k.getAsString();
      if (keyword.isEmpty() || keyword.length() > MAX_KEYWORD_CHARS) {
        throw new Bad(
            "a keyword of '"
                + field
                + "' is "
                + (keyword.isEmpty() ? "empty" : keyword.length() + " characters long"));
      }
      if (!seen.add(keyword)) {
        throw new Bad("keyword '" + Printable.keyword(keyword) + "' is twice in '" + field + "'");
      }
      rows.add(new Row(keyword, number(r.getAsJsonObject(), "count", 0, true)));
    }
    // Highest count first, then keyword: as the consumer ranks, whatever order the record has.
    rows.sort(
        (x, y) ->
            x.count != y.count ? Long.compare(y.count, x.count) : x.keyword.compareTo(y.keyword));
    return rows;
  }

  /** The rows as a JSON array of {@code {"keyword":..,"count":..}}. */
  static JsonArray toJson(List<Row> rows) {
    JsonArray a = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("keyword", r.keyword);
      o.addProperty("count", r.count);
      a.add(o);
    }
    return a;
  }

  /** The count of {@code keyword} in the top, or -1 when it is not there. */
  long countOf(String keyword) {
    for (Row r : top) {
      if (r.keyword.equals(keyword)) {
        return r.count;
      }
    }
    return -1;
  }
}
