package io.trendline.common;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import java.util.Arrays;

/**
 * The fast path of {@link StreamMessage#parse}: reads a message straight from its text into the
 * same pruned {@link JsonObject} that {@link MatchableJson} builds through Gson's reader, for the
 * messages the stream is made of. It takes only strict JSON (RFC 8259), and of that only what it is
 * sure Gson's strict reader takes the same way; anything else (an error of any kind, a notice,
 * whose fields are kept whole, an escape outside the standard ones, a keyword in capitals) makes it
 * give up, and {@link StreamMessage} reads the message with Gson, which accepts it or says what is
 * wrong. So it never changes what is accepted or what is built, only how fast.
 *
 * <p>Skipped values (most of a status: the user object, coordinates, counts) are checked for syntax
 * without building anything, and strings are skipped with {@link String#indexOf(int, int)}, which
 * the JVM runs over many characters at a time; in a profile of the producer Gson's reader was a
 * third of the pipeline thread's time, most of it in values this scanner skips.
 */
final class MessageScanner {
  /** Input this scanner does not take: the caller reads the message with Gson instead. */
  private static final class GiveUp extends Exception {
    private static final long serialVersionUID = 1L;
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private final String s;
  private final int end;
  private int pos;

  /** The first backslash at or after {@link #pos}'s last check; -1 before the first check. */
  private int backslash = -1;

  /** The kinds of the containers open while skipping a value: true for an object. */
  private boolean[] open = new boolean[16];

  private MessageScanner(String s) {
    this.s = s;
    this.end = s.length();
  }

  /**
   * The message read as {@link MatchableJson#readMessage} would read it, or null when this scanner
   * does not take it (see the class comment): then Gson must read it.
   *
   * @param text a message trimmed of surrounding white space
   */
  static JsonObject read(String text) {
    MessageScanner in = new MessageScanner(text);
    try {
      if (in.peek() != '{') {
        return null;
      }
      JsonObject message = in.object(MatchableJson.Context.STATUS, 0);
      in.whitespace();
      return in.pos == in.end ? message : null;
    } catch (GiveUp e) {
      return null;
    }
  }

  // The traversal: MatchableJson's, with this scanner in place of Gson's reader.

  private JsonObject object(MatchableJson.Context context, int depth) throws GiveUp {
    expect('{');
    JsonObject obj = new JsonObject();
    if (peek() == '}') {
      pos++;
      return obj;
    }
    String[] known = KNOWN[context.ordinal()];
    while (true) {
      String name = name(known);
      JsonElement value = name == null ? skip() : field(context, name, depth);
      if (value != null) {
        obj.add(name, value);
      }
      char c = peek();
      pos++;
      if (c == '}') {
        return obj;
      }
      if (c != ',') {
        throw GiveUp.INSTANCE;
      }
    }
  }

  private JsonElement field(MatchableJson.Context context, String name, int depth) throws GiveUp {
    switch (context) {
      case STATUS:
        if (MatchableJson.WHOLE.contains(name)) {
          return scalar();
        }
        if (name.equals("entities")) {
          return nested(MatchableJson.Context.ENTITIES, depth);
        }
        if (name.equals("extended_tweet")) {
          return nested(MatchableJson.Context.EXTENDED, depth);
        }
        if ((name.equals("retweeted_status") || name.equals("quoted_status"))
            && depth < Status.MAX_DEPTH) {
          return nested(MatchableJson.Context.STATUS, depth + 1);
        }
        break;
      case EXTENDED:
        if (name.equals("full_text")) {
          return scalar();
        }
        if (name.equals("entities")) {
          return nested(MatchableJson.Context.ENTITIES, depth);
        }
        break;
      case ENTITIES:
        if (MatchableJson.ENTITY_LISTS.contains(name)) {
          return list(depth);
        }
        break;
      case ENTITY:
        if (MatchableJson.ENTITY_FIELDS.contains(name)) {
          return scalar();
        }
        break;
      default:
        throw new AssertionError(context);
    }
    skipValue();
    return null;
  }

