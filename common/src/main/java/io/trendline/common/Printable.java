package io.trendline.common;

/**
 * Text from outside (a Kafka record's key, a stream message) made safe to print on a terminal or in
 * a log line: every control character is escaped, so that a key cannot forge lines or send escape
 * sequences to the terminal, and the text is cut to a bound, so that one huge key cannot make every
 * ranking huge.
 */
public final class Printable {
  /**
   * How many characters of a keyword a row shows: a keyword has at most {@value Keyword#MAX_BYTES}
   * UTF-8 bytes, so a configured keyword is never cut.
   */
  public static final int KEYWORD_CHARS = Keyword.MAX_BYTES;

  private static final String ELLIPSIS = "…";

  private Printable() {}

  /**
   * {@code text} with backslashes doubled, {@code \n}, {@code \r} and {@code \t} written as such,
   * and every other control or format-breaking character (C0, DEL, C1, the line and paragraph
   * separators, the bidirectional overrides and isolates) as {@code \}{@code uXXXX}; then cut to at
   * most {@code maxChars} code points of the result, the last one replaced by an ellipsis when cut.
   * A null is {@code "null"}.
   */
  public static String of(String text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1: " + maxChars);
    }
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), maxChars) + 8);
    int shown = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      String piece = escape(cp);
      int pieceChars = piece == null ? 1 : piece.length();
      boolean more = i < text.length();
      // Keep room for the ellipsis if anything follows this piece.
      if (shown + pieceChars > maxChars || (more && shown + pieceChars == maxChars)) {
        sb.append(ELLIPSIS);
        return sb.toString();
      }
      if (piece == null) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(piece);
      }
      shown += pieceChars;
    }
    return sb.toString();
  }

  /** The first line of a message (an exception's, say), for a one-line error; null as "null". */
  public static String firstLine(String message) {
    if (message == null) {
      return "null";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** A keyword as a row shows it: {@link #of} at {@link #KEYWORD_CHARS}. */
  public static String keyword(String keyword) {
    return of(keyword, KEYWORD_CHARS);
  }

  /** The escape for {@code cp}, or null when it prints as itself. */
  private static String escape(int cp) {
    switch (cp) {
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    boolean unsafe =
        cp < 0x20
            || (cp >= 0x7f && cp < 0xa0)
            || cp == 0x2028
            || cp == 0x2029
            || (cp >= 0x202a && cp <= 0x202e)
            || (cp >= 0x2066 && cp <= 0x2069);
    return unsafe ? String.format(java.util.Locale.ROOT, "\\u%04x", cp) : null;
  }
}
