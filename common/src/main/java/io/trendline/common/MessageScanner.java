package io.trendline.common;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The fast path of {@link StreamMessage#parse(byte[], int)}: reads a message straight from the
 * UTF-8 bytes the stream sent into the same pruned {@link JsonObject} that {@link MatchableJson}
 * builds through Gson's reader from the decoded text, for the messages the stream is made of. It
 * takes only strict JSON (RFC 8259) in well-formed UTF-8, and of that only what it is sure Gson's
 * strict reader takes the same way; anything else (an error of any kind, bytes that are not UTF-8,
 * a notice, whose fields are kept whole, an escape outside the standard ones, a keyword in
 * capitals) makes it give up, and {@link StreamMessage} decodes the message and reads it with Gson,
 * which accepts it or says what is wrong. So it never changes what is accepted or what is built,
 * only how fast.
 *
 * <p>Only the strings it keeps are decoded (the texts, ids, entities: a tenth of a status's bytes);
 * the rest (the user object, coordinates, counts) is checked for syntax and UTF-8 without building
 * anything. In a profile of the producer, decoding whole messages and Gson's reader took over half
 * of the pipeline thread's time.
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

  private final byte[] b;
  private final int end;
  private int pos;

  /** The kinds of the containers open while skipping a value: true for an object. */
  private boolean[] open = new boolean[16];

  private MessageScanner(byte[] b, int start, int end) {
    this.b = b;
    this.pos = start;
    this.end = end;
  }

  /**
   * The message read as {@link MatchableJson#readMessage} would read its decoded text, or null when
   * this scanner does not take it (see the class comment): then Gson must read it.
   *
   * @param utf8 the message's bytes; {@code [start, end)} is the message without surrounding white
   *     space
   */
  static JsonObject read(byte[] utf8, int start, int end) {
    MessageScanner in = new MessageScanner(utf8, start, end);
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
    int c = context.ordinal();
    while (true) {
      int k = name(c);
      MatchableJson.Read read = k < 0 ? null : MatchableJson.at(READS[c][k], depth);
      if (read == null) {
        skipValue();
      } else {
        obj.add(NAMES[c][k], field(read, depth));
      }
      byte next = peek();
      pos++;
      if (next == '}') {
        return obj;
      }
      if (next != ',') {
        throw GiveUp.INSTANCE;
      }
    }
  }

  /** A field's value, read as MatchableJson reads it. */
  private JsonElement field(MatchableJson.Read read, int depth) throws GiveUp {
    switch (read) {
      case WHOLE:
        return scalar();
      case LIST:
        return list(depth);
      default:
        return nested(read.nested, depth + read.deeper);
    }
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
      byte c = peek();
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
    byte c = peek();
    if (c == '"') {
      return new JsonPrimitive(string());
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      int start = pos;
      number();
      return new JsonPrimitive(
          new LazilyParsedNumber(new String(b, start, pos - start, StandardCharsets.US_ASCII)));
    }
    if (literal(TRUE)) {
      return new JsonPrimitive(true);
    }
    if (literal(FALSE)) {
      return new JsonPrimitive(false);
    }
    if (literal(NULL)) {
      return JsonNull.INSTANCE;
    }
    throw GiveUp.INSTANCE;
  }

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // The tokens.

  /** Skips white space (JSON's four characters) and returns the next byte. */
  private byte peek() throws GiveUp {
    whitespace();
    if (pos >= end) {
      throw GiveUp.INSTANCE;
    }
    return b[pos];
  }

  private void whitespace() {
    while (pos < end) {
      byte c = b[pos];
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
   * A member's name and its colon: the index in {@link #NAMES} of the one it is, or -1 for any
   * other (whose value is skipped), without making a string of it.
   */
  private int name(int context) throws GiveUp {
    if (peek() != '"') {
      throw GiveUp.INSTANCE;
    }
    int start = pos + 1;
    int stop = plainEnd(start);
    int found = -1;
    if (b[stop] == '"') {
      byte[][] known = KNOWN[context];
      for (int k = 0; k < known.length; k++) {
        if (known[k].length == stop - start && sameBytes(known[k], start)) {
          found = k;
          break;
        }
      }
      pos = stop + 1;
    } else {
      found = Arrays.asList(NAMES[context]).indexOf(string());
    }
    expect(':');
    return found;
  }

  /** {@link MatchableJson#FIELDS} by context ordinal: the names, in ASCII, and how each is read. */
  private static final String[][] NAMES = new String[MatchableJson.Context.values().length][];

  private static final byte[][][] KNOWN = new byte[NAMES.length][][];
  private static final MatchableJson.Read[][] READS = new MatchableJson.Read[NAMES.length][];

  static {
    for (MatchableJson.Context context : MatchableJson.Context.values()) {
      Map<String, MatchableJson.Read> fields = MatchableJson.FIELDS.get(context);
      int c = context.ordinal();
      NAMES[c] = fields.keySet().toArray(new String[0]);
      READS[c] = fields.values().toArray(new MatchableJson.Read[0]);
      KNOWN[c] = new byte[NAMES[c].length][];
      for (int k = 0; k < NAMES[c].length; k++) {
        KNOWN[c][k] = ascii(NAMES[c][k]);
      }
    }
  }

  private boolean sameBytes(byte[] name, int at) {
    for (int i = 0; i < name.length; i++) {
      if (b[at + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the plain part of a string starting at {@code from} ends: the index of its closing quote,
   * or of the first backslash or non-ASCII byte, which {@link #string} and {@link #skipString}
   * handle.
   */
  private int plainEnd(int from) throws GiveUp {
    for (int i = from; i < end; i++) {
      byte c = b[i];
      if (c == '"' || c == '\\' || c < 0) {
        return i;
      }
    }
    throw GiveUp.INSTANCE;
  }

  /** The string at {@link #pos} (its opening quote), decoded. */
  private String string() throws GiveUp {
    int start = ++pos;
    int stop = plainEnd(start);
    if (b[stop] == '"') {
      pos = stop + 1;
      return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
    }
    // Escapes or non-ASCII: decode what is between escapes as UTF-8 once it is known well-formed.
    StringBuilder out = new StringBuilder(stop - start + 16);
    int run = start;
    pos = stop;
    while (true) {
      byte c = b[pos];
      if (c == '"') {
        out.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        return out.toString();
      }
      if (c == '\\') {
        out.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        out.append(escape());
        run = pos;
      } else if (c < 0) {
        utf8Sequence();
      } else {
        pos++;
      }
      if (pos >= end) {
        throw GiveUp.INSTANCE;
      }
    }
  }

  /** Skips the string at {@link #pos} (its opening quote), checking its escapes and UTF-8. */
  private void skipString() throws GiveUp {
    pos++;
    while (true) {
      pos = plainEnd(pos);
      byte c = b[pos];
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\') {
        pos++;
        escape();
      } else {
        utf8Sequence();
      }
    }
  }

  /**
   * Steps over one well-formed UTF-8 sequence of two to four bytes at {@link #pos} (RFC 3629: no
   * overlong forms, no surrogates, nothing past U+10FFFF: what Java's decoder takes without
   * replacing), or gives up.
   */
  private void utf8Sequence() throws GiveUp {
    int lead = b[pos] & 0xff;
    int length;
    int min = 0x80;
    int max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) {
        min = 0xa0;
      } else if (lead == 0xed) {
        max = 0x9f;
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) {
        min = 0x90;
      } else if (lead == 0xf4) {
        max = 0x8f;
      }
    } else {
      throw GiveUp.INSTANCE;
    }
    if (pos + length > end) {
      throw GiveUp.INSTANCE;
    }
    int second = b[pos + 1] & 0xff;
    if (second < min || second > max) {
      throw GiveUp.INSTANCE;
    }
    for (int i = 2; i < length; i++) {
      int next = b[pos + i] & 0xff;
      if (next < 0x80 || next > 0xbf) {
        throw GiveUp.INSTANCE;
      }
    }
    pos += length;
  }

  /** The character of the escape after a backslash (JSON's eight and {@code \\uXXXX}). */
  private char escape() throws GiveUp {
    if (pos >= end) {
      throw GiveUp.INSTANCE;
    }
    char c = (char) b[pos++];
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
          value = value << 4 | hex(b[pos++]);
        }
        return (char) value;
      default:
        throw GiveUp.INSTANCE;
    }
  }

  private static int hex(byte c) throws GiveUp {
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

  /**
   * A number as RFC 8259 writes it: {@code -?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?}, of at
   * most {@link #MAX_NUMBER} characters: Gson's reader refuses one that does not fit its buffer.
   */
  private void number() throws GiveUp {
    int start = pos;
    numberSyntax();
    if (pos - start > MAX_NUMBER) {
      throw GiveUp.INSTANCE;
    }
  }

  /** Well below the 1,024 characters Gson 2.10's reader takes; a longer number is left to it. */
  static final int MAX_NUMBER = 255;

  /**
   * The most digits of an integer part taken. Gson 2.10's reader accumulates them in a {@code
   * long}, which wraps past 19 digits, and takes a wrapped value of 0 for a leading zero: it
   * refuses {@code 1} followed by 64 zeros and more. (Ids have 19 digits at most.)
   */
  static final int MAX_INTEGER_DIGITS = 19;

  private void numberSyntax() throws GiveUp {
    if (b[pos] == '-') {
      pos++;
    }
    if (pos < end && b[pos] == '0') {
      pos++;
    } else {
      int start = pos;
      digits();
      if (pos - start > MAX_INTEGER_DIGITS) {
        throw GiveUp.INSTANCE;
      }
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      digits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      digits();
    }
  }

  /** One or more digits. */
  private void digits() throws GiveUp {
    int start = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    if (pos == start) {
      throw GiveUp.INSTANCE;
    }
  }

  private boolean literal(byte[] word) {
    if (pos + word.length > end) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (b[pos + i] != word[i]) {
        return false;
      }
    }
    pos += word.length;
    return true;
  }

  /** Skips one value of any kind, checking its syntax, without recursion. */
  private void skipValue() throws GiveUp {
    int depth = 0;
    while (true) {
      byte c = peek();
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
      } else if (!(literal(TRUE) || literal(FALSE) || literal(NULL))) {
        throw GiveUp.INSTANCE;
      }
      // A value ended: close what it ends, or go on to the next element or member.
      while (true) {
        if (depth == 0) {
          return;
        }
        byte d = peek();
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