  private JsonElement nested(MatchableJson.Context context, int depth) throws GiveUp {
    return peek() == '{' ? object(context, depth) : scalar();
  }

  private JsonElement list(int depth) throws GiveUp {
    if (peek() != '[') {
      return scalar();
    }
    pos++;
    JsonArray array = new JsonArray();
    if (peek() == ']') {
      pos++;
      return array;
    }
    while (true) {
      array.add(nested(MatchableJson.Context.ENTITY, depth));
      char c = peek();
      pos++;
      if (c == ']') {
        return array;
      }
      if (c != ',') {
        throw GiveUp.INSTANCE;
      }
    }
  }

  /**
   * A string, number, boolean or null, as Gson's {@code JsonElement} adapter reads it; an object or
   * array kept whole (a notice) is left to Gson.
   */
  private JsonElement scalar() throws GiveUp {
    char c = peek();
    if (c == '"') {
      return new JsonPrimitive(string());
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      int start = pos;
      number();
      return new JsonPrimitive(new LazilyParsedNumber(s.substring(start, pos)));
    }
    if (literal("true")) {
      return new JsonPrimitive(true);
    }
    if (literal("false")) {
      return new JsonPrimitive(false);
    }
    if (literal("null")) {
      return JsonNull.INSTANCE;
    }
    throw GiveUp.INSTANCE;
  }

  // The tokens.

  /** Skips white space (JSON's four characters) and returns the next character. */
  private char peek() throws GiveUp {
    whitespace();
    if (pos >= end) {
      throw GiveUp.INSTANCE;
    }
    return s.charAt(pos);
  }

  private void whitespace() {
    while (pos < end) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c) throws GiveUp {
    if (peek() != c) {
      throw GiveUp.INSTANCE;
    }
    pos++;
  }

  /**
   * A member's name and its colon: the one of {@code known} it is, or null for any other (whose
   * value is skipped), without making a string of it.
   */
  private String name(String[] known) throws GiveUp {
    if (peek() != '"') {
      throw GiveUp.INSTANCE;
    }
    int start = pos + 1;
    int quote = closingQuote(start);
    String name = null;
    if (nextBackslash(start) > quote) {
      int length = quote - start;
      for (String k : known) {
        if (k.length() == length && s.regionMatches(start, k, 0, length)) {
          name = k;
          break;
        }
      }
      pos = quote + 1;
    } else {
      String decoded = string();
      for (String k : known) {
        if (k.equals(decoded)) {
          name = k;
          break;
        }
      }
    }
    expect(':');
    return name;
  }

  /** What each context reads, by {@link MatchableJson.Context#ordinal()}: all else is skipped. */
  private static final String[][] KNOWN = new String[MatchableJson.Context.values().length][];

  static {
    java.util.Set<String> status = new java.util.LinkedHashSet<>(MatchableJson.WHOLE);
    status.addAll(Arrays.asList("entities", "extended_tweet", "retweeted_status", "quoted_status"));
    KNOWN[MatchableJson.Context.STATUS.ordinal()] = status.toArray(new String[0]);
    KNOWN[MatchableJson.Context.EXTENDED.ordinal()] = new String[] {"full_text", "entities"};
    KNOWN[MatchableJson.Context.ENTITIES.ordinal()] =
        MatchableJson.ENTITY_LISTS.toArray(new String[0]);
    KNOWN[MatchableJson.Context.ENTITY.ordinal()] =
        MatchableJson.ENTITY_FIELDS.toArray(new String[0]);
  }

  /** Skips a value, for the caller to add nothing. */
  private JsonElement skip() throws GiveUp {
    skipValue();
    return null;
  }

