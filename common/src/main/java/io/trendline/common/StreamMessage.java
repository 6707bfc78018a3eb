package io.trendline.common;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message of a {@code statuses/filter} stream, classified. Besides statuses the stream carries
 * notices ({@code delete}, {@code scrub_geo}, {@code limit}, {@code status_withheld}, {@code
 * user_withheld}, {@code disconnect}, {@code warning}); anything else that is a JSON object is
 * {@link Kind#UNKNOWN}, and anything that is not (or is larger than the parser's bound) is {@link
 * Kind#MALFORMED}. Immutable.
 */
public final class StreamMessage {
  /** What a message is. */
  public enum Kind {
    STATUS,
    DELETE,
    SCRUB_GEO,
    LIMIT,
    STATUS_WITHHELD,
    USER_WITHHELD,
    DISCONNECT,
    WARNING,
    /** A JSON object of no known kind: counted and skipped. */
    UNKNOWN,
    /** Not a JSON object, or too large: counted and skipped. */
    MALFORMED;
  }

  /** Largest message accepted, in UTF-8 bytes; real statuses stay far below (about 10 KiB). */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private static final String[] NOTICE_FIELDS = {
    "delete", "scrub_geo", "limit", "status_withheld", "user_withheld", "disconnect", "warning"
  };
  private static final Kind[] NOTICE_KINDS = {
    Kind.DELETE,
    Kind.SCRUB_GEO,
    Kind.LIMIT,
    Kind.STATUS_WITHHELD,
    Kind.USER_WITHHELD,
    Kind.DISCONNECT,
    Kind.WARNING
  };

  private final Kind kind;
  private final JsonObject json;
  private final String problem;

  /** The bytes read, when the message was read from well-formed UTF-8; else null. */
  private final byte[] utf8;

  private final int start;
  private final int end;

  /** The text, trimmed; decoded from {@link #utf8} when first asked for. */
  private String raw;

  private StreamMessage(Kind kind, String raw, JsonObject json, String problem) {
    this.kind = kind;
    this.raw = raw;
    this.json = json;
    this.problem = problem;
    this.utf8 = null;
    this.start = 0;
    this.end = 0;
  }

  private StreamMessage(
      Kind kind, byte[] utf8, int start, int end, JsonObject json, String problem) {
    this.kind = kind;
    this.json = json;
    this.problem = problem;
    this.utf8 = utf8;
    this.start = start;
    this.end = end;
  }

  /** Parses with {@link #DEFAULT_MAX_BYTES} as the bound. */
  public static StreamMessage parse(String raw) {
    return parse(raw, DEFAULT_MAX_BYTES);
  }

  /**
   * Classifies one message. Never throws: what cannot be parsed is {@link Kind#MALFORMED} with
   * {@link #problem()} saying why. Surrounding white space (the stream's {@code \r\n}) is ignored.
   */
  public static StreamMessage parse(String raw, int maxBytes) {
    if (raw == null) {
      return malformed("", "null message");
    }
    if (largerThan(raw, maxBytes)) {
      return malformed(raw, "message larger than " + maxBytes + " bytes");
    }
    String trimmed = raw.trim();
    if (trimmed.isEmpty()) {
      return malformed(raw, "empty message");
    }
    StreamMessage read = readWithGson(trimmed);
    return read.kind == Kind.MALFORMED ? read : classify(trimmed, null, 0, 0, read.json);
  }

  /**
   * Classifies one message given as the UTF-8 bytes the stream sent, as {@link #parse(String, int)}
   * classifies their decoded text, with the same result in every case; faster, as the bytes are
   * read by {@link MessageScanner} and only the strings kept are decoded, and the message's text
   * ({@link #raw()}) is decoded only if asked for. {@link #utf8()} then gives the bytes without
   * copying them.
   */
  public static StreamMessage parse(byte[] utf8, int maxBytes) {
    if (utf8 != null && utf8.length <= maxBytes) {
      int start = trimStart(utf8);
      int end = trimEnd(utf8, start);
      JsonObject obj = start == end ? null : MessageScanner.read(utf8, start, end);
      if (obj != null) {
        // Read, so well-formed UTF-8 and no larger than maxBytes once decoded either.
        return classify(null, utf8, start, end, obj);
      }
    }
    return parse(utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8), maxBytes);
  }

  /**
   * The message read by Gson's reader: {@link Kind#MALFORMED} with the reason, or a message of no
   * kind yet holding the object.
   */
  private static StreamMessage readWithGson(String trimmed) {
    JsonObject obj;
    try {
      JsonReader reader = new JsonReader(new StringReader(trimmed));
      // Strict: single quotes, unquoted names or values, NaN, leading zeros, trailing commas and
      // the like are not JSON, whatever a lenient reader would make of them.
      reader.setLenient(false);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        return notAnObject(trimmed);
      }
      obj = MatchableJson.readMessage(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        return malformed(trimmed, "not JSON: text after the object");
      }
    } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
      return malformed(trimmed, "not JSON: " + firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      return malformed(trimmed, "JSON nested too deeply");
    }
    return new StreamMessage(Kind.UNKNOWN, trimmed, obj, null);
  }

  /** A message read whole: its text, or its UTF-8 bytes ({@code [start, end)} of them). */
  private static StreamMessage classify(
      String trimmed, byte[] utf8, int start, int end, JsonObject obj) {
    Kind kind = Kind.UNKNOWN;
    if (isStatus(obj)) {
      kind = Kind.STATUS;
    } else {
      for (int i = 0; i < NOTICE_FIELDS.length; i++) {
        if (obj.has(NOTICE_FIELDS[i])) {
          kind = NOTICE_KINDS[i];
          break;
        }
      }
    }
    String problem = kind == Kind.UNKNOWN ? "no known message field" : null;
    return utf8 == null
        ? new StreamMessage(kind, trimmed, obj, problem)
        : new StreamMessage(kind, utf8, start, end, obj, problem);
  }

  /**
   * UTF-8 bytes without surrounding white space, as {@link String#trim()} would leave their text:
   * the array itself when there is none.
   */
  public static byte[] trimmed(byte[] utf8) {
    int start = trimStart(utf8);
    return slice(utf8, start, trimEnd(utf8, start));
  }

  /** Bytes {@code [start, end)}: the array itself when that is all of it. */
  private static byte[] slice(byte[] bytes, int start, int end) {
    return start == 0 && end == bytes.length ? bytes : Arrays.copyOfRange(bytes, start, end);
  }

  // String.trim() removes the characters up to U+0020: in UTF-8, the bytes up to 0x20.

  private static int trimStart(byte[] utf8) {
    int start = 0;
    while (start < utf8.length && (utf8[start] & 0xff) <= ' ') {
      start++;
    }
    return start;
  }

  private static int trimEnd(byte[] utf8, int start) {
    int end = utf8.length;
    while (end > start && (utf8[end - 1] & 0xff) <= ' ') {
      end--;
    }
    return end;
  }

  /** Valid JSON that is not an object, or not JSON at all. */
  private static StreamMessage notAnObject(String trimmed) {
    try {
      JsonParser.parseString(trimmed);
    } catch (JsonParseException | IllegalStateException e) {
      return malformed(trimmed, "not JSON: " + firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      return malformed(trimmed, "JSON nested too deeply");
    }
    return malformed(trimmed, "not a JSON object");
  }

  private static boolean isStatus(JsonObject obj) {
    return (obj.has("id_str") || obj.has("id")) && (obj.has("text") || obj.has("full_text"));
  }

  private static StreamMessage malformed(String raw, String problem) {
    return new StreamMessage(Kind.MALFORMED, raw, null, problem);
  }

  /** Whether {@code raw} takes more than {@code maxBytes} UTF-8 bytes. */
  static boolean largerThan(String raw, int maxBytes) {
    // A char is at most 3 UTF-8 bytes: only count bytes when the string could be too long.
    return raw.length() > maxBytes / 3 && raw.getBytes(StandardCharsets.UTF_8).length > maxBytes;
  }

  /** A parser's message as one line for a log reader. */
  static String firstLine(String s) {
    if (s == null) {
      return "unparseable";
    }
    // Gson's advice to its caller is no explanation for a log reader.
    return Printable.firstLine(s)
        .replace("Use JsonReader.setLenient(true) to accept malformed JSON", "malformed JSON");
  }

  public Kind kind() {
    return kind;
  }

  public boolean isStatus() {
    return kind == Kind.STATUS;
  }

  /** The message text, trimmed of the stream's line ending. */
  public String raw() {
    String r = raw;
    if (r == null) {
      // (Racy but safe: any thread decodes the same immutable string.)
      r = new String(utf8, start, end - start, StandardCharsets.UTF_8);
      raw = r;
    }
    return r;
  }

  /**
   * The message as UTF-8, trimmed: the bytes received when it was parsed from well-formed UTF-8
   * ({@link #parse(byte[], int)}; the array itself when there was nothing to trim), else the
   * encoding of {@link #raw()} (so bytes that were not UTF-8 come out as the text that was parsed,
   * with U+FFFD in their place).
   */
  public byte[] utf8() {
    if (utf8 == null) {
      return raw().getBytes(StandardCharsets.UTF_8);
    }
    return slice(utf8, start, end);
  }

  /**
   * The parsed object, with the fields classification and track matching read (ids, texts,
   * timestamp, entities, nested statuses, notices); the rest of the message is in {@link #raw()}.
   * Null only when {@link Kind#MALFORMED}.
   */
  public JsonObject json() {
    return json;
  }

  /** Why the message is malformed or unknown; null otherwise. */
  public String problem() {
    return problem;
  }

  /** This status, for matching. */
  public Status status() {
    if (kind != Kind.STATUS) {
      throw new IllegalStateException("a " + kind + " message is not a status");
    }
    return new Status(json);
  }

  /**
   * For a {@code limit} notice, how many matching statuses the service did not deliver since the
   * connection opened (its {@code track} field); -1 for other messages or a bad field.
   */
  public long limitUndelivered() {
    if (kind != Kind.LIMIT) {
      return -1;
    }
    JsonElement limit = json.get("limit");
    if (limit == null || !limit.isJsonObject()) {
      return -1;
    }
    JsonElement track = limit.getAsJsonObject().get("track");
    if (track == null || !track.isJsonPrimitive()) {
      return -1;
    }
    JsonPrimitive p = track.getAsJsonPrimitive();
    try {
      return p.isNumber() || p.isString() ? Long.parseLong(p.getAsString()) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A short description for logs: the kind and, where there is one, the problem. */
  @Override
  public String toString() {
    return problem == null ? kind.toString() : kind + " (" + problem + ")";
  }
}
