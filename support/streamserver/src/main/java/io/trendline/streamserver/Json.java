package io.trendline.streamserver;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes JSON to a string with Gson's {@link JsonWriter}: compact (no indent), not HTML-safe (so
 * {@code < > & = '} stay as they are), nulls written. Strings are escaped as JSON requires, plus
 * U+2028 and U+2029 (valid JSON, but JavaScript readers of the stats page choke on them); other
 * characters, {@code /} and emoji included, are written as they are. Stateless and thread-safe.
 */
final class Json {
  /** Writes one JSON value. */
  interface Body {
    void write(JsonWriter w) throws IOException;
  }

  private Json() {}

  /** The value {@code body} writes, as one line of JSON. */
  static String write(Body body) {
    StringWriter out = new StringWriter(256);
    JsonWriter w = new JsonWriter(out);
    w.setHtmlSafe(false);
    w.setSerializeNulls(true);
    try {
      body.write(w);
      w.close();
    } catch (IOException e) {
      // A StringWriter does not fail: the body left its value incomplete.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