  /** The string at {@link #pos} (its opening quote), decoded. */
  private String string() throws GiveUp {
    int start = ++pos;
    int quote = closingQuote(start);
    if (nextBackslash(start) > quote) {
      pos = quote + 1;
      return s.substring(start, quote);
    }
    StringBuilder out = new StringBuilder(quote - start + 16);
    while (true) {
      int b = nextBackslash(pos);
      int q = closingQuote(pos);
      if (b > q) {
        out.append(s, pos, q);
        pos = q + 1;
        return out.toString();
      }
      out.append(s, pos, b);
      pos = b + 1;
      out.append(escape());
    }
  }

  /** Skips the string at {@link #pos} (its opening quote), checking its escapes. */
  private void skipString() throws GiveUp {
    pos++;
    while (true) {
      int q = closingQuote(pos);
      int b = nextBackslash(pos);
      if (b > q) {
        pos = q + 1;
        return;
      }
      pos = b + 1;
      escape();
    }
  }

  /** The first quote at or after {@code from}; one escaped by a backslash is found too. */
  private int closingQuote(int from) throws GiveUp {
    int q = s.indexOf('"', from);
    if (q < 0) {
      throw GiveUp.INSTANCE;
    }
    return q;
  }

  private int nextBackslash(int from) {
    if (backslash < from && backslash != Integer.MAX_VALUE) {
      backslash = s.indexOf('\\', from);
      if (backslash < 0) {
        backslash = Integer.MAX_VALUE;
      }
    }
    return backslash;
  }

  /** The character of the escape after a backslash (JSON's eight and {@code \\uXXXX}). */
  private char escape() throws GiveUp {
    if (pos >= end) {
      throw GiveUp.INSTANCE;
    }
    char c = s.charAt(pos++);
    switch (c) {
      case '"':
      case '\\':
      case '/':
        return c;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        if (pos + 4 > end) {
          throw GiveUp.INSTANCE;
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
          value = value << 4 | hex(s.charAt(pos++));
        }
        return (char) value;
      default:
        throw GiveUp.INSTANCE;
    }
  }

  private static int hex(char c) throws GiveUp {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw GiveUp.INSTANCE;
  }

  /** A number as RFC 8259 writes it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  private void number() throws GiveUp {
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos < end && s.charAt(pos) == '0') {
      pos++;
    } else {
      digits();
    }
    if (pos < end && s.charAt(pos) == '.') {
      pos++;
      digits();
    }
    if (pos < end && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < end && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
  }

  /** One or more digits. */
  private void digits() throws GiveUp {
    int start = pos;
    while (pos < end && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw GiveUp.INSTANCE;
    }
  }

  private boolean literal(String word) {
    if (s.startsWith(word, pos)) {
      pos += word.length();
      return true;
    }
    return false;
  }

  /** Skips one value of any kind, checking its syntax, without recursion. */
  private void skipValue() throws GiveUp {
    int depth = 0;
    while (true) {
      char c = peek();
      if (c == '{' || c == '[') {
        pos++;
        boolean isObject = c == '{';
        if (peek() == (isObject ? '}' : ']')) {
          pos++;
        } else {
          if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
          }
          open[depth++] = isObject;
          if (isObject) {
            skipName();
          }
          continue;
        }
      } else if (c == '"') {
        skipString();
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        number();
      } else if (!(literal("true") || literal("false") || literal("null"))) {
        throw GiveUp.INSTANCE;
      }
      // A value ended: close what it ends, or go on to the next element or member.
      while (true) {
        if (depth == 0) {
          return;
        }
        char d = peek();
        pos++;
        boolean isObject = open[depth - 1];
        if (d == ',') {
          if (isObject) {
            skipName();
          }
          break;
        }
        if (d != (isObject ? '}' : ']')) {
          throw GiveUp.INSTANCE;
        }
        depth--;
      }
    }
  }

  private void skipName() throws GiveUp {
    if (peek() != '"') {
      throw GiveUp.INSTANCE;
    }
    skipString();
    expect(':');
  }
}
