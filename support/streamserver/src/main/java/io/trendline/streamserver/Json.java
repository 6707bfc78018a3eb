package io.trendline.streamserver;

/** Writes JSON strings by hand, for speed where a status is assembled from parts. */
final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Appends {@code s} as a JSON string literal, or {@code null}. */
  static void string(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
          } else if (c == 0x2028 || c == 0x2029) {
            // Valid in JSON, but JavaScript readers of the stats page choke on them.
            sb.append(c == 0x2028 ? "\\u2028" : "\\u2029");
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Appends {@code "name":} after a comma, unless it is the first field. */
  static StringBuilder field(StringBuilder sb, String name) {
    char last = sb.charAt(sb.length() - 1);
    if (last != '{') {
      sb.append(',');
    }
    sb.append('"').append(name).append("\":");
    return sb;
  }
}
